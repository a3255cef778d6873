#include "reference-server/sqlite_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_set>

#include "reference-server/fanout_pool.h"
#include "reference-server/sqlite_db.h"
#include "reference-server/sqlite_schema.h"

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
constexpr std::string_view kWinners =
    "SELECT coupon_id, user_id FROM coupon_results WHERE grab_status = 1";

constexpr std::string_view kConnectionPragmas =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; "
    "PRAGMA cache_size=-16000; PRAGMA wal_autocheckpoint=20000;";

constexpr std::string_view kShardPageSize = "PRAGMA page_size=1024;";

struct Reader {
  explicit Reader(const std::string& path) : db(path, Connection::Mode::read_write_create) {
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

  Connection db;
  Statement user_results, room_orders, recent_orders, room_stats, totals, ping;
  Statement keys_by_user, keys_by_room, grab_times;
};

struct PendingWrite {
  const GrabRequest* request = nullptr;
  bool success = false;
  FailReason fail_reason = FailReason::none;
  std::int64_t result_id = 0;
  bool done = false;  // guarded by Shard::queue_mutex
  std::exception_ptr error;
};

struct Shard {
  Shard(int index_, std::string path_) : index(index_), path(std::move(path_)) {
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

  int index;
  std::string path;
  std::atomic<bool> offline{false};
  std::atomic<int> in_use{0};

  // Group commit: grabs queue here; whoever holds write_mutex commits everything queued
  // in one transaction (see SqliteStore::grab).
  std::mutex queue_mutex;
  std::vector<struct PendingWrite*> queue;
  std::vector<struct PendingWrite*> batch;  // guarded by write_mutex

  std::mutex write_mutex;
  Connection writer;
  Statement insert_result, insert_log, begin, commit;

  std::mutex readers_mutex;
  std::vector<std::unique_ptr<Reader>> idle_readers;
  int reader_count = 0;
};

// Borrows a reader connection of a shard for one query.
class ReaderLease {
 public:
  explicit ReaderLease(Shard& shard) : shard_(shard) {
    {
      std::lock_guard lock(shard.readers_mutex);
      if (!shard.idle_readers.empty()) {
        reader_ = std::move(shard.idle_readers.back());
        shard.idle_readers.pop_back();
      }
    }
    if (!reader_) {
      reader_ = std::make_unique<Reader>(shard.path);
      std::lock_guard lock(shard.readers_mutex);
      ++shard.reader_count;
    }
    shard.in_use.fetch_add(1, std::memory_order_relaxed);
  }
  ~ReaderLease() {
    shard_.in_use.fetch_sub(1, std::memory_order_relaxed);
    std::lock_guard lock(shard_.readers_mutex);
    shard_.idle_readers.push_back(std::move(reader_));
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  Reader* operator->() { return reader_.get(); }

 private:
  Shard& shard_;
  std::unique_ptr<Reader> reader_;
};

struct StockCell {
  std::mutex mutex;
  std::atomic<std::int64_t> remaining{0};  // written under mutex, read lock-free
  std::unordered_set<std::int64_t> winners;
};

struct Catalog : CatalogIndex {
  std::vector<std::unique_ptr<StockCell>> stock;  // by coupon id
};

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

std::vector<ResultRow> merge_newest_first(std::vector<std::vector<ResultRow>>& parts,
                                          std::size_t limit) {
  std::vector<ResultRow> merged;
  for (auto& part : parts) merged.insert(merged.end(), part.begin(), part.end());
  std::sort(merged.begin(), merged.end(), [](const ResultRow& a, const ResultRow& b) {
    if (a.grab_time_ms != b.grab_time_ms) return a.grab_time_ms > b.grab_time_ms;
    if (a.shard != b.shard) return a.shard < b.shard;
    return a.result_id > b.result_id;
  });
  if (merged.size() > limit) merged.resize(limit);
  return merged;
}

}  // namespace

struct SqliteStore::Impl {
  std::filesystem::path data_dir;
  std::string main_path;
  std::mutex main_mutex;
  Connection main;
  std::vector<std::unique_ptr<Shard>> shards;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<FanoutPool> pool;

  Shard& shard_for(int k) {
    if (k < 0 || k >= static_cast<int>(shards.size())) {
      throw StoreError("no shard " + std::to_string(k));
    }
    Shard& shard = *shards[static_cast<std::size_t>(k)];
    if (shard.offline.load(std::memory_order_relaxed)) {
      throw ShardUnavailable(k, "offline");
    }
    return shard;
  }

