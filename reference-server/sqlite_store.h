// SqliteStore: the embedded Store (zero set-up).
//
// Files under `data_dir`: main.db (catalog + stampede_meta) and shard-<k>.db for
// k = 0..shard_count-1 (coupon_results + stock_logs), all in WAL mode with
// synchronous=NORMAL. Created with the schema of fixtures/sqlite/ when missing.
//
// Stock is kept in-process: per coupon a small mutex-guarded cell holding the remaining
// count and the set of users who already won it, so "take one unit, at most one success
// per (user, coupon)" is one short critical section and can never oversell. If the shard
// write then fails the unit is given back. At open, the cells are rebuilt from the
// success rows on the shards, so a restart continues where the last run stopped.
// (Several server processes on one data folder would each keep their own stock: that
// is what the mysql store with Redis is for.)
//
// Concurrency: each shard has one writer connection (SQLite allows one writer per file;
// writes to a shard queue on its mutex, writes to different shards run in parallel) and a
// pool of reader connections created on demand, so reads never wait for writers (WAL).
// Fan-out reads run on a FanoutPool (one part per shard, concurrently).
//
// Errors: constructor throws StoreError when files cannot be created/opened.
// ShardUnavailable is thrown for a shard marked offline (set_shard_offline) or whose file
// cannot be opened/queried.
#pragma once

#include <filesystem>
#include <memory>

#include "reference-server/shard_latency.h"
#include "reference-server/store.h"

namespace stampede::server {

struct SqliteStoreOptions {
  std::filesystem::path data_dir;
  int shard_count = 4;
  int fanout_threads = 0;  // 0: shard_count threads
};

class SqliteStore final : public Store {
 public:
  // `shard_latency` is slept before each visit to a shard, holding its reader or writer
  // (shard_latency.h; none by default).
  explicit SqliteStore(const SqliteStoreOptions& options, ShardLatency shard_latency = {});
  ~SqliteStore() override;

  std::string_view kind() const override { return "sqlite"; }
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

  bool stock_is_in_process() const override { return true; }
  // Fault injection: an offline shard answers every call that needs it with
  // ShardUnavailable, as if its database were gone; bringing it back restores service.
  bool can_set_shard_offline() const override { return true; }
  void set_shard_offline(int shard, bool offline) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::server
