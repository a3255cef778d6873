#include "merge/tests/merge_test_runs.h"

namespace stampede::merge::testing {

using results::EndpointStats;
using results::HistoryPoint;
using results::IntervalEndpoint;
using results::RunResult;

namespace {

void add(EndpointStats& e, const IntervalEndpoint& slice) {
  e.requests += slice.requests;
  e.failures += slice.failures;
  e.content_bytes += slice.content_bytes;
  e.latency.merge(slice.latency);
}

template <typename T>
T keyed(const std::string& method, const std::string& name) {
  T t;
  t.method = method;
  t.name = name;
  return t;
}

template <typename T>
T keyed_shard(int shard) {
  T t = keyed<T>("GET", "/a");
  t.shard = shard;
  return t;
}

}  // namespace

RunResult make_run(const std::string& scenario_name, const std::string& label, std::int64_t started_unix_ms,
                   int seconds, int per_second, std::mt19937_64& rng, results::Histogram& all,
                   results::Histogram& all_a) {
  RunResult run;
  run.info.status = "complete";
  run.info.stop_reason = "run time reached";
  run.info.label = label;
  run.info.scenario_name = scenario_name;
  run.info.hostname = "host-" + label;
  run.info.target_host = "http://127.0.0.1:8000";
  run.info.started_unix_ms = started_unix_ms;
  run.info.duration_s = seconds;
  run.info.ended_unix_ms = started_unix_ms + seconds * 1000;
  run.info.users = 10;
  run.info.threads = 2;
  run.info.user_classes = {"Shopper"};
  run.scenario = {{"name", scenario_name}, {"user_classes", nlohmann::json::array({{{"name", "Shopper"}}})}};
  auto a = keyed<EndpointStats>("GET", "/a"), b = keyed<EndpointStats>("POST", "/b");
  auto shard0 = keyed_shard<results::ShardStats>(0), shard1 = keyed_shard<results::ShardStats>(1);
  std::uniform_int_distribution<int> decade(0, 3);
  std::uniform_int_distribution<std::uint64_t> value(100, 999);
  std::uint64_t failures = 0;
  for (int s = 1; s <= seconds; ++s) {
    HistoryPoint p;
    p.elapsed_s = s;
    p.unix_ms = started_unix_ms + s * 1000;
    p.users = 10;
    auto ia = keyed<IntervalEndpoint>("GET", "/a"), ib = keyed<IntervalEndpoint>("POST", "/b");
    auto is0 = keyed_shard<results::IntervalShard>(0), is1 = keyed_shard<results::IntervalShard>(1);
    for (int i = 0; i < per_second; ++i) {
      std::uint64_t v = value(rng);
      for (int d = decade(rng); d > 0; --d) v *= 10;
      ia.requests++;
      ia.content_bytes += 100;
      ia.latency.record(v);
      all.record(v);
      all_a.record(v);
      results::IntervalShard& is = (i % 2 == 0) ? is0 : is1;
      is.count++;
      is.shard_time.record(v / 2);
      std::uint64_t w = value(rng) * 7;
      ib.requests++;
      ib.latency.record(w);
      all.record(w);
      if (i % 10 == 0) {
        ib.failures++;
        failures++;
      }
    }
    add(a, ia);
    add(b, ib);
    shard0.count += is0.count;
    shard0.shard_time.merge(is0.shard_time);
    shard1.count += is1.count;
    shard1.shard_time.merge(is1.shard_time);
    p.endpoints = {ia, ib};
    p.shards = {is0, is1};
    run.history.push_back(p);
  }
  a.first_request_s = b.first_request_s = 0.5;
  a.last_request_s = b.last_request_s = seconds - 0.25;
  run.aggregated.name = results::kAggregatedName;
  run.aggregated.requests = a.requests + b.requests;
  run.aggregated.failures = a.failures + b.failures;
  run.aggregated.content_bytes = a.content_bytes + b.content_bytes;
  run.aggregated.latency = a.latency;
  run.aggregated.latency.merge(b.latency);
  run.aggregated.first_request_s = 0.5;
  run.aggregated.last_request_s = seconds - 0.25;
  run.endpoints = {a, b};
  run.shards = {shard0, shard1};
  run.failures = {{"POST", "/b", "HTTP 503", failures}};
  return run;
}

}  // namespace stampede::merge::testing
