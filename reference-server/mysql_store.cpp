#include "reference-server/mysql_store.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "reference-server/mysql_store_impl.h"

namespace stampede::server {

namespace {

using mysql::Param;
using mysql::Row;

constexpr std::string_view kInsertResult =
    "INSERT INTO coupon_results(user_id, coupon_id, room_id, grab_status, fail_reason, "
    "grab_time_ms) VALUES(?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertLog =
    "INSERT INTO stock_logs(coupon_id, user_id, result_id, `change`, created_at_ms) "
    "VALUES(?, ?, ?, -1, ?)";
constexpr std::string_view kUserResults =
    "SELECT id, user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms "
    "FROM coupon_results WHERE user_id = ? ORDER BY grab_time_ms DESC, id DESC LIMIT ?";
constexpr std::string_view kRoomOrders =
    "SELECT id, user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms "
    "FROM coupon_results WHERE room_id = ? ORDER BY grab_time_ms DESC, id DESC LIMIT ?";
constexpr std::string_view kRecentOrders =
    "SELECT id, user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms "
    "FROM coupon_results WHERE grab_time_ms >= ? ORDER BY grab_time_ms DESC, id DESC LIMIT ?";
constexpr int kResultColumns = 7;
// A replica that could not be reached is not asked again for this long (its reads go to the
// next replica or the primary meanwhile), so a stopped replica costs one connect timeout a
// second, not one per read.
constexpr std::int64_t kReplicaSkipMs = 1000;
constexpr std::string_view kRoomStats =
    "SELECT coupon_id, COUNT(*), CAST(COALESCE(SUM(grab_status), 0) AS SIGNED) "
    "FROM coupon_results WHERE room_id = ? GROUP BY coupon_id";
constexpr std::string_view kTotals =
    "SELECT COUNT(*), CAST(COALESCE(SUM(grab_status), 0) AS SIGNED) FROM coupon_results";
constexpr std::string_view kPing = "SELECT 1";
// The resharding estimate's counts, aggregated by the shard (one row per distinct key
// travels, not one per result row). The bucket is integer floor division (DIV truncates
// toward zero, hence the correction for negative times; `/` would round a DECIMAL).
constexpr std::string_view kKeysByUser =
    "SELECT user_id, COUNT(*) FROM coupon_results GROUP BY user_id";
constexpr std::string_view kKeysByRoom =
    "SELECT room_id, COUNT(*) FROM coupon_results GROUP BY room_id";
constexpr std::string_view kKeysByTimeBucket =
    "SELECT CAST(grab_time_ms DIV ? AS SIGNED) - (grab_time_ms < 0 AND MOD(grab_time_ms, ?) <> 0) "
    "AS bucket, COUNT(*) FROM coupon_results GROUP BY bucket";

ResultRow to_result(const Row& r, int shard) {
  ResultRow row;
  row.result_id = r[0];
  row.shard = shard;
  row.user_id = r[1];
  row.coupon_id = r[2];
  row.room_id = r[3];
  row.success = r[4] == 1;
  row.fail_reason = static_cast<FailReason>(r[5]);
  row.grab_time_ms = r[6];
  return row;
}

}  // namespace

// ---- Impl: connections ---------------------------------------------------------------

mysql::Pool& MysqlStore::Impl::shard_pool(int k) {
  if (k < 0 || k >= static_cast<int>(shards.size())) {
    throw StoreError("no shard " + std::to_string(k));
  }
  return *shards[static_cast<std::size_t>(k)];
}

namespace {

// Runs fn on a connection leased from `pool`; a connection that was lost is discarded, not
// returned. When `retry`, a lost connection is retried once on a fresh one. Rethrows the
// last mysql::Error. Returns how long it waited for connections (every attempt's acquire,
// a new connection's connect included).
std::chrono::nanoseconds run_pooled(mysql::Pool& pool, bool retry,
                                    const std::function<void(mysql::Connection&)>& fn) {
  std::chrono::nanoseconds waited{0};
  for (int attempt = 0;; ++attempt) {
    try {
      const auto asked = std::chrono::steady_clock::now();
      auto lease = pool.acquire();
      waited += std::chrono::steady_clock::now() - asked;
      try {
        fn(*lease);
        return waited;
      } catch (const mysql::Error& e) {
        if (e.connection_lost()) lease.discard();
        throw;
      }
    } catch (const mysql::Error& e) {
      if (!e.connection_lost() || !retry || attempt > 0) throw;
    }
  }
}

}  // namespace

std::chrono::nanoseconds MysqlStore::Impl::with_shard(int k, bool retry,
                                                      const std::function<void(mysql::Connection&)>& fn) {
  mysql::Pool& pool = shard_pool(k);
  try {
    // The modelled hop (shard_latency.h) holds the leased connection, as a real one would.
    return run_pooled(pool, retry, [&](mysql::Connection& db) {
      shard_latency.wait();
      fn(db);
    });
  } catch (const mysql::Error& e) {
    if (!e.connection_lost()) throw StoreError("shard " + std::to_string(k) + ": " + e.what());
    throw ShardUnavailable(k, e.what());
  }
}

MysqlStore::Impl::ReadVisit MysqlStore::Impl::with_read(int k, const std::function<void(mysql::Connection&)>& fn) {
  if (replicas.empty()) return {with_shard(k, true, fn), std::nullopt};
  MysqlShardReplicas& shard = *replicas.at(static_cast<std::size_t>(k));
  const std::size_t n = shard.list.size();
  const std::size_t first = shard.next.fetch_add(1, std::memory_order_relaxed) % n;
  const auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  };
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = (first + i) % n;
    MysqlReplica& replica = *shard.list[r];
    if (replica.skip_until_ms.load(std::memory_order_relaxed) > now_ms()) continue;
    try {
      const auto waited = run_pooled(*replica.pool, true, [&](mysql::Connection& db) {
        shard_latency.wait();  // a replica is as far away as its primary
        fn(db);
      });
      replica.reads.fetch_add(1, std::memory_order_relaxed);
      if (r != first) shard.list[first]->fallbacks.fetch_add(1, std::memory_order_relaxed);
      return {waited, static_cast<int>(r) + 1};
    } catch (const mysql::Error& e) {
      if (!e.connection_lost()) {
        throw StoreError("shard " + std::to_string(k) + " replica " + std::to_string(r + 1) + " (" +
                         replica.pool->options().endpoint.address() + "): " + e.what());
      }
      replica.skip_until_ms.store(now_ms() + kReplicaSkipMs, std::memory_order_relaxed);
    }
  }
  shard.list[first]->fallbacks.fetch_add(1, std::memory_order_relaxed);
  return {with_shard(k, true, fn), 0};
}