  // Runs part(shard) on every listed shard concurrently; SQLite errors on a shard become
  // ShardUnavailable for that shard.
  template <class T, class Part>
  Fanout<std::vector<T>> fan_out(const ShardList& list, Part part) {
    Fanout<std::vector<T>> out;
    out.value.resize(list.size());
    out.timings = pool->run(list, [&](int k, std::size_t slot) {
      Shard& shard = shard_for(k);
      try {
        ReaderLease reader(shard);
        out.value[slot] = part(reader, k);
      } catch (const ShardUnavailable&) {
        throw;
      } catch (const std::exception& e) {
        throw ShardUnavailable(k, e.what());
      }
    });
    return out;
  }

  void load_catalog() {
    auto next = std::make_unique<Catalog>();
    std::lock_guard lock(main_mutex);
    Statement users = main.prepare("SELECT id FROM users");
    while (users.step()) {
      const auto id = users.column_int64(0);
      if (id < 1) continue;
      if (static_cast<std::size_t>(id) >= next->users.size()) next->users.resize(id + 1, 0);
      next->users[static_cast<std::size_t>(id)] = 1;
    }
    Statement rooms = main.prepare("SELECT id, is_hot FROM live_rooms ORDER BY id");
    while (rooms.step()) {
      const auto id = rooms.column_int64(0);
      if (id < 1) continue;
      if (static_cast<std::size_t>(id) >= next->rooms.size()) next->rooms.resize(id + 1);
      next->rooms[static_cast<std::size_t>(id)] = RoomInfo{id, rooms.column_int64(1) != 0, {}};
    }
    Statement coupons = main.prepare("SELECT id, room_id, total_stock FROM coupons ORDER BY id");
    while (coupons.step()) {
      const auto id = coupons.column_int64(0);
      if (id < 1) continue;
      const auto room = coupons.column_int64(1);
      if (static_cast<std::size_t>(id) >= next->coupons.size()) {
        next->coupons.resize(id + 1);
        next->stock.resize(id + 1);
      }
      next->coupons[static_cast<std::size_t>(id)] = CouponInfo{id, room, coupons.column_int64(2)};
      auto cell = std::make_unique<StockCell>();
      cell->remaining = coupons.column_int64(2);
      next->stock[static_cast<std::size_t>(id)] = std::move(cell);
      if (room >= 1 && static_cast<std::size_t>(room) < next->rooms.size() &&
          next->rooms[static_cast<std::size_t>(room)].room_id == room) {
        next->rooms[static_cast<std::size_t>(room)].coupon_ids.push_back(id);
      }
    }
    catalog = std::move(next);
  }

  // Stock = seeded stock minus the successes already on the shards.
  void rebuild_stock_from_shards() {
    for (auto& shard : shards) {
      Statement winners = shard->writer.prepare(kWinners);
      while (winners.step()) {
        const auto coupon = winners.column_int64(0);
        if (coupon < 1 || static_cast<std::size_t>(coupon) >= catalog->stock.size()) continue;
        auto& cell = catalog->stock[static_cast<std::size_t>(coupon)];
        if (!cell) continue;
        if (cell->winners.insert(winners.column_int64(1)).second) cell->remaining -= 1;
      }
    }
  }

  void write_meta(const StoreMeta& meta) {
    Statement put = main.prepare("INSERT OR REPLACE INTO stampede_meta(key, value) VALUES(?1, ?2)");
    auto set = [&](std::string_view key, const std::string& value) {
      put.bind(1, key).bind(2, value).run();
    };
    set("seed", std::to_string(meta.seed));
    set("users", std::to_string(meta.users));
    set("rooms", std::to_string(meta.rooms));
    set("coupons", std::to_string(meta.coupons));
    set("strategy", meta.strategy);
    set("shard_count", std::to_string(meta.shard_count));
  }

