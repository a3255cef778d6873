#include "reference-server/queue_shard_writer.h"

#include <array>
#include <map>

namespace stampede::server {

namespace {

using mysql::Param;

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS queue_grabs ("
    "grab_id VARCHAR(64) NOT NULL PRIMARY KEY, "
    "result_id BIGINT NOT NULL, "
    "created_at_ms BIGINT NOT NULL) ENGINE=InnoDB";
constexpr std::string_view kClaim =
    "INSERT IGNORE INTO queue_grabs(grab_id, result_id, created_at_ms) VALUES(?, 0, ?)";
constexpr std::string_view kInsertResult =
    "INSERT INTO coupon_results(user_id, coupon_id, room_id, grab_status, fail_reason, grab_time_ms) "
    "VALUES(?, ?, ?, 1, 0, ?)";
constexpr std::string_view kInsertLog =
    "INSERT INTO stock_logs(coupon_id, user_id, result_id, `change`, created_at_ms) VALUES(?, ?, ?, -1, ?)";
constexpr std::string_view kSetResult = "UPDATE queue_grabs SET result_id = ? WHERE grab_id = ?";
constexpr std::string_view kCouponRows =
    "SELECT coupon_id, COUNT(*), CAST(COALESCE(SUM(grab_status), 0) AS SIGNED) FROM coupon_results "
    "GROUP BY coupon_id";

[[noreturn]] void rethrow_for_shard(int shard, const mysql::Error& e) {
  if (e.connection_lost()) throw ShardUnavailable(shard, e.what());
  throw StoreError("shard " + std::to_string(shard) + ": " + e.what());
}

}  // namespace

QueueShardWriter::QueueShardWriter(const MysqlSettings& settings, int pool_size, ShardLatency latency)
    : latency_(latency) {
  for (const auto& endpoint : settings.shards) {
    mysql::ConnectOptions options;
    options.endpoint = endpoint;
    options.user = settings.user;
    options.password = settings.password;
    shards_.push_back(std::make_unique<mysql::Pool>(options, pool_size));
  }
}

mysql::Pool& QueueShardWriter::pool(int shard) {
  if (shard < 0 || shard >= shard_count()) throw StoreError("queued grab for shard " + std::to_string(shard) +
                                                            ", but the stack has " + std::to_string(shard_count()));
  return *shards_[static_cast<std::size_t>(shard)];
}

void QueueShardWriter::ensure_tables() {
  for (int k = 0; k < shard_count(); ++k) {
    try {
      auto lease = pool(k).acquire();
      lease->exec(kCreateTable);
    } catch (const mysql::Error& e) {
      rethrow_for_shard(k, e);
    }
  }
}

QueueShardWriter::Write QueueShardWriter::write(const QueuedGrab& grab, std::int64_t now_ms) {
  mysql::Pool& shard = pool(grab.shard);
  try {
    for (int attempt = 0;; ++attempt) {
      auto lease = shard.acquire();
      latency_.wait();  // one modelled hop per transaction, as the sync path (shard_latency.h)
      try {
        lease->exec("BEGIN");  // first thing sent: a stale pooled connection may retry
      } catch (const mysql::Error& e) {
        if (!e.connection_lost() || attempt > 0) throw;
        lease.discard();
        continue;
      }
      try {
        const std::array<Param, 2> claim{std::string_view(grab.grab_id), now_ms};
        if (lease->execute(kClaim, claim) == 0) {
          lease->rollback();
          return Write::duplicate;
        }
        const std::array<Param, 4> result{grab.user_id, grab.coupon_id, grab.room_id, grab.grab_time_ms};
        lease->execute(kInsertResult, result);
        const std::int64_t result_id = lease->last_insert_id();
        const std::array<Param, 4> log{grab.coupon_id, grab.user_id, result_id, grab.grab_time_ms};
        lease->execute(kInsertLog, log);
        const std::array<Param, 2> set{result_id, std::string_view(grab.grab_id)};
        lease->execute(kSetResult, set);
        lease->commit();
        return Write::written;
      } catch (const mysql::Error& e) {
        if (e.connection_lost()) {
          lease.discard();
        } else {
          lease->rollback();
        }
        throw;
      }
    }
  } catch (const mysql::Error& e) {
    rethrow_for_shard(grab.shard, e);
  }
}

std::vector<QueueShardWriter::CouponRows> QueueShardWriter::coupon_rows() {
  std::map<std::int64_t, CouponRows> by_coupon;
  for (int k = 0; k < shard_count(); ++k) {
    try {
      auto lease = pool(k).acquire();
      for (const auto& row : lease->query(kCouponRows, {}, 3)) {
        auto& c = by_coupon[row[0]];
        c.coupon_id = row[0];
        c.rows += row[1];
        c.successes += row[2];
      }
    } catch (const mysql::Error& e) {
      rethrow_for_shard(k, e);
    }
  }
  std::vector<CouponRows> out;
  out.reserve(by_coupon.size());
  for (auto& [id, c] : by_coupon) out.push_back(c);
  return out;
}

}  // namespace stampede::server