void MysqlStore::Impl::with_main(const std::function<void(mysql::Connection&)>& fn) {
  try {
    run_pooled(*main, true, fn);
  } catch (const mysql::Error& e) {
    const std::string why = "main database " + settings.main.address() + ": " + e.what();
    if (e.connection_lost()) throw DependencyUnavailable("main database (mariadb)", why);
    throw StoreError(why);
  }
}

// ---- construction --------------------------------------------------------------------

MysqlStoreOptions MysqlStoreOptions::from_environment() {
  MysqlStoreOptions options;
  options.settings = find_mysql_settings();
  return options;
}

MysqlStore::MysqlStore(const MysqlStoreOptions& options) : impl_(std::make_unique<Impl>()) {
  const auto& settings = options.settings;
  if (settings.shards.empty() || settings.shards.size() > 64) {
    throw StoreError("mysql store: shard count must be 1..64");
  }
  impl_->settings = settings;
  impl_->shard_latency = options.shard_latency;
  auto connect_options = [&](const MysqlEndpoint& endpoint) {
    mysql::ConnectOptions o;
    o.endpoint = endpoint;
    o.user = settings.user;
    o.password = settings.password;
    o.connect_timeout = options.connect_timeout;
    return o;
  };
  impl_->main = std::make_unique<mysql::Pool>(connect_options(settings.main), options.pool_size);
  for (const auto& shard : settings.shards) {
    impl_->shards.push_back(std::make_unique<mysql::Pool>(connect_options(shard), options.pool_size));
  }
  const int shard_count = static_cast<int>(settings.shards.size());
  if (options.read_from_replicas) {
    if (settings.shard_replicas.size() != settings.shards.size()) {
      throw StoreError("--read-from replicas: the stack (" + settings.source + ") names replicas for " +
                       std::to_string(settings.shard_replicas.size()) + " of its " +
                       std::to_string(settings.shards.size()) +
                       " shards (STAMPEDE_MYSQL_SHARD_REPLICAS); start them with `fixtures/stack up --replicas 1`");
    }
    for (std::size_t k = 0; k < settings.shard_replicas.size(); ++k) {
      if (settings.shard_replicas[k].empty()) {
        throw StoreError("--read-from replicas: shard " + std::to_string(k) + " has no replica (" + settings.source +
                         "); start them with `fixtures/stack up --replicas 1`");
      }
      auto shard = std::make_unique<MysqlShardReplicas>();
      for (const auto& endpoint : settings.shard_replicas[k]) {
        shard->list.push_back(std::make_unique<MysqlReplica>());
        shard->list.back()->pool = std::make_unique<mysql::Pool>(connect_options(endpoint), options.pool_size);
      }
      impl_->replicas.push_back(std::move(shard));
    }
  }
  impl_->fanout = std::make_unique<FanoutPool>(options.fanout_threads > 0 ? options.fanout_threads
                                                                          : shard_count);
  const std::string prefix = options.redis_prefix.empty()
                                 ? "stampede:" + settings.main.address() + "/" +
                                       settings.main.database + ":"
                                 : options.redis_prefix;
  impl_->redis = std::make_unique<RedisStock>(settings.redis, prefix);
  impl_->load_catalog();
  impl_->ensure_stock();
}

