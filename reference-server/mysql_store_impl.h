// Private to mysql_store*.cpp: MysqlStore's state, shared by the request path
// (mysql_store.cpp) and the data-set management path (mysql_store_load.cpp).
#pragma once

#include <chrono>
#include <functional>
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

struct MysqlStore::Impl {
  MysqlSettings settings;
  std::unique_ptr<mysql::Pool> main;
  std::vector<std::unique_ptr<mysql::Pool>> shards;
  std::unique_ptr<RedisStock> redis;
  std::unique_ptr<FanoutPool> fanout;
  std::unique_ptr<const MysqlCatalog> catalog;
  ShardLatency shard_latency;

  mysql::Pool& shard_pool(int k);

  // Runs fn on a pooled connection of shard k. A connection-lost error on a connection
  // that came from the idle pool is retried once on a fresh connection when `retry`
  // (reads are idempotent); then connection-lost errors become ShardUnavailable(k) and
  // other errors StoreError. Returns the time spent waiting for the pool's connections.
  std::chrono::nanoseconds with_shard(int k, bool retry, const std::function<void(mysql::Connection&)>& fn);
  // Runs part(connection, shard) on every listed shard concurrently (with_shard, retrying
  // once), collecting one T per shard in list order, with per-shard timings and pool waits.
  template <class T, class Part>
  Fanout<std::vector<T>> fan_out(const ShardList& list, Part part) {
    Fanout<std::vector<T>> out;
    out.value.resize(list.size());
    std::vector<std::chrono::nanoseconds> waits(list.size());
    out.timings = fanout->run(list, [&](int k, std::size_t slot) {
      waits[slot] = with_shard(k, true, [&](mysql::Connection& db) { out.value[slot] = part(db, k); });
    });
    for (std::size_t slot = 0; slot < waits.size(); ++slot) out.timings[slot].pool_wait = waits[slot];
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
