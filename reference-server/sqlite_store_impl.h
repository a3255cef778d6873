// Private to sqlite_store*.cpp: SqliteStore's state, shared by the request path
// (sqlite_store.cpp) and the data-set management path (sqlite_store_load.cpp).
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "reference-server/fanout_pool.h"
#include "reference-server/sqlite_db.h"
#include "reference-server/sqlite_store.h"

namespace stampede::server {

// One shard's prepared read statements on one reader connection.
struct SqliteReader {
  explicit SqliteReader(const std::string& path);

  sqlite::Connection db;
  sqlite::Statement user_results, room_orders, recent_orders, room_stats, totals, ping;
  sqlite::Statement keys_by_user, keys_by_room, grab_times;
};

// A grab waiting for its shard's group commit (SqliteStore::grab).
struct SqlitePendingWrite {
  const GrabRequest* request = nullptr;
  bool success = false;
  FailReason fail_reason = FailReason::none;
  std::int64_t result_id = 0;
  bool done = false;  // guarded by SqliteShard::queue_mutex
  std::exception_ptr error;
};

struct SqliteShard {
  SqliteShard(int index, std::string path);  // opens the writer, creating the file

  int index;
  std::string path;
  std::atomic<bool> offline{false};
  std::atomic<int> in_use{0};

  // Group commit: grabs queue here; whoever holds write_mutex commits everything queued
  // in one transaction (see SqliteStore::grab).
  std::mutex queue_mutex;
  std::vector<SqlitePendingWrite*> queue;
  std::vector<SqlitePendingWrite*> batch;  // guarded by write_mutex

  std::mutex write_mutex;
  sqlite::Connection writer;
  sqlite::Statement insert_result, insert_log, begin, commit;

  std::mutex readers_mutex;
  std::vector<std::unique_ptr<SqliteReader>> idle_readers;
  int reader_count = 0;
};

// Borrows a reader connection of a shard for one query (opening one when none is idle).
class SqliteReaderLease {
 public:
  explicit SqliteReaderLease(SqliteShard& shard);
  ~SqliteReaderLease();
  SqliteReaderLease(const SqliteReaderLease&) = delete;
  SqliteReaderLease& operator=(const SqliteReaderLease&) = delete;
  SqliteReader* operator->() { return reader_.get(); }
  SqliteReader& operator*() { return *reader_; }

 private:
  SqliteShard& shard_;
  std::unique_ptr<SqliteReader> reader_;
};

// A coupon's in-process stock (sqlite_store.h).
struct SqliteStockCell {
  std::mutex mutex;
  std::atomic<std::int64_t> remaining{0};  // written under mutex, read lock-free
  std::unordered_set<std::int64_t> winners;
};

struct SqliteCatalog : CatalogIndex {
  std::vector<std::unique_ptr<SqliteStockCell>> stock;  // by coupon id, beside `coupons`
};

struct SqliteStore::Impl {
  std::filesystem::path data_dir;
  std::string main_path;
  std::mutex main_mutex;
  sqlite::Connection main;
  std::vector<std::unique_ptr<SqliteShard>> shards;
  std::unique_ptr<SqliteCatalog> catalog;
  std::unique_ptr<FanoutPool> pool;
  ShardLatency shard_latency;

  // Shard k; throws StoreError for no such shard, ShardUnavailable when it is offline.
  SqliteShard& shard_for(int k);

  // Runs part(reader, shard) on every listed shard concurrently, collecting one T per
  // shard in list order; SQLite errors on a shard become ShardUnavailable for that shard.
  template <class T, class Part>
  Fanout<std::vector<T>> fan_out(const ShardList& list, Part part) {
    Fanout<std::vector<T>> out;
    out.value.resize(list.size());
    out.timings = pool->run(list, [&](int k, std::size_t slot) {
      SqliteShard& shard = shard_for(k);
      try {
        SqliteReaderLease reader(shard);
        shard_latency.wait();  // the modelled hop, holding the reader (shard_latency.h)
        out.value[slot] = part(reader, k);
      } catch (const ShardUnavailable&) {
        throw;
      } catch (const std::exception& e) {
        throw ShardUnavailable(k, e.what());
      }
    });
    return out;
  }

  // user_results/room_orders/recent_orders: `query` is bound to (key, limit).
  Fanout<std::vector<ResultRow>> newest_results(sqlite::Statement SqliteReader::*query,
                                                std::int64_t key, const ShardList& list, int limit);

  // sqlite_store_load.cpp
  void load_catalog();               // fresh stock cells: seeded stock, no winners
  void rebuild_stock_from_shards();  // minus the successes already on the shards
  void write_meta(const StoreMeta& meta);  // caller holds main_mutex
  void clear_shards();
};

}  // namespace stampede::server
