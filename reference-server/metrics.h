// Server counters: requests and latency per endpoint, queries, time and pool wait per shard,
// in-flight requests and shed requests. Rendered as Prometheus text (/metrics) and read
// by /admin/stats.
//
// Thread-safety: every member may be called concurrently; counters are relaxed atomics
// (one increment per request, no locks). Snapshots are not atomic across counters.
// Units: latencies are recorded in nanoseconds, exported in seconds (Prometheus
// convention); shard time is exported in seconds as a counter (sum).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "reference-server/endpoint.h"
#include "reference-server/store.h"

namespace stampede::server {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in microseconds (then +Inf).
  static constexpr std::array<std::int64_t, 14> kBucketBoundsUs = {
      100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000,
      1'000'000, 5'000'000};

  explicit Metrics(int shard_count);

  void record_request(Endpoint endpoint, int status, std::chrono::nanoseconds latency);
  void record_shards(const ShardTimings& timings);
  void record_shard_unavailable(int shard);
  void record_shed() { shed_.fetch_add(1, std::memory_order_relaxed); }
  // The read cache (cache_aside.h): a cached endpoint's answer from the cache or not, and
  // a cache that could not be asked (the answer came from the database).
  void record_cache(Endpoint endpoint, bool hit);
  void record_cache_fallback() { cache_fallbacks_.fetch_add(1, std::memory_order_relaxed); }
  // The rate limiter (rate_limit.h) refused a request to `endpoint` with 429.
  void record_rate_limited(Endpoint endpoint) {
    endpoints_[static_cast<std::size_t>(endpoint)].rate_limited.fetch_add(1, std::memory_order_relaxed);
  }

  // In-flight requests on the worker pool (the server's overload gate).
  std::atomic<int>& in_flight() { return in_flight_; }

  std::int64_t requests(Endpoint endpoint) const;
  std::int64_t requests_with_status_class(Endpoint endpoint, int status_class) const;  // 2..5
  std::int64_t shard_queries(int shard) const;
  std::int64_t shard_unavailable(int shard) const;
  double shard_seconds(int shard) const;
  // Parts that asked the shard's bounded pool for a connection, and the time they waited
  // (ShardTiming::pool_wait; both 0 for a store without one).
  std::int64_t shard_pool_waits(int shard) const;
  double shard_pool_wait_seconds(int shard) const;
  std::int64_t shed() const { return shed_.load(std::memory_order_relaxed); }
  std::int64_t cache_hits(Endpoint endpoint) const;
  std::int64_t cache_misses(Endpoint endpoint) const;
  std::int64_t cache_fallbacks() const { return cache_fallbacks_.load(std::memory_order_relaxed); }
  std::int64_t rate_limited(Endpoint endpoint) const {
    return endpoints_[static_cast<std::size_t>(endpoint)].rate_limited.load(std::memory_order_relaxed);
  }
  int shard_count() const { return shard_count_; }

  std::string prometheus_text() const;

 private:
  struct EndpointCounters {
    std::array<std::atomic<std::int64_t>, 6> by_status_class{};  // index 1..5 used
    std::array<std::atomic<std::int64_t>, kBucketBoundsUs.size() + 1> buckets{};
    std::atomic<std::int64_t> latency_sum_ns{0};
    std::atomic<std::int64_t> cache_hits{0};
    std::atomic<std::int64_t> cache_misses{0};
    std::atomic<std::int64_t> rate_limited{0};  // 429s of the rate limiter
  };
  struct ShardCounters {
    std::atomic<std::int64_t> queries{0};
    std::atomic<std::int64_t> unavailable{0};
    std::atomic<std::int64_t> elapsed_ns{0};
    std::atomic<std::int64_t> pool_waits{0};  // parts that asked a bounded pool
    std::atomic<std::int64_t> pool_wait_ns{0};
  };

  int shard_count_;
  std::array<EndpointCounters, kEndpointCount> endpoints_{};
  std::unique_ptr<ShardCounters[]> shards_;
  std::atomic<int> in_flight_{0};
  std::atomic<std::int64_t> shed_{0};
  std::atomic<std::int64_t> cache_fallbacks_{0};
};

}  // namespace stampede::server
