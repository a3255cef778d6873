#include "generator/engine/stats_recorder.h"

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
                                  std::uint64_t latency_us) {
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
  }
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
