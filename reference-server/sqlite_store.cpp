// SqliteStore: opening and the request path (grab, stock, fan-out reads, status). The
// data-set management (catalog, load, reset, meta) is in sqlite_store_load.cpp.
#include "reference-server/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <string>

#include "reference-server/sqlite_schema.h"
#include "reference-server/sqlite_store_impl.h"

namespace stampede::server {

namespace {

using sqlite::Connection;
using sqlite::Statement;

constexpr std::string_view kInsertResult =
    "INSERT INTO coupon_results(user_id, coupon_id, room_id, grab_status, fail_reason, "
    "grab_time_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kInsertLog =
    "INSERT INTO stock_logs(coupon_id, user_id, result_id, change, created_at_ms) "
    "VALUES(?1, ?2, ?3, -1, ?4)";
constexpr std::string_view kUserResults =
    "SELECT id, user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms FROM coupon_results "
    "WHERE user_id = ?1 ORDER BY grab_time_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kRoomOrders =
    "SELECT id, user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms FROM coupon_results "
    "WHERE room_id = ?1 ORDER BY grab_time_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kRecentOrders =
    "SELECT id, user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms FROM coupon_results "
    "WHERE grab_time_ms >= ?1 ORDER BY grab_time_ms DESC, id DESC LIMIT ?2";
constexpr std::string_view kRoomStats =
    "SELECT coupon_id, COUNT(*), COALESCE(SUM(grab_status), 0) FROM coupon_results "
    "WHERE room_id = ?1 GROUP BY coupon_id";
// Successes are counted as stock_logs rows (written in the same transaction as every
// success, one each): two COUNT(*)s can use the smallest b-trees instead of reading every
// result row for SUM(grab_status).
constexpr std::string_view kTotals =
    "SELECT (SELECT COUNT(*) FROM coupon_results), (SELECT COUNT(*) FROM stock_logs)";
constexpr std::string_view kPing = "SELECT 1";
// The resharding estimate's counts: GROUP BY walks a (user_id …) / (room_id …) index in order
// (no sorter, memory per distinct key); the grab times stream in order from idx_grab_time
// and are bucketed here, since grouping by an expression would sort every row first.
constexpr std::string_view kKeysByUser =
    "SELECT user_id, COUNT(*) FROM coupon_results GROUP BY user_id";
constexpr std::string_view kKeysByRoom =
    "SELECT room_id, COUNT(*) FROM coupon_results GROUP BY room_id";
constexpr std::string_view kGrabTimes =
    "SELECT grab_time_ms FROM coupon_results ORDER BY grab_time_ms";
constexpr std::string_view kConnectionPragmas =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
    "PRAGMA cache_size=-16000; PRAGMA wal_autocheckpoint=20000;";

constexpr std::string_view kShardPageSize = "PRAGMA page_size=1024;";

ResultRow read_result(const Statement& st, int shard) {
  ResultRow row;
  row.result_id = st.column_int64(0);
  row.shard = shard;
  row.user_id = st.column_int64(1);
  row.coupon_id = st.column_int64(2);
  row.room_id = st.column_int64(3);
  row.success = st.column_int64(4) == 1;
  row.fail_reason = static_cast<FailReason>(st.column_int64(5));
  row.grab_time_ms = st.column_int64(6);
  return row;
}

}  // namespace

// ---- connections ---------------------------------------------------------------------

SqliteReader::SqliteReader(const std::string& path) : db(path, Connection::Mode::read_write_create) {
  db.exec(kConnectionPragmas);
  user_results = db.prepare(kUserResults);
  room_orders = db.prepare(kRoomOrders);
  recent_orders = db.prepare(kRecentOrders);
  room_stats = db.prepare(kRoomStats);
  totals = db.prepare(kTotals);
  ping = db.prepare(kPing);
  keys_by_user = db.prepare(kKeysByUser);
  keys_by_room = db.prepare(kKeysByRoom);
  grab_times = db.prepare(kGrabTimes);
}

SqliteShard::SqliteShard(int index_, std::string path_) : index(index_), path(std::move(path_)) {
  writer = Connection(path, Connection::Mode::read_write_create);
  // A grab dirties one page in each of 9 b-trees (coupon_results + its 6 indexes,
  // stock_logs + 1) and WAL appends whole pages: smaller pages write less per commit.
  // Only takes effect when the file is created.
  writer.exec(kShardPageSize);
  writer.exec(kConnectionPragmas);
  writer.exec(sqlite::shard_schema_sql);
  insert_result = writer.prepare(kInsertResult);
  insert_log = writer.prepare(kInsertLog);
  begin = writer.prepare("BEGIN IMMEDIATE");
  commit = writer.prepare("COMMIT");
}

SqliteReaderLease::SqliteReaderLease(SqliteShard& shard) : shard_(shard) {
  {
    std::lock_guard lock(shard.readers_mutex);
    if (!shard.idle_readers.empty()) {
      reader_ = std::move(shard.idle_readers.back());
      shard.idle_readers.pop_back();
    }
  }
  if (!reader_) {
    reader_ = std::make_unique<SqliteReader>(shard.path);
    std::lock_guard lock(shard.readers_mutex);
    ++shard.reader_count;
  }
  shard.in_use.fetch_add(1, std::memory_order_relaxed);
}

SqliteReaderLease::~SqliteReaderLease() {
  shard_.in_use.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard lock(shard_.readers_mutex);
  shard_.idle_readers.push_back(std::move(reader_));
}

SqliteShard& SqliteStore::Impl::shard_for(int k) {
  if (k < 0 || k >= static_cast<int>(shards.size())) {
    throw StoreError("no shard " + std::to_string(k));
  }
  SqliteShard& shard = *shards[static_cast<std::size_t>(k)];
  if (shard.offline.load(std::memory_order_relaxed)) {
    throw ShardUnavailable(k, "offline");
  }
  return shard;
}

Fanout<std::vector<ResultRow>> SqliteStore::Impl::newest_results(Statement SqliteReader::*query,
                                                                 std::int64_t key,
                                                                 const ShardList& list, int limit) {
  return merge_newest_first(fan_out<std::vector<ResultRow>>(list, [&](SqliteReaderLease& r, int k) {
    std::vector<ResultRow> rows;
    Statement& st = (*r).*query;
    st.bind(1, key).bind(2, limit);
    while (st.step()) rows.push_back(read_result(st, k));
    st.reset();
    return rows;
  }), limit);
}

// ---- construction ----------------------------------------------------------------------

SqliteStore::SqliteStore(const SqliteStoreOptions& options, ShardLatency shard_latency)
    : impl_(std::make_unique<Impl>()) {
  if (options.shard_count < 1 || options.shard_count > 64) {
    throw StoreError("sqlite store: shard count must be 1..64");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) throw StoreError("cannot create data folder " + options.data_dir.string() + ": " + ec.message());
  impl_->data_dir = options.data_dir;
  impl_->shard_latency = shard_latency;
  impl_->main_path = (options.data_dir / "main.db").string();
  impl_->main = Connection(impl_->main_path, Connection::Mode::read_write_create);
  impl_->main.exec(kConnectionPragmas);
  impl_->main.exec(sqlite::main_schema_sql);
  for (int k = 0; k < options.shard_count; ++k) {
    impl_->shards.push_back(std::make_unique<SqliteShard>(
        k, (options.data_dir / ("shard-" + std::to_string(k) + ".db")).string()));
  }
  impl_->pool = std::make_unique<FanoutPool>(
      options.fanout_threads > 0 ? options.fanout_threads : options.shard_count);
  impl_->load_catalog();
  impl_->rebuild_stock_from_shards();
}

SqliteStore::~SqliteStore() = default;

int SqliteStore::shard_count() const { return static_cast<int>(impl_->shards.size()); }
std::string SqliteStore::main_address() const { return impl_->main_path; }

bool SqliteStore::user_exists(std::int64_t user_id) const {
  return impl_->catalog->user_exists(user_id);
}

std::optional<CouponInfo> SqliteStore::find_coupon(std::int64_t coupon_id) const {
  return impl_->catalog->find_coupon(coupon_id);
}

std::optional<RoomInfo> SqliteStore::find_room(std::int64_t room_id) const {
  return impl_->catalog->find_room(room_id);
}

namespace {

// Writes every queued grab of `shard.batch` in one transaction (caller holds write_mutex),
// then marks them done; on failure every write of the batch carries the error.
void commit_batch(SqliteShard& shard, const ShardLatency& latency) {
  std::exception_ptr error;
  try {
    latency.wait();  // one modelled hop per transaction, holding the writer
    shard.begin.run();
    try {
      for (SqlitePendingWrite* w : shard.batch) {
        const GrabRequest& r = *w->request;
        shard.insert_result.bind(1, r.user_id)
            .bind(2, r.coupon_id)
            .bind(3, r.room_id)
            .bind(4, w->success ? 1 : 0)
            .bind(5, static_cast<std::int64_t>(w->fail_reason))
            .bind(6, r.grab_time_ms)
            .run();
        w->result_id = shard.writer.last_insert_rowid();
        if (w->success) {
          shard.insert_log.bind(1, r.coupon_id).bind(2, r.user_id).bind(3, w->result_id)
              .bind(4, r.grab_time_ms).run();
        }
      }
      shard.commit.run();
    } catch (...) {
      try {
        shard.writer.exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  } catch (...) {
    error = std::current_exception();
  }
  std::lock_guard lock(shard.queue_mutex);
  for (SqlitePendingWrite* w : shard.batch) {
    w->error = error;
    w->done = true;
  }
  shard.batch.clear();
}

}  // namespace

GrabOutcome SqliteStore::grab(const GrabRequest& request) {
  SqliteShard& shard = impl_->shard_for(request.shard);
  auto& stock = impl_->catalog->stock;
  if (request.coupon_id < 1 || static_cast<std::uint64_t>(request.coupon_id) >= stock.size() ||
      !stock[static_cast<std::size_t>(request.coupon_id)]) {
    throw StoreError("grab: unknown coupon " + std::to_string(request.coupon_id));
  }
  SqliteStockCell& cell = *stock[static_cast<std::size_t>(request.coupon_id)];

  GrabOutcome out;
  out.shard = request.shard;
  {
    std::lock_guard lock(cell.mutex);
    const auto left = cell.remaining.load(std::memory_order_relaxed);
    if (cell.winners.contains(request.user_id)) {
      out.fail_reason = FailReason::duplicate;
    } else if (left <= 0) {
      out.fail_reason = FailReason::out_of_stock;
    } else {
      cell.winners.insert(request.user_id);
      cell.remaining.store(left - 1, std::memory_order_relaxed);
      out.success = true;
    }
    out.remaining_stock = cell.remaining.load(std::memory_order_relaxed);
  }

  // Group commit: queue our row, then either find it committed by the thread that held
  // the write lock before us, or commit everything queued so far in one transaction. Under
  // load this turns N commits into one without adding a thread or a timer.
  SqlitePendingWrite mine;
  mine.request = &request;
  mine.success = out.success;
  mine.fail_reason = out.fail_reason;
  const auto start = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(shard.queue_mutex);
    shard.queue.push_back(&mine);
  }
  {
    std::lock_guard write_lock(shard.write_mutex);
    bool done = false;
    {
      std::lock_guard lock(shard.queue_mutex);
      done = mine.done;
      if (!done) shard.batch.swap(shard.queue);
    }
    if (!done) commit_batch(shard, impl_->shard_latency);
  }
  if (mine.error) {
    if (out.success) {  // give the unit back: the grab did not happen
      std::lock_guard lock(cell.mutex);
      cell.winners.erase(request.user_id);
      cell.remaining.fetch_add(1, std::memory_order_relaxed);
    }
    try {
      std::rethrow_exception(mine.error);
    } catch (const std::exception& e) {
      throw ShardUnavailable(request.shard, e.what());
    }
  }
  out.result_id = mine.result_id;
  out.timings.push_back(ShardTiming{request.shard, std::chrono::steady_clock::now() - start, std::nullopt});
  return out;
}

std::optional<StockInfo> SqliteStore::stock(std::int64_t coupon_id) {
  auto info = find_coupon(coupon_id);
  if (!info) return std::nullopt;
  const auto& cell = *impl_->catalog->stock[static_cast<std::size_t>(coupon_id)];
  return StockInfo{coupon_id, info->total_stock, cell.remaining.load(std::memory_order_relaxed)};
}

Fanout<std::vector<ResultRow>> SqliteStore::user_results(std::int64_t user_id,
                                                         const ShardList& shards, int limit) {
  return impl_->newest_results(&SqliteReader::user_results, user_id, shards, limit);
}

Fanout<std::vector<ResultRow>> SqliteStore::room_orders(std::int64_t room_id,
                                                        const ShardList& shards, int limit) {
  return impl_->newest_results(&SqliteReader::room_orders, room_id, shards, limit);
}

Fanout<std::vector<ResultRow>> SqliteStore::recent_orders(std::int64_t since_ms,
                                                          const ShardList& shards, int limit) {
  return impl_->newest_results(&SqliteReader::recent_orders, since_ms, shards, limit);
}

Fanout<std::vector<CouponCounts>> SqliteStore::room_stats(std::int64_t room_id,
                                                          const ShardList& shards) {
  auto parts = impl_->fan_out<std::vector<CouponCounts>>(shards, [&](SqliteReaderLease& r, int) {
    std::vector<CouponCounts> counts;
    Statement& st = r->room_stats;
    st.bind(1, room_id);
    while (st.step()) counts.push_back({st.column_int64(0), st.column_int64(1), st.column_int64(2)});
    st.reset();
    return counts;
  });
  const auto room = find_room(room_id);
  return merge_coupon_counts(room ? room->coupon_ids : std::vector<std::int64_t>{}, std::move(parts));
}

Fanout<std::vector<ShardTotals>> SqliteStore::global_stats(const ShardList& shards) {
  return impl_->fan_out<ShardTotals>(shards, [&](SqliteReaderLease& r, int k) {
    Statement& st = r->totals;
    ShardTotals totals{k, 0, 0};
    if (st.step()) {
      totals.total_grabs = st.column_int64(0);
      totals.successful_grabs = st.column_int64(1);
    }
    st.reset();
    return totals;
  });
}

Fanout<ResultKeyCounts> SqliteStore::result_key_counts(const ShardList& shards,
                                                       std::chrono::milliseconds time_bucket) {
  if (time_bucket.count() <= 0) throw StoreError("result_key_counts: time bucket must be positive");
  const std::int64_t bucket_ms = time_bucket.count();
  return merge_key_counts(impl_->fan_out<ResultKeyCounts>(shards, [&](SqliteReaderLease& r, int) {
    ResultKeyCounts counts;
    auto read_pairs = [](Statement& st, std::vector<KeyCount>& out) {
      while (st.step()) out.push_back({st.column_int64(0), st.column_int64(1)});
      st.reset();
    };
    read_pairs(r->keys_by_user, counts.by_user);
    read_pairs(r->keys_by_room, counts.by_room);
    Statement& times = r->grab_times;
    while (times.step()) {
      const std::int64_t t = times.column_int64(0);
      const std::int64_t bucket = t / bucket_ms - ((t % bucket_ms != 0 && t < 0) ? 1 : 0);
      if (!counts.by_time_bucket.empty() && counts.by_time_bucket.back().key == bucket) {
        ++counts.by_time_bucket.back().rows;
      } else {
        counts.by_time_bucket.push_back({bucket, 1});
      }
    }
    times.reset();
    return counts;
  }));
}

std::vector<ShardStatus> SqliteStore::shard_status() {
  std::vector<ShardStatus> out;
  for (auto& shard : impl_->shards) {
    ShardStatus status;
    status.shard = shard->index;
    status.address = shard->path;
    {
      std::lock_guard lock(shard->readers_mutex);
      status.pool_size = shard->reader_count + 1;  // readers + the writer
    }
    status.pool_in_use = shard->in_use.load(std::memory_order_relaxed);
    if (shard->offline.load()) {
      status.error = "offline";
      out.push_back(status);
      continue;
    }
    try {
      SqliteReaderLease reader(*shard);
      impl_->shard_latency.wait();  // the modelled hop; ping_ms times the query alone
      const auto start = std::chrono::steady_clock::now();
      reader->ping.step();
      reader->ping.reset();
      status.ping_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (reader->totals.step()) status.result_rows = reader->totals.column_int64(0);
      reader->totals.reset();
      status.up = true;
    } catch (const std::exception& e) {
      status.error = e.what();
    }
    out.push_back(status);
  }
  return out;
}

void SqliteStore::set_shard_offline(int shard, bool offline) {
  if (shard < 0 || shard >= shard_count()) throw StoreError("no shard " + std::to_string(shard));
  impl_->shards[static_cast<std::size_t>(shard)]->offline.store(offline);
}

}  // namespace stampede::server
