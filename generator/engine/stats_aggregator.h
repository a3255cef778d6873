// StatsAggregator: merges the workers' intervals into the run's cumulative statistics and
// one HistoryPoint per snapshot. Runs on the control thread only.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "generator/engine/stats_recorder.h"
#include "results/run_result.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

class StatsAggregator {
 public:
  explicit StatsAggregator(const std::vector<scenarios::Endpoint>& endpoints);

  // Merges one snapshot (one Interval per worker) covering (elapsed_s - interval_s,
  // elapsed_s] and returns its history point.
  results::HistoryPoint add(std::vector<Interval>&& intervals, double elapsed_s,
                            double interval_s, std::int64_t unix_ms, int users);

  // The cumulative statistics so far: endpoints (those with requests, dropped arrivals or skips,
  // sorted by name then method), aggregated, shards, failures. Info and history are left to the caller.
  void fill(results::RunResult& result) const;

  std::uint64_t total_requests() const { return aggregated_.requests; }
  std::uint64_t total_failures() const { return aggregated_.failures; }
  std::uint64_t total_rate_limited() const { return aggregated_.rate_limited; }
  std::uint64_t connections_opened() const { return connections_; }
  // The open model's arrivals so far (lag_max_us: the largest; all zero in the closed model).
  const OpenModelInterval& open_totals() const { return open_; }

 private:
  struct ShardKey {
    std::uint32_t endpoint;
    int shard;
    auto operator<=>(const ShardKey&) const = default;
  };

  std::vector<results::EndpointStats> endpoints_;  // indexed by endpoint id
  results::EndpointStats aggregated_;
  std::map<ShardKey, results::ShardStats> shards_;
  std::map<std::pair<std::uint32_t, std::string>, std::uint64_t> failures_;
  std::uint64_t connections_ = 0;
  OpenModelInterval open_;
};

}  // namespace stampede::engine
