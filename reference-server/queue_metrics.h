// The queued write path's figures (queue_write_path.h): what the producer published, what
// the consumers wrote and acknowledged, the publish + confirm time of each grab and the
// end-to-end delay from a grab's stock taken in Redis to its row committed on its shard.
// Rendered into /metrics (Prometheus text, appended to Metrics') and /admin/stats ("queue").
//
// Names (also listed in reference-server/README.md, "The write path"):
//   stampede_server_queue_published_total           grabs published and confirmed by the broker
//   stampede_server_queue_publish_failures_total    grabs answered 503 (broker down / no confirm; stock given back)
//   stampede_server_queue_acked_total               messages acknowledged by this server's consumers
//   stampede_server_queue_written_total{shard}      result rows committed by the consumers
//   stampede_server_queue_duplicates_total          redelivered grabs whose row was already there (no second row)
//   stampede_server_queue_redelivered_total         deliveries the broker flagged as redelivered
//   stampede_server_queue_requeued_total            deliveries given back to the broker (shard down)
//   stampede_server_queue_depth                     gauge: published - acked by this server (summed over
//                                                   servers sharing the queue, the queue's depth)
//   stampede_server_queue_consumers                 gauge: consumers connected to the broker now
//   stampede_server_queue_publish_seconds           histogram: publish + confirm of one grab
//   stampede_server_queue_delay_seconds{shard}      histogram: stock taken -> row committed, per shard
//
// Percentiles (p50/p95 in /admin/stats) are the upper bound of the bucket that holds the
// rank (bounds 0.1, 0.2, 0.5, 1, 2, 5 ... ms up to 60 s): at most 2.5x above the truth;
// the max is exact.
//
// Thread-safety: every member may be called concurrently (relaxed atomics).
// Units: nanoseconds in, seconds in /metrics, milliseconds in /admin/stats.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace stampede::server {

// A log-scale histogram of durations with relaxed atomic buckets.
class DurationHistogram {
 public:
  static constexpr std::array<std::int64_t, 18> kBoundsUs = {
      100, 200, 500, 1'000, 2'000, 5'000, 10'000, 20'000, 50'000, 100'000, 200'000, 500'000,
      1'000'000, 2'000'000, 5'000'000, 10'000'000, 20'000'000, 60'000'000};

  void record(std::chrono::nanoseconds d);
  std::int64_t count() const;
  double sum_seconds() const;
  double max_ms() const;
  // The upper bound (ms) of the bucket holding quantile q (0..1); 0 when empty; the max
  // when the rank falls in the +Inf bucket.
  double quantile_ms(double q) const;
  // `name`_bucket/_sum/_count lines; `labels` without braces, e.g. shard="2" (may be empty).
  void append_prometheus(std::string& out, const std::string& name, const std::string& labels) const;
  nlohmann::json summary() const;  // {"count", "p50_ms", "p95_ms", "max_ms"}

 private:
  std::array<std::atomic<std::int64_t>, kBoundsUs.size() + 1> buckets_{};
  std::atomic<std::int64_t> sum_ns_{0};
  std::atomic<std::int64_t> max_ns_{0};
};

class QueueMetrics {
 public:
  QueueMetrics(int shard_count, int consumers);

  void record_published(std::chrono::nanoseconds publish_and_confirm);
  void record_publish_failure() { publish_failures_.fetch_add(1, std::memory_order_relaxed); }
  void record_delivered(bool redelivered);
  void record_written(int shard, std::chrono::nanoseconds delay);
  void record_duplicate() { duplicates_.fetch_add(1, std::memory_order_relaxed); }
  void record_acked() { acked_.fetch_add(1, std::memory_order_relaxed); }
  void record_requeued() { requeued_.fetch_add(1, std::memory_order_relaxed); }
  // Deliveries left unacked when their connection ended (the broker redelivers them).
  void record_abandoned(std::int64_t n) { abandoned_.fetch_add(n, std::memory_order_relaxed); }
  void record_bad_message() { bad_messages_.fetch_add(1, std::memory_order_relaxed); }
  std::atomic<int>& consumers_connected() { return consumers_connected_; }

  std::int64_t published() const { return published_.load(std::memory_order_relaxed); }
  std::int64_t publish_failures() const { return publish_failures_.load(std::memory_order_relaxed); }
  std::int64_t acked() const { return acked_.load(std::memory_order_relaxed); }
  std::int64_t duplicates() const { return duplicates_.load(std::memory_order_relaxed); }
  std::int64_t written() const;
  std::int64_t depth() const { return published() - acked(); }
  // Delivered to this server's consumers and neither acknowledged nor given back yet.
  std::int64_t in_progress() const;
  int shard_count() const { return shard_count_; }

  nlohmann::json stats() const;  // the /admin/stats "queue" object
  std::string prometheus_text() const;

 private:
  struct PerShard {
    std::atomic<std::int64_t> written{0};
    DurationHistogram delay;
  };
  int shard_count_;
  int consumers_;
  std::atomic<std::int64_t> published_{0};
  std::atomic<std::int64_t> publish_failures_{0};
  std::atomic<std::int64_t> delivered_{0};
  std::atomic<std::int64_t> redelivered_{0};
  std::atomic<std::int64_t> acked_{0};
  std::atomic<std::int64_t> duplicates_{0};
  std::atomic<std::int64_t> requeued_{0};
  std::atomic<std::int64_t> abandoned_{0};
  std::atomic<std::int64_t> bad_messages_{0};
  std::atomic<int> consumers_connected_{0};
  DurationHistogram publish_;
  std::unique_ptr<PerShard[]> shards_;
};

}  // namespace stampede::server
