// The consumers' side of the shards (queued write path): writes one queued grab's result
// row, idempotently by its grab id, and counts the rows per coupon for the drain proof.
//
// Idempotence: every shard has a table `queue_grabs(grab_id PRIMARY KEY, result_id,
// created_at_ms)`, created by ensure_tables() (CREATE TABLE IF NOT EXISTS; the stack's
// account may create tables in its shard databases). write() runs one transaction:
// INSERT IGNORE the grab id; if it was already there, the grab was written before (a
// redelivery) and nothing else happens; else the coupon_results row (success), its
// stock_logs row and the id's result_id. Concurrent deliveries of one id wait on the key's
// lock: one writes, the other sees it. POST /admin/reset empties coupon_results but not
// queue_grabs: the ids of earlier grabs never come again (queue_message.h), so they only
// take space.
//
// Connections: a bounded pool per shard of its own (mysql_conn.h), separate from the
// store's, so consumers never wait behind the request path's reads.
// Errors: ShardUnavailable(k) when shard k is down or drops the connection; StoreError for
// anything else. Thread-safety: all members may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "reference-server/mysql_conn.h"
#include "reference-server/queue_message.h"
#include "reference-server/shard_latency.h"
#include "reference-server/store.h"

namespace stampede::server {

class QueueShardWriter {
 public:
  QueueShardWriter(const MysqlSettings& settings, int pool_size, ShardLatency latency);

  void ensure_tables();

  enum class Write { written, duplicate };
  Write write(const QueuedGrab& grab, std::int64_t now_ms);

  struct CouponRows {
    std::int64_t coupon_id = 0;
    std::int64_t rows = 0;       // coupon_results rows, any status
    std::int64_t successes = 0;  // of which grab_status = 1
  };
  // Every coupon with at least one row, summed over the shards, ascending coupon id.
  std::vector<CouponRows> coupon_rows();

  int shard_count() const { return static_cast<int>(shards_.size()); }

 private:
  mysql::Pool& pool(int shard);

  std::vector<std::unique_ptr<mysql::Pool>> shards_;
  ShardLatency latency_;
};

}  // namespace stampede::server