  void clear_shards() {
    for (auto& shard : shards) {
      std::lock_guard lock(shard->write_mutex);
      shard->writer.exec("DELETE FROM coupon_results; DELETE FROM stock_logs;");
    }
  }
};

SqliteStore::SqliteStore(const SqliteStoreOptions& options) : impl_(std::make_unique<Impl>()) {
  if (options.shard_count < 1 || options.shard_count > 64) {
    throw StoreError("sqlite store: shard count must be 1..64");
  }
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) throw StoreError("cannot create data folder " + options.data_dir.string() + ": " + ec.message());
  impl_->data_dir = options.data_dir;
  impl_->main_path = (options.data_dir / "main.db").string();
  impl_->main = Connection(impl_->main_path, Connection::Mode::read_write_create);
  impl_->main.exec(kConnectionPragmas);
  impl_->main.exec(sqlite::main_schema_sql);
  for (int k = 0; k < options.shard_count; ++k) {
    impl_->shards.push_back(std::make_unique<Shard>(
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
void commit_batch(Shard& shard) {
  std::exception_ptr error;
  try {
    shard.begin.run();
    try {
      for (PendingWrite* w : shard.batch) {
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
  for (PendingWrite* w : shard.batch) {
    w->error = error;
    w->done = true;
  }
  shard.batch.clear();
}

}  // namespace

GrabOutcome SqliteStore::grab(const GrabRequest& request) {
  Shard& shard = impl_->shard_for(request.shard);
  auto& stock = impl_->catalog->stock;
  if (request.coupon_id < 1 || static_cast<std::uint64_t>(request.coupon_id) >= stock.size() ||
      !stock[static_cast<std::size_t>(request.coupon_id)]) {
    throw StoreError("grab: unknown coupon " + std::to_string(request.coupon_id));
  }
  StockCell& cell = *stock[static_cast<std::size_t>(request.coupon_id)];

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
  PendingWrite mine;
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
    if (!done) commit_batch(shard);
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
  out.timings.push_back(ShardTiming{request.shard, std::chrono::steady_clock::now() - start});
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
  auto parts = impl_->fan_out<std::vector<ResultRow>>(shards, [&](ReaderLease& r, int k) {
    std::vector<ResultRow> rows;
    Statement& st = r->user_results;
    st.bind(1, user_id).bind(2, limit);
    while (st.step()) rows.push_back(read_result(st, k));
    st.reset();
    return rows;
  });
  return {merge_newest_first(parts.value, static_cast<std::size_t>(std::max(limit, 0))),
          std::move(parts.timings)};
}

Fanout<std::vector<ResultRow>> SqliteStore::room_orders(std::int64_t room_id,
                                                        const ShardList& shards, int limit) {
  auto parts = impl_->fan_out<std::vector<ResultRow>>(shards, [&](ReaderLease& r, int k) {
    std::vector<ResultRow> rows;
    Statement& st = r->room_orders;
    st.bind(1, room_id).bind(2, limit);
    while (st.step()) rows.push_back(read_result(st, k));
    st.reset();
    return rows;
  });
  return {merge_newest_first(parts.value, static_cast<std::size_t>(std::max(limit, 0))),
          std::move(parts.timings)};
}

Fanout<std::vector<ResultRow>> SqliteStore::recent_orders(std::int64_t since_ms,
                                                          const ShardList& shards, int limit) {
  auto parts = impl_->fan_out<std::vector<ResultRow>>(shards, [&](ReaderLease& r, int k) {
    std::vector<ResultRow> rows;
    Statement& st = r->recent_orders;
    st.bind(1, since_ms).bind(2, limit);
    while (st.step()) rows.push_back(read_result(st, k));
    st.reset();
    return rows;
  });
  return {merge_newest_first(parts.value, static_cast<std::size_t>(std::max(limit, 0))),
          std::move(parts.timings)};
}

Fanout<std::vector<CouponCounts>> SqliteStore::room_stats(std::int64_t room_id,
                                                          const ShardList& shards) {
  auto parts = impl_->fan_out<std::vector<CouponCounts>>(shards, [&](ReaderLease& r, int) {
    std::vector<CouponCounts> counts;
    Statement& st = r->room_stats;
    st.bind(1, room_id);
    while (st.step()) counts.push_back({st.column_int64(0), st.column_int64(1), st.column_int64(2)});
    st.reset();
    return counts;
  });
  Fanout<std::vector<CouponCounts>> out;
  out.timings = std::move(parts.timings);
  const auto room = find_room(room_id);
  out.value = merge_coupon_counts(room ? room->coupon_ids : std::vector<std::int64_t>{}, parts.value);
  return out;
}

Fanout<std::vector<ShardTotals>> SqliteStore::global_stats(const ShardList& shards) {
  auto parts = impl_->fan_out<ShardTotals>(shards, [&](ReaderLease& r, int k) {
    Statement& st = r->totals;
    ShardTotals totals{k, 0, 0};
    if (st.step()) {
      totals.total_grabs = st.column_int64(0);
      totals.successful_grabs = st.column_int64(1);
    }
    st.reset();
    return totals;
  });
  return {std::move(parts.value), std::move(parts.timings)};
}

Fanout<ResultKeyCounts> SqliteStore::result_key_counts(const ShardList& shards,
                                                       std::chrono::milliseconds time_bucket) {
  if (time_bucket.count() <= 0) throw StoreError("result_key_counts: time bucket must be positive");
  const std::int64_t bucket_ms = time_bucket.count();
  auto parts = impl_->fan_out<ResultKeyCounts>(shards, [&](ReaderLease& r, int) {
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
  });
  Fanout<ResultKeyCounts> out;
  for (auto& part : parts.value) out.value.append(std::move(part));
  out.timings = std::move(parts.timings);
  return out;
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
      ReaderLease reader(*shard);
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

void SqliteStore::load(const Dataset& data, const StoreMeta& meta) {
  {
    std::lock_guard lock(impl_->main_mutex);
    Connection& db = impl_->main;
    // One transaction, prepared statements, no fsync while seeding (the data set can be
    // regenerated from its seed, so losing it in a crash costs nothing).
    db.exec("PRAGMA synchronous=OFF; BEGIN;");
    try {
      db.exec("DELETE FROM coupon_details; DELETE FROM coupons; DELETE FROM live_rooms; "
              "DELETE FROM users; DELETE FROM stampede_meta;");
      Statement user = db.prepare("INSERT INTO users(id, name, level, created_at_ms) VALUES(?1, ?2, ?3, ?4)");
      for (const auto& u : data.users) {
        user.bind(1, u.id).bind(2, u.name).bind(3, static_cast<std::int64_t>(u.level))
            .bind(4, u.created_at_ms).run();
      }
      Statement room = db.prepare(
          "INSERT INTO live_rooms(id, title, streamer_id, is_hot, created_at_ms) VALUES(?1, ?2, ?3, ?4, ?5)");
      for (const auto& r : data.rooms) {
        room.bind(1, r.id).bind(2, r.title).bind(3, r.streamer_id).bind(4, r.hot ? 1 : 0)
            .bind(5, r.created_at_ms).run();
      }
      Statement coupon = db.prepare(
          "INSERT INTO coupons(id, room_id, name, amount_cents, min_spend_cents, total_stock, "
          "start_ms, end_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      for (const auto& c : data.coupons) {
        coupon.bind(1, c.id).bind(2, c.room_id).bind(3, c.name).bind(4, c.amount_cents)
            .bind(5, c.min_spend_cents).bind(6, c.total_stock).bind(7, c.start_ms)
            .bind(8, c.end_ms).run();
      }
      Statement detail = db.prepare(
          "INSERT INTO coupon_details(coupon_id, description, usage_rules) VALUES(?1, ?2, ?3)");
      for (const auto& d : data.details) {
        detail.bind(1, d.coupon_id).bind(2, d.description).bind(3, d.usage_rules).run();
      }
      impl_->write_meta(meta);
      db.exec("COMMIT; PRAGMA synchronous=NORMAL;");
    } catch (...) {
      try {
        db.exec("ROLLBACK; PRAGMA synchronous=NORMAL;");
      } catch (...) {
      }
      throw;
    }
  }
  impl_->clear_shards();
  impl_->load_catalog();
}

void SqliteStore::reset(const StoreMeta& meta) {
  impl_->clear_shards();
  {
    std::lock_guard lock(impl_->main_mutex);
    impl_->write_meta(meta);
  }
  impl_->load_catalog();  // fresh stock cells: seeded stock, no winners
}

std::optional<StoreMeta> SqliteStore::meta() {
  std::lock_guard lock(impl_->main_mutex);
  Statement get = impl_->main.prepare("SELECT key, value FROM stampede_meta");
  StoreMeta meta;
  bool any = false;
  while (get.step()) {
    const auto key = get.column_text(0);
    const auto value = get.column_text(1);
    any = true;
    try {
      if (key == "seed") meta.seed = std::stoull(value);
      if (key == "users") meta.users = std::stoll(value);
      if (key == "rooms") meta.rooms = std::stoll(value);
      if (key == "coupons") meta.coupons = std::stoll(value);
      if (key == "strategy") meta.strategy = value;
      if (key == "shard_count") meta.shard_count = std::stoi(value);
    } catch (const std::exception&) {
      throw StoreError("stampede_meta: bad value for " + key + ": " + value);
    }
  }
  if (!any) return std::nullopt;
  return meta;
}

void SqliteStore::set_shard_offline(int shard, bool offline) {
  if (shard < 0 || shard >= shard_count()) throw StoreError("no shard " + std::to_string(shard));
  impl_->shards[static_cast<std::size_t>(shard)]->offline.store(offline);
}

}  // namespace stampede::server
