#include "generator/engine/stats_recorder.h"

#include "generator/http/http_connection.h"

namespace stampede::engine {

StatsRecorder::StatsRecorder(std::size_t endpoint_count) : endpoint_count_(endpoint_count) {
  current_.endpoints.resize(endpoint_count_);
}

void StatsRecorder::record(std::uint32_t endpoint, std::uint64_t latency_us,
                           std::uint64_t content_bytes, bool failed) {
  EndpointInterval& e = current_.endpoints[endpoint];
  ++e.requests;
  e.failures += failed ? 1 : 0;
  e.content_bytes += content_bytes;
  e.latency.record(latency_us);
}

void StatsRecorder::record_failure(std::uint32_t endpoint, std::string_view error) {
  auto key = std::make_pair(endpoint, std::string(error));
  ++current_.failures[key];
}

void StatsRecorder::record_shards(std::uint32_t endpoint, std::span<const http::ShardTiming> shards,
                                  std::uint64_t latency_us, std::optional<std::uint64_t> service_us) {
  if (shards.empty()) return;
  EndpointInterval& e = current_.endpoints[endpoint];
  bool single = true;
  for (const http::ShardTiming& s : shards) {
    if (s.shard != shards.front().shard) single = false;
    if (e.shards.size() <= static_cast<std::size_t>(s.shard)) e.shards.resize(s.shard + 1);
    ShardInterval& si = e.shards[s.shard];
    ++si.count;
    si.shard_time.record(s.dur_us);
  }
  if (single) {
    ShardInterval& si = e.shards[shards.front().shard];
    ++si.single_shard_requests;
    si.single_shard_latency.record(latency_us);
    if (service_us) si.single_shard_service.record(*service_us);
  }
}

namespace {

std::uint64_t micros(std::chrono::microseconds d) { return d.count() < 0 ? 0 : static_cast<std::uint64_t>(d.count()); }

}  // namespace

void StatsRecorder::record_exchange(std::uint32_t endpoint, const http::Exchange& exchange) {
  results::ExchangeStats& x = current_.endpoints[endpoint].exchange;
  if (exchange.new_connection) {
    ++x.new_connections;
    x.connect.record(micros(exchange.connect_time));
    if (exchange.tls_handshake) {
      ++x.tls_handshakes;
      x.tls.record(micros(exchange.tls_time));
      if (exchange.tls_resumed) ++x.tls_resumed;
    }
  }
  if (exchange.ttfb) x.ttfb.record(micros(*exchange.ttfb));
  switch (exchange.server_timing.cache) {
    case http::CacheOutcome::kHit: ++x.cache_hits; break;
    case http::CacheOutcome::kMiss: ++x.cache_misses; break;
    case http::CacheOutcome::kNone: break;
  }
  const int server = exchange.server_timing.server;
  if (server >= 0 && server < results::kMaxServers) ++x.servers[server];
}

void StatsRecorder::record_arrival(std::uint64_t lag_us, bool dropped, std::size_t class_index,
                                   std::uint32_t endpoint) {
  OpenModelInterval& o = current_.open;
  ++o.arrivals;
  if (lag_us > o.lag_max_us) o.lag_max_us = lag_us;
  if (lag_us > kLateArrivalUs) {
    ++o.late_arrivals;
    o.lag_total_us += lag_us;
  }
  if (!dropped) return;
  ++o.dropped;
  if (o.dropped_by_class.size() <= class_index) o.dropped_by_class.resize(class_index + 1);
  ++o.dropped_by_class[class_index];
  if (endpoint < current_.endpoints.size()) ++current_.endpoints[endpoint].dropped;
}

Interval StatsRecorder::take() {
  Interval taken = std::move(current_);
  current_ = Interval{};
  current_.endpoints.resize(endpoint_count_);
  return taken;
}

}  // namespace stampede::engine
