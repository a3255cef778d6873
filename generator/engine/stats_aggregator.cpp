#include "generator/engine/stats_aggregator.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace stampede::engine {

StatsAggregator::StatsAggregator(const std::vector<scenarios::Endpoint>& endpoints) {
  endpoints_.resize(endpoints.size());
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    endpoints_[i].method = endpoints[i].method;
    endpoints_[i].name = endpoints[i].name;
  }
  aggregated_.name = results::kAggregatedName;
}

namespace {

void note_times(results::EndpointStats& e, double start_s, double end_s) {
  if (e.requests == 0) e.first_request_s = start_s;
  e.last_request_s = end_s;
}

}  // namespace

results::HistoryPoint StatsAggregator::add(std::vector<Interval>&& intervals, double elapsed_s,
                                           double interval_s, std::int64_t unix_ms,
                                           int users) {
  results::HistoryPoint point;
  point.elapsed_s = elapsed_s;
  point.interval_s = interval_s;
  point.unix_ms = unix_ms;
  point.users = users;
  const double start_s = std::max(0.0, elapsed_s - interval_s);

  std::vector<results::IntervalEndpoint> slices(endpoints_.size());
  std::map<ShardKey, results::IntervalShard> shard_slices;
  for (Interval& interval : intervals) {
    connections_ += interval.connections_opened;
    const OpenModelInterval& o = interval.open;
    open_.arrivals += o.arrivals;
    open_.dropped += o.dropped;
    open_.late_arrivals += o.late_arrivals;
    open_.lag_total_us += o.lag_total_us;
    open_.lag_max_us = std::max(open_.lag_max_us, o.lag_max_us);
    if (open_.dropped_by_class.size() < o.dropped_by_class.size()) open_.dropped_by_class.resize(o.dropped_by_class.size());
    for (std::size_t c = 0; c < o.dropped_by_class.size(); ++c) open_.dropped_by_class[c] += o.dropped_by_class[c];
    for (std::size_t id = 0; id < interval.endpoints.size() && id < endpoints_.size(); ++id) {
      EndpointInterval& in = interval.endpoints[id];
      if (in.requests > 0 || in.dropped > 0 || in.skipped > 0) {
        results::IntervalEndpoint& slice = slices[id];
        slice.requests += in.requests;
        slice.failures += in.failures;
        slice.rate_limited += in.rate_limited;
        slice.content_bytes += in.content_bytes;
        slice.latency.merge(in.latency);
        slice.service.merge(in.service);
        slice.dropped += in.dropped;
        slice.exchange.merge(in.exchange);  // recorded with a request: never without one
        slice.skipped += in.skipped;
        slice.invalid_cookies += in.invalid_cookies;  // recorded with a response, as exchange
      }
      for (std::size_t shard = 0; shard < in.shards.size(); ++shard) {
        ShardInterval& s = in.shards[shard];
        if (s.count == 0) continue;
        auto [it, inserted] = shards_.try_emplace(
            ShardKey{static_cast<std::uint32_t>(id), static_cast<int>(shard)});
        results::ShardStats& out = it->second;
        if (inserted) {
          out.method = endpoints_[id].method;
          out.name = endpoints_[id].name;
          out.shard = static_cast<int>(shard);
        }
        results::IntervalShard& slice = shard_slices[it->first];
        slice.count += s.count;
        slice.shard_time.merge(s.shard_time);
        out.count += s.count;
        out.shard_time.merge(s.shard_time);
        out.single_shard_requests += s.single_shard_requests;
        out.single_shard_latency.merge(s.single_shard_latency);
        out.single_shard_service.merge(s.single_shard_service);
      }
    }
    for (auto& [key, count] : interval.failures) failures_[key] += count;
  }

  for (std::size_t id = 0; id < slices.size(); ++id) {
    results::IntervalEndpoint& slice = slices[id];
    // An endpoint with only drops or skips is a row too.
    if (slice.requests == 0 && slice.dropped == 0 && slice.skipped == 0) continue;
    results::EndpointStats& e = endpoints_[id];
    if (slice.requests > 0) {
      note_times(e, start_s, elapsed_s);
      note_times(aggregated_, start_s, elapsed_s);
    }
    e.dropped += slice.dropped;
    aggregated_.dropped += slice.dropped;
    e.requests += slice.requests;
    e.failures += slice.failures;
    e.rate_limited += slice.rate_limited;
    e.content_bytes += slice.content_bytes;
    e.latency.merge(slice.latency);
    e.service.merge(slice.service);
    aggregated_.requests += slice.requests;
    aggregated_.failures += slice.failures;
    aggregated_.rate_limited += slice.rate_limited;
    aggregated_.content_bytes += slice.content_bytes;
    aggregated_.latency.merge(slice.latency);
    aggregated_.service.merge(slice.service);
    e.exchange.merge(slice.exchange);
    aggregated_.exchange.merge(slice.exchange);
    e.skipped += slice.skipped;
    aggregated_.skipped += slice.skipped;
    e.invalid_cookies += slice.invalid_cookies;
    aggregated_.invalid_cookies += slice.invalid_cookies;
    slice.method = e.method;
    slice.name = e.name;
    point.endpoints.push_back(std::move(slice));
  }
  for (auto& [key, slice] : shard_slices) {
    slice.method = endpoints_[key.endpoint].method;
    slice.name = endpoints_[key.endpoint].name;
    slice.shard = key.shard;
    point.shards.push_back(std::move(slice));
  }
  std::sort(point.shards.begin(), point.shards.end(), [](const auto& a, const auto& b) {
    return std::tie(a.shard, a.name, a.method) < std::tie(b.shard, b.name, b.method);
  });
  return point;
}

void StatsAggregator::fill(results::RunResult& result) const {
  result.endpoints.clear();
  for (const results::EndpointStats& e : endpoints_)
    if (e.requests > 0 || e.dropped > 0 || e.skipped > 0) result.endpoints.push_back(e);
  std::sort(result.endpoints.begin(), result.endpoints.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.method) < std::tie(b.name, b.method);
  });
  result.aggregated = aggregated_;

  result.shards.clear();
  for (const auto& [key, s] : shards_) result.shards.push_back(s);
  std::sort(result.shards.begin(), result.shards.end(), [](const auto& a, const auto& b) {
    return std::tie(a.shard, a.name, a.method) < std::tie(b.shard, b.name, b.method);
  });

  result.failures.clear();
  for (const auto& [key, count] : failures_) {
    const results::EndpointStats& e = endpoints_[key.first];
    result.failures.push_back({e.method, e.name, key.second, count});
  }
  std::stable_sort(result.failures.begin(), result.failures.end(),
                   [](const auto& a, const auto& b) { return a.occurrences > b.occurrences; });
}

}  // namespace stampede::engine
