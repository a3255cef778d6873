// MysqlStore: the Store on real databases — a MariaDB main instance (catalog), N MariaDB
// shard instances (coupon_results + stock_logs) and Redis (stock).
//
// Set-up: `fixtures/stack up` starts all of them on loopback and writes stack.env;
// MysqlStoreOptions::from_environment() finds it (mysql_settings.h). Schema:
// fixtures/mysql/schema-main.sql and schema-shard.sql (applied by the stack script).
//
// Connections: one bounded pool per instance (mysql_conn.h), opened on demand; every value
// travels as a prepared-statement parameter. Fan-out reads run one part per shard
// concurrently on a FanoutPool and are timed per shard (ShardTiming).
//
// Stock lives in Redis (redis_stock.h) under a prefix derived from the main database's
// address, so every server process on the same stack shares it: take-and-mark-user is one
// Lua script, never oversold, at most one success per (user, coupon) across processes.
// A grab whose shard write fails gives its unit back. Redis keeps no data on disk in the
// stack: when its stock is missing (Redis restarted) the first process to notice rebuilds
// it from the catalog and the success rows on the shards, under a Redis lock.
//
// Read replicas (`--read-from replicas`, fixtures/stack up --replicas N): the fan-out reads
// (user results, room orders, recent orders, room stats, global stats) go to the shard's
// replicas in turn (round robin), writes and the admin's reads to the primary. A replica that
// cannot be reached is skipped for a second and the read goes to the next one, else to the
// primary (a fallback, counted). Replication is asynchronous: a replica may not have a write
// the primary just committed (replica_status() reports each one's lag).
//
// Faults: a shard whose server is unreachable or drops the connection gives
// ShardUnavailable(k) for the calls that need it; its broken connections are closed and
// the next call connects again, so service resumes as soon as the shard is back. A read
// that fails on a stale pooled connection is retried once on a fresh one. Redis or the
// main database unreachable (or dropping the connection again on the retry) is
// DependencyUnavailable ("stock store (redis)", "main database (mariadb)"), with the same
// recovery. Other SQL errors and Redis error replies are StoreError.
//
// Thread-safety: as Store (load/reset exclusive, everything else concurrent).
#pragma once

#include <chrono>
#include <memory>

#include "reference-server/mysql_settings.h"
#include "reference-server/shard_latency.h"
#include "reference-server/store.h"

namespace stampede::server {

struct MysqlStoreOptions {
  MysqlSettings settings;
  int pool_size = 16;      // connections per instance at most
  int fanout_threads = 0;  // 0: one per shard
  std::chrono::seconds connect_timeout{2};
  std::string redis_prefix;  // empty: "stampede:<main host:port>/<database>:"
  // Slept before each visit to a shard, holding its pooled connection (shard_latency.h).
  ShardLatency shard_latency;
  // Fan-out reads from the shards' replicas (settings.shard_replicas, one list per shard);
  // the constructor throws StoreError when a shard has none.
  bool read_from_replicas = false;

  // Settings from stack.env / the environment (find_mysql_settings()).
  static MysqlStoreOptions from_environment();
};

class MysqlStore final : public Store {
 public:
  // Connects to the main database and Redis, loads the catalog, makes sure the stock is
  // in Redis. Throws StoreError (with the address) when main or Redis is unreachable or
  // the schema is missing. Shards are connected on first use.
  explicit MysqlStore(const MysqlStoreOptions& options);
  ~MysqlStore() override;

  std::string_view kind() const override { return "mysql"; }
  int shard_count() const override;
  std::string main_address() const override;

  bool user_exists(std::int64_t user_id) const override;
  std::optional<CouponInfo> find_coupon(std::int64_t coupon_id) const override;
  std::optional<RoomInfo> find_room(std::int64_t room_id) const override;

  GrabOutcome grab(const GrabRequest& request) override;
  std::optional<StockInfo> stock(std::int64_t coupon_id) override;

  Fanout<std::vector<ResultRow>> user_results(std::int64_t user_id, const ShardList& shards,
                                              int limit) override;
  Fanout<std::vector<CouponCounts>> room_stats(std::int64_t room_id,
                                               const ShardList& shards) override;
  Fanout<std::vector<ResultRow>> room_orders(std::int64_t room_id, const ShardList& shards,
                                             int limit) override;
  Fanout<std::vector<ResultRow>> recent_orders(std::int64_t since_ms, const ShardList& shards,
                                               int limit) override;
  Fanout<std::vector<ShardTotals>> global_stats(const ShardList& shards) override;

  Fanout<ResultKeyCounts> result_key_counts(const ShardList& shards,
                                            std::chrono::milliseconds time_bucket) override;

  std::vector<ShardStatus> shard_status() override;

  void load(const Dataset& data, const StoreMeta& meta) override;
  void reset(const StoreMeta& meta) override;
  std::optional<StoreMeta> meta() override;

  bool stock_is_in_process() const override { return false; }  // Redis: a round trip

  // Each shard replica's lag and counts (empty unless reading from replicas). Asks every
  // replica for its status (SHOW SLAVE STATUS), concurrently.
  std::vector<ReplicaStatus> replica_status() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::server