MysqlStore::~MysqlStore() = default;

int MysqlStore::shard_count() const { return static_cast<int>(impl_->shards.size()); }

std::string MysqlStore::main_address() const { return impl_->settings.main.address(); }

// ---- catalog ---------------------------------------------------------------------------

bool MysqlStore::user_exists(std::int64_t user_id) const {
  return impl_->catalog->user_exists(user_id);
}

std::optional<CouponInfo> MysqlStore::find_coupon(std::int64_t coupon_id) const {
  return impl_->catalog->find_coupon(coupon_id);
}

std::optional<RoomInfo> MysqlStore::find_room(std::int64_t room_id) const {
  return impl_->catalog->find_room(room_id);
}

// ---- hot path --------------------------------------------------------------------------

GrabOutcome MysqlStore::grab(const GrabRequest& request) {
  mysql::Pool& pool = impl_->shard_pool(request.shard);
  auto taken = impl_->redis->take(request.coupon_id, request.user_id);
  if (taken.status == RedisStock::Take::not_loaded) {
    impl_->ensure_stock();  // Redis restarted: rebuild, then try once more
    taken = impl_->redis->take(request.coupon_id, request.user_id);
    if (taken.status == RedisStock::Take::not_loaded) {
      throw StoreError("grab: no stock in Redis for coupon " + std::to_string(request.coupon_id));
    }
  }
  GrabOutcome out;
  out.shard = request.shard;
  out.success = taken.status == RedisStock::Take::taken;
  out.fail_reason = taken.status == RedisStock::Take::duplicate      ? FailReason::duplicate
                    : taken.status == RedisStock::Take::out_of_stock ? FailReason::out_of_stock
                                                                     : FailReason::none;
  out.remaining_stock = taken.remaining;

  const auto start = std::chrono::steady_clock::now();
  std::chrono::nanoseconds pool_wait{0};
  try {
    for (int attempt = 0;; ++attempt) {
      const auto asked = std::chrono::steady_clock::now();
      auto lease = pool.acquire();
      pool_wait += std::chrono::steady_clock::now() - asked;
      impl_->shard_latency.wait();  // one modelled hop per transaction (shard_latency.h)
      try {
        // BEGIN is the first thing sent: if the pooled connection is stale (the shard
        // restarted), nothing was written yet and a fresh connection may retry.
        lease->exec("BEGIN");
      } catch (const mysql::Error& e) {
        if (!e.connection_lost()) throw;
        lease.discard();
        if (attempt > 0) throw;
        continue;
      }
      try {
        const std::array<Param, 6> result{request.user_id, request.coupon_id, request.room_id,
                                          std::int64_t{out.success ? 1 : 0},
                                          static_cast<std::int64_t>(out.fail_reason),
                                          request.grab_time_ms};
        lease->execute(kInsertResult, result);
        out.result_id = lease->last_insert_id();
        if (out.success) {
          const std::array<Param, 4> log{request.coupon_id, request.user_id, out.result_id,
                                         request.grab_time_ms};
          lease->execute(kInsertLog, log);
        }
        lease->commit();
      } catch (const mysql::Error& e) {
        if (e.connection_lost()) {
          lease.discard();
        } else {
          lease->rollback();
        }
        throw;
      }
      break;
    }
  } catch (const mysql::Error& e) {
    if (out.success) {
      // The row was not written: the unit goes back, as if the grab never happened.
      try {
        impl_->redis->give_back(request.coupon_id, request.user_id);
      } catch (const StoreError&) {
        // Redis is gone too; nothing more can be done for this unit.
      }
    }
    if (e.connection_lost()) throw ShardUnavailable(request.shard, e.what());
    throw StoreError("shard " + std::to_string(request.shard) + ": " + e.what());
  }
  out.timings.push_back(ShardTiming{request.shard, std::chrono::steady_clock::now() - start, pool_wait});
  return out;
}

