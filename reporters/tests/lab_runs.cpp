#include "reporters/tests/lab_runs.h"

namespace stampede::reporters::testing {

namespace {

using results::EndpointStats;
using results::Histogram;
using results::ShardStats;

Histogram constant(std::uint64_t us, std::uint64_t count) {
  Histogram h;
  h.record(us, count);
  return h;
}

void add_endpoint(results::RunResult& r, const std::string& method, const std::string& name, std::uint64_t requests,
                  std::uint64_t latency_us, const std::vector<std::uint64_t>& shard_counts, bool single) {
  EndpointStats e;
  e.method = method;
  e.name = name;
  e.requests = requests;
  e.latency = constant(latency_us, requests);
  e.last_request_s = 60;
  r.endpoints.push_back(e);
  r.aggregated.requests += requests;
  r.aggregated.latency.merge(e.latency);
  for (std::size_t k = 0; k < shard_counts.size(); ++k) {
    if (shard_counts[k] == 0) continue;
    ShardStats s;
    s.method = method;
    s.name = name;
    s.shard = static_cast<int>(k);
    s.count = shard_counts[k];
    s.shard_time = constant(latency_us / 2, shard_counts[k]);
    if (single) {
      s.single_shard_requests = shard_counts[k];
      s.single_shard_latency = constant(latency_us, shard_counts[k]);
    }
    r.shards.push_back(s);
  }
}

results::ReshardEstimate estimate(const std::string& strategy, std::uint64_t rows, std::uint64_t moved,
                                  const std::string& how) {
  results::ReshardEstimate e;
  e.strategy = strategy;
  e.from_shards = 4;
  e.to_shards = 5;
  e.rows = rows;
  e.moved = moved;
  e.how = how;
  return e;
}

}  // namespace

results::RunResult make_lab_run(const std::string& strategy, const LabRunOptions& o) {
  const bool hash = strategy == "hash";
  results::RunResult r;
  r.info.status = "complete";
  r.info.stop_reason = "run time reached";
  r.info.label = "lab-" + strategy;
  r.info.scenario_name = "coupon-grab";
  r.info.duration_s = 60;
  r.info.run_time_s = 60;
  r.info.users = 50;
  r.info.lab = results::LabRunInfo{.strategy = strategy, .store = "sqlite", .shards = 4};
  r.aggregated.name = results::kAggregatedName;
  r.aggregated.last_request_s = 60;

  const bool fast_user_queries = hash != o.swap_query_latency;
  std::vector<std::uint64_t> hot = hash ? std::vector<std::uint64_t>{100, 100, 100, 100}
                                        : std::vector<std::uint64_t>{400, 0, 0, 0};
  if (hash && o.hash_hot) hot = {0, 400, 0, 0};
  add_endpoint(r, "POST", "/api/coupon/grab [Hot Room]", 400, 2000, hot, true);
  add_endpoint(r, "POST", "/api/coupon/grab [Random]", 600, 1500, {150, 150, 150, 150}, true);
  if (hash) {
    add_endpoint(r, "GET", "/api/user/:id/coupons [Query Own]", 200, fast_user_queries ? 1000 : 4000, {50, 50, 50, 50}, true);
    add_endpoint(r, "GET", "/api/room/:id/orders [Cross Shard]", 100, fast_user_queries ? 5000 : 1300,
                 {100, 100, 100, 100}, false);
  } else {
    add_endpoint(r, "GET", "/api/user/:id/coupons [Query Own]", 200, fast_user_queries ? 1000 : 4000,
                 {200, 200, 200, 200}, false);
    add_endpoint(r, "GET", "/api/room/:id/orders [Cross Shard]", 100, fast_user_queries ? 5000 : 1300, {25, 25, 25, 25},
                 true);
  }
  if (!o.extra_endpoint.empty()) add_endpoint(r, "GET", o.extra_endpoint, 5, 700, {}, false);

  if (o.with_server) {
    results::ServerReport s;
    s.strategy = strategy;
    s.store = "sqlite";
    s.shard_count = 4;
    const std::vector<std::uint64_t> rows = hash ? std::vector<std::uint64_t>{1000, 1000, 1000, 1000}
                                                 : std::vector<std::uint64_t>{2500, 500, 500, 500};
    for (int k = 0; k < 4; ++k) s.shards.push_back({k, true, rows[static_cast<std::size_t>(k)], 100, 0.5});
    s.reshard.push_back(estimate("hash", 4000, 3200, "user_id mod 4 -> user_id mod 5"));
    s.reshard.push_back(estimate("range", 4000, hash ? 400 : 500, "split the last room range"));
    r.server = s;
  }
  return r;
}

std::vector<ComparedRun> make_lab_pair(const LabRunOptions& hash, const LabRunOptions& range) {
  std::vector<ComparedRun> runs;
  for (const auto& [strategy, options] : {std::pair{"hash", hash}, std::pair{"range", range}}) {
    results::RunResult r = make_lab_run(strategy, options);
    const std::filesystem::path folder = std::string("runs/20261122-080000-") + strategy;
    runs.push_back({default_run_label(r, folder), folder, std::move(r)});
  }
  return runs;
}

}  // namespace stampede::reporters::testing
