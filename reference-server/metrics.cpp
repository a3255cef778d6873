#include "reference-server/metrics.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

namespace stampede::server {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
}

Metrics::Metrics(int shard_count)
    : shard_count_(shard_count), shards_(std::make_unique<ShardCounters[]>(static_cast<std::size_t>(shard_count))) {}

void Metrics::record_request(Endpoint endpoint, int status, std::chrono::nanoseconds latency) {
  auto& c = endpoints_[static_cast<std::size_t>(endpoint)];
  const int status_class = std::clamp(status / 100, 1, 5);
  c.by_status_class[static_cast<std::size_t>(status_class)].fetch_add(1, kRelaxed);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBucketBoundsUs.begin(), kBucketBoundsUs.end(), us) - kBucketBoundsUs.begin());
  c.buckets[bucket].fetch_add(1, kRelaxed);
  c.latency_sum_ns.fetch_add(latency.count(), kRelaxed);
}

void Metrics::record_shards(const ShardTimings& timings) {
  for (const auto& t : timings) {
    if (t.shard < 0 || t.shard >= shard_count_) continue;
    auto& s = shards_[static_cast<std::size_t>(t.shard)];
    s.queries.fetch_add(1, kRelaxed);
    s.elapsed_ns.fetch_add(t.elapsed.count(), kRelaxed);
    if (t.pool_wait) {
      s.pool_waits.fetch_add(1, kRelaxed);
      s.pool_wait_ns.fetch_add(t.pool_wait->count(), kRelaxed);
    }
  }
}

void Metrics::record_shard_unavailable(int shard) {
  if (shard < 0 || shard >= shard_count_) return;
  shards_[static_cast<std::size_t>(shard)].unavailable.fetch_add(1, kRelaxed);
}

std::int64_t Metrics::requests(Endpoint endpoint) const {
  std::int64_t total = 0;
  for (const auto& n : endpoints_[static_cast<std::size_t>(endpoint)].by_status_class) {
    total += n.load(kRelaxed);
  }
  return total;
}

std::int64_t Metrics::requests_with_status_class(Endpoint endpoint, int status_class) const {
  if (status_class < 1 || status_class > 5) return 0;
  return endpoints_[static_cast<std::size_t>(endpoint)]
      .by_status_class[static_cast<std::size_t>(status_class)]
      .load(kRelaxed);
}

std::int64_t Metrics::shard_queries(int shard) const {
  return shard >= 0 && shard < shard_count_ ? shards_[static_cast<std::size_t>(shard)].queries.load(kRelaxed) : 0;
}

std::int64_t Metrics::shard_unavailable(int shard) const {
  return shard >= 0 && shard < shard_count_
             ? shards_[static_cast<std::size_t>(shard)].unavailable.load(kRelaxed)
             : 0;
}

double Metrics::shard_seconds(int shard) const {
  return shard >= 0 && shard < shard_count_
             ? static_cast<double>(shards_[static_cast<std::size_t>(shard)].elapsed_ns.load(kRelaxed)) / 1e9
             : 0.0;
}

void Metrics::record_cache(Endpoint endpoint, bool hit) {
  auto& c = endpoints_[static_cast<std::size_t>(endpoint)];
  (hit ? c.cache_hits : c.cache_misses).fetch_add(1, kRelaxed);
}

std::int64_t Metrics::cache_hits(Endpoint endpoint) const {
  return endpoints_[static_cast<std::size_t>(endpoint)].cache_hits.load(kRelaxed);
}

std::int64_t Metrics::cache_misses(Endpoint endpoint) const {
  return endpoints_[static_cast<std::size_t>(endpoint)].cache_misses.load(kRelaxed);
}

std::int64_t Metrics::shard_pool_waits(int shard) const {
  return shard >= 0 && shard < shard_count_ ? shards_[static_cast<std::size_t>(shard)].pool_waits.load(kRelaxed) : 0;
}

double Metrics::shard_pool_wait_seconds(int shard) const {
  return shard >= 0 && shard < shard_count_
             ? static_cast<double>(shards_[static_cast<std::size_t>(shard)].pool_wait_ns.load(kRelaxed)) / 1e9
             : 0.0;
}