std::optional<StockInfo> MysqlStore::stock(std::int64_t coupon_id) {
  auto info = find_coupon(coupon_id);
  if (!info) return std::nullopt;
  auto remaining = impl_->redis->remaining(coupon_id);
  if (!remaining) {
    impl_->ensure_stock();
    remaining = impl_->redis->remaining(coupon_id);
  }
  return StockInfo{coupon_id, info->total_stock, remaining.value_or(0)};
}

// ---- fan-out reads ---------------------------------------------------------------------

// The newest results matching `key` (the query's first parameter), merged over the shards.
Fanout<std::vector<ResultRow>> MysqlStore::Impl::newest_results(std::string_view sql, std::int64_t key,
                                                                const ShardList& list, int limit) {
  return merge_newest_first(fan_out<std::vector<ResultRow>>(list, [&](mysql::Connection& db, int k) {
    const std::array<Param, 2> params{key, std::int64_t{limit}};
    std::vector<ResultRow> rows;
    for (const auto& r : db.query(sql, params, kResultColumns)) rows.push_back(to_result(r, k));
    return rows;
  }, Copy::kReadCopy), limit);
}

Fanout<std::vector<ResultRow>> MysqlStore::user_results(std::int64_t user_id,
                                                        const ShardList& shards, int limit) {
  return impl_->newest_results(kUserResults, user_id, shards, limit);
}

Fanout<std::vector<ResultRow>> MysqlStore::room_orders(std::int64_t room_id,
                                                       const ShardList& shards, int limit) {
  return impl_->newest_results(kRoomOrders, room_id, shards, limit);
}

Fanout<std::vector<ResultRow>> MysqlStore::recent_orders(std::int64_t since_ms,
                                                         const ShardList& shards, int limit) {
  return impl_->newest_results(kRecentOrders, since_ms, shards, limit);
}

Fanout<std::vector<CouponCounts>> MysqlStore::room_stats(std::int64_t room_id,
                                                         const ShardList& shards) {
  auto parts = impl_->fan_out<std::vector<CouponCounts>>(shards, [&](mysql::Connection& db, int) {
    const std::array<Param, 1> params{room_id};
    std::vector<CouponCounts> counts;
    for (const auto& r : db.query(kRoomStats, params, 3)) counts.push_back({r[0], r[1], r[2]});
    return counts;
  }, Impl::Copy::kReadCopy);
  const auto room = find_room(room_id);
  return merge_coupon_counts(room ? room->coupon_ids : std::vector<std::int64_t>{}, std::move(parts));
}

Fanout<std::vector<ShardTotals>> MysqlStore::global_stats(const ShardList& shards) {
  return impl_->fan_out<ShardTotals>(shards, [&](mysql::Connection& db, int k) {
    const auto rows = db.query(kTotals, {}, 2);
    ShardTotals totals{k, 0, 0};
    if (!rows.empty()) {
      totals.total_grabs = rows[0][0];
      totals.successful_grabs = rows[0][1];
    }
    return totals;
  }, Impl::Copy::kReadCopy);
}

