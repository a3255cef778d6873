// Private to mysql_store*.cpp: MysqlStore's state, shared by the request path
// (mysql_store.cpp) and the data-set management path (mysql_store_load.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "reference-server/fanout_pool.h"
#include "reference-server/mysql_conn.h"
#include "reference-server/mysql_store.h"
#include "reference-server/redis_stock.h"

namespace stampede::server {

struct MysqlCatalog : CatalogIndex {};

// One read replica of a shard (--read-from replicas).
struct MysqlReplica {
  std::unique_ptr<mysql::Pool> pool;
  std::atomic<std::int64_t> skip_until_ms{0};  // steady-clock ms: unreachable, not asked until then
  std::atomic<std::int64_t> reads{0};
  std::atomic<std::int64_t> fallbacks{0};
};
struct MysqlShardReplicas {
  std::vector<std::unique_ptr<MysqlReplica>> list;  // replica i+1 at [i]
  std::atomic<std::uint64_t> next{0};               // round robin
};

struct MysqlStore::Impl {
  MysqlSettings settings;
  std::unique_ptr<mysql::Pool> main;
  std::vector<std::unique_ptr<mysql::Pool>> shards;
  std::unique_ptr<RedisStock> redis;
  std::unique_ptr<FanoutPool> fanout;
  std::unique_ptr<const MysqlCatalog> catalog;
  ShardLatency shard_latency;
  std::vector<std::unique_ptr<MysqlShardReplicas>> replicas;  // per shard; empty: reads go to the primaries

  mysql::Pool& shard_pool(int k);

  // Runs fn on a pooled connection of shard k. A connection-lost error on a connection
  // that came from the idle pool is retried once on a fresh connection when `retry`
  // (reads are idempotent); then connection-lost errors become ShardUnavailable(k) and
  // other errors StoreError. Returns the time spent waiting for the pool's connections.
  std::chrono::nanoseconds with_shard(int k, bool retry, const std::function<void(mysql::Connection&)>& fn);
  // A read of shard k: on its next replica in turn when reading from replicas (one that
  // cannot be reached is skipped for a second; none reachable: the primary, counted as a
  // fallback), else as with_shard. Returns the pool wait and which copy answered
  // (ShardTiming::replica: nullopt without replicas, 0 the primary, i replica i).
  struct ReadVisit {
    std::chrono::nanoseconds pool_wait{0};
    std::optional<int> replica;
  };
  ReadVisit with_read(int k, const std::function<void(mysql::Connection&)>& fn);
  // Runs part(connection, shard) on every listed shard concurrently (with_shard, retrying
  // once; with_read when `read` and reading from replicas), collecting one T per shard in
  // list order, with per-shard timings, pool waits and the copy that answered.
  enum class Copy { kPrimary, kReadCopy };
  template <class T, class Part>
  Fanout<std::vector<T>> fan_out(const ShardList& list, Part part, Copy copy = Copy::kPrimary) {
    Fanout<std::vector<T>> out;
    out.value.resize(list.size());
    std::vector<ReadVisit> visits(list.size());
    out.timings = fanout->run(list, [&](int k, std::size_t slot) {
      const auto run = [&](mysql::Connection& db) { out.value[slot] = part(db, k); };
      if (copy == Copy::kReadCopy) visits[slot] = with_read(k, run);
      else visits[slot].pool_wait = with_shard(k, true, run);
    });
    for (std::size_t slot = 0; slot < visits.size(); ++slot) {
      out.timings[slot].pool_wait = visits[slot].pool_wait;
      out.timings[slot].replica = visits[slot].replica;
    }
    return out;
  }
  // Same on the main instance; every failure is StoreError.
  void with_main(const std::function<void(mysql::Connection&)>& fn);
  // user_results/room_orders/recent_orders: `sql` takes (key, limit) and returns the
  // result columns.
  Fanout<std::vector<ResultRow>> newest_results(std::string_view sql, std::int64_t key,
                                                const ShardList& list, int limit);

  // mysql_store_load.cpp
  void load_catalog();
  void clear_shards();
  void write_meta(const StoreMeta& meta);
  void load_stock_from_catalog();    // seeded stock, no winners
  void ensure_stock();               // rebuild from the shards if Redis lost it
};

}  // namespace stampede::server