std::string Metrics::prometheus_text() const {
  std::string out;
  out.reserve(16 * 1024);
  char line[256];
  out += "# HELP stampede_server_requests_total Requests answered, by endpoint and status class.\n"
         "# TYPE stampede_server_requests_total counter\n";
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    const auto name = endpoint_name(static_cast<Endpoint>(e));
    for (int sc = 1; sc <= 5; ++sc) {
      const auto n = endpoints_[e].by_status_class[static_cast<std::size_t>(sc)].load(kRelaxed);
      if (n == 0) continue;
      std::snprintf(line, sizeof line, "stampede_server_requests_total{endpoint=\"%.*s\",code=\"%dxx\"} %lld\n",
                    static_cast<int>(name.size()), name.data(), sc, static_cast<long long>(n));
      out += line;
    }
  }
  out += "# HELP stampede_server_request_duration_seconds Time from request read to response ready.\n"
         "# TYPE stampede_server_request_duration_seconds histogram\n";
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    const auto& c = endpoints_[e];
    std::int64_t count = 0;
    for (const auto& b : c.buckets) count += b.load(kRelaxed);
    if (count == 0) continue;
    const auto name = endpoint_name(static_cast<Endpoint>(e));
    std::int64_t cumulative = 0;
    for (std::size_t b = 0; b < c.buckets.size(); ++b) {
      cumulative += c.buckets[b].load(kRelaxed);
      if (b < kBucketBoundsUs.size()) {
        std::snprintf(line, sizeof line,
                      "stampede_server_request_duration_seconds_bucket{endpoint=\"%.*s\",le=\"%g\"} %lld\n",
                      static_cast<int>(name.size()), name.data(),
                      static_cast<double>(kBucketBoundsUs[b]) / 1e6, static_cast<long long>(cumulative));
      } else {
        std::snprintf(line, sizeof line,
                      "stampede_server_request_duration_seconds_bucket{endpoint=\"%.*s\",le=\"+Inf\"} %lld\n",
                      static_cast<int>(name.size()), name.data(), static_cast<long long>(cumulative));
      }
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "stampede_server_request_duration_seconds_sum{endpoint=\"%.*s\"} %.6f\n"
                  "stampede_server_request_duration_seconds_count{endpoint=\"%.*s\"} %lld\n",
                  static_cast<int>(name.size()), name.data(),
                  static_cast<double>(c.latency_sum_ns.load(kRelaxed)) / 1e9,
                  static_cast<int>(name.size()), name.data(), static_cast<long long>(cumulative));
    out += line;
  }
  // One counter family with a value per shard; `value(k)` is the sample's text.
  const auto per_shard = [&](std::string_view name, std::string_view help, auto value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" counter\n");
    for (int k = 0; k < shard_count_; ++k) {
      out.append(name).append("{shard=\"").append(std::to_string(k)).append("\"} ").append(value(k)).append("\n");
    }
  };
  per_shard("stampede_server_shard_queries_total", "Queries sent to each shard.",
            [&](int k) { return std::to_string(shard_queries(k)); });
  per_shard("stampede_server_shard_seconds_total", "Time spent in each shard's queries.", [&](int k) {
    std::snprintf(line, sizeof line, "%.6f", shard_seconds(k));
    return std::string(line);
  });
  per_shard("stampede_server_shard_pool_waits_total",
            "Shard queries that asked the shard's connection pool (mysql store; 0 without a bounded pool).",
            [&](int k) { return std::to_string(shard_pool_waits(k)); });
  per_shard("stampede_server_shard_pool_wait_seconds_total",
            "Time shard queries waited for a pooled connection (connecting included).", [&](int k) {
              std::snprintf(line, sizeof line, "%.6f", shard_pool_wait_seconds(k));
              return std::string(line);
            });
  per_shard("stampede_server_shard_unavailable_total", "Requests refused because the shard was down.",
            [&](int k) { return std::to_string(shard_unavailable(k)); });
  out += "# HELP stampede_server_cache_requests_total Cached endpoints' answers, from the cache (hit) or not (miss).\n"
         "# TYPE stampede_server_cache_requests_total counter\n";
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    const auto name = endpoint_name(static_cast<Endpoint>(e));
    const auto hits = endpoints_[e].cache_hits.load(kRelaxed);
    const auto misses = endpoints_[e].cache_misses.load(kRelaxed);
    if (hits + misses == 0) continue;
    std::snprintf(line, sizeof line,
                  "stampede_server_cache_requests_total{endpoint=\"%.*s\",result=\"hit\"} %lld\n"
                  "stampede_server_cache_requests_total{endpoint=\"%.*s\",result=\"miss\"} %lld\n",
                  static_cast<int>(name.size()), name.data(), static_cast<long long>(hits),
                  static_cast<int>(name.size()), name.data(), static_cast<long long>(misses));
    out += line;
  }
  out += "# HELP stampede_server_rate_limited_total Requests refused with 429 by the rate limiter "
         "(--rate-limit).\n"
         "# TYPE stampede_server_rate_limited_total counter\n";
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    const auto limited = endpoints_[e].rate_limited.load(kRelaxed);
    if (limited == 0) continue;
    const auto name = endpoint_name(static_cast<Endpoint>(e));
    std::snprintf(line, sizeof line, "stampede_server_rate_limited_total{endpoint=\"%.*s\"} %lld\n",
                  static_cast<int>(name.size()), name.data(), static_cast<long long>(limited));
    out += line;
  }
  out += "# HELP stampede_server_cache_fallbacks_total Cache calls that failed (cache unavailable); "
         "the answer came from the database.\n"
         "# TYPE stampede_server_cache_fallbacks_total counter\n"
         "stampede_server_cache_fallbacks_total " + std::to_string(cache_fallbacks()) + "\n";
  char tail[512];
  std::snprintf(tail, sizeof tail,
                "# HELP stampede_server_in_flight Requests running on the worker pool.\n"
                "# TYPE stampede_server_in_flight gauge\n"
                "stampede_server_in_flight %d\n"
                "# HELP stampede_server_shed_total Requests refused with 503 because of overload.\n"
                "# TYPE stampede_server_shed_total counter\n"
                "stampede_server_shed_total %lld\n",
                in_flight_.load(kRelaxed), static_cast<long long>(shed()));
  out += tail;
  return out;
}

}  // namespace stampede::server