Fanout<ResultKeyCounts> MysqlStore::result_key_counts(const ShardList& shards,
                                                      std::chrono::milliseconds time_bucket) {
  if (time_bucket.count() <= 0) throw StoreError("result_key_counts: time bucket must be positive");
  const auto bucket_ms = static_cast<std::int64_t>(time_bucket.count());
  const std::array<Param, 2> bucket{Param{bucket_ms}, Param{bucket_ms}};
  return merge_key_counts(impl_->fan_out<ResultKeyCounts>(shards, [&](mysql::Connection& db, int) {
    ResultKeyCounts counts;
    auto read_pairs = [](const std::vector<Row>& rows, std::vector<KeyCount>& out) {
      out.reserve(rows.size());
      for (const auto& row : rows) out.push_back({row[0], row[1]});
    };
    read_pairs(db.query(kKeysByUser, {}, 2), counts.by_user);
    read_pairs(db.query(kKeysByRoom, {}, 2), counts.by_room);
    read_pairs(db.query(kKeysByTimeBucket, bucket, 2), counts.by_time_bucket);
    return counts;
  }));
}

std::vector<ShardStatus> MysqlStore::shard_status() {
  std::vector<ShardStatus> out(impl_->shards.size());
  ShardList all;
  for (int k = 0; k < shard_count(); ++k) all.push_back(k);
  // Concurrently, so one slow shard does not delay the others' answers.
  impl_->fanout->run(all, [&](int k, std::size_t slot) {
    ShardStatus& status = out[slot];
    mysql::Pool& pool = *impl_->shards[slot];
    status.shard = k;
    status.address = pool.options().endpoint.address();
    try {
      impl_->with_shard(k, true, [&](mysql::Connection& db) {
        const auto start = std::chrono::steady_clock::now();
        db.query(kPing, {}, 1);
        status.ping_ms = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - start).count();
        status.result_rows = db.query(kTotals, {}, 2).at(0).at(0);
      });
      status.up = true;
    } catch (const std::exception& e) {
      status.up = false;
      status.ping_ms = -1.0;
      status.result_rows = -1;
      status.error = e.what();
    }
    status.pool_size = pool.size();
    status.pool_in_use = pool.in_use();
  });
  return out;
}

std::vector<ReplicaStatus> MysqlStore::replica_status() {
  std::vector<std::pair<int, int>> all;  // (shard, replica index)
  for (std::size_t k = 0; k < impl_->replicas.size(); ++k)
    for (std::size_t r = 0; r < impl_->replicas[k]->list.size(); ++r) all.emplace_back(static_cast<int>(k), static_cast<int>(r));
  std::vector<ReplicaStatus> out(all.size());
  ShardList slots;
  for (std::size_t i = 0; i < all.size(); ++i) slots.push_back(static_cast<int>(i));
  // One replica per fan-out slot, concurrently: a replica that does not answer delays no other.
  impl_->fanout->run(slots, [&](int i, std::size_t) {
    const auto [k, r] = all[static_cast<std::size_t>(i)];
    MysqlReplica& replica = *impl_->replicas[static_cast<std::size_t>(k)]->list[static_cast<std::size_t>(r)];
    ReplicaStatus& status = out[static_cast<std::size_t>(i)];
    status.shard = k;
    status.replica = r + 1;
    status.address = replica.pool->options().endpoint.address();
    status.reads = replica.reads.load(std::memory_order_relaxed);
    status.fallbacks = replica.fallbacks.load(std::memory_order_relaxed);
    try {
      run_pooled(*replica.pool, true, [&](mysql::Connection& db) {
        std::vector<std::string> columns;
        const auto rows = db.query_text("SHOW SLAVE STATUS", &columns);
        if (rows.empty()) {
          status.error = "not a replica (SHOW SLAVE STATUS is empty)";
          return;
        }
        const auto value = [&](std::string_view name) -> std::string {
          for (std::size_t c = 0; c < columns.size() && c < rows[0].size(); ++c)
            if (columns[c] == name) return rows[0][c];
          return {};
        };
        status.replicating = value("Slave_IO_Running") == "Yes" && value("Slave_SQL_Running") == "Yes";
        const std::string lag = value("Seconds_Behind_Master");  // NULL ("") when not replicating
        if (!lag.empty()) status.lag_s = std::stod(lag);
      });
    } catch (const std::exception& e) {
      status.error = e.what();
    }
  });
  return out;
}

}  // namespace stampede::server
