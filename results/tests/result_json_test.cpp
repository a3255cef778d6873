#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>
#include <string>

#include "results/result_folder.h"
#include "sample_run.h"

namespace stampede::results {
namespace {

using nlohmann::json;

// Runs fn, expecting a runtime_error whose message contains every one of `parts`.
template <typename Fn>
void expect_error(Fn&& fn, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    for (const auto& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(ResultJson, RunInfoRoundTrips) {
  const RunResult sample = testing::make_sample_run();
  const json j = to_json(sample.info);
  EXPECT_EQ(j.at("format_version"), 1);
  EXPECT_EQ(j.at("started_unix_ms"), 1'795'000'000'000);
  RunResult back = sample;
  back.info = run_info_from_json(j);
  testing::expect_same_result(back, sample);
}

TEST(ResultJson, EndpointRoundTripsAndCarriesReadableSummary) {
  const RunResult sample = testing::make_sample_run();
  const EndpointStats& e = sample.endpoints.at(0);
  const json j = to_json(e);
  EXPECT_EQ(j.at("latency").at("count"), e.latency.count());
  EXPECT_DOUBLE_EQ(j.at("latency").at("p99_ms").get<double>(),
                   static_cast<double>(e.latency.value_at_percentile(99)) / 1000.0);
  EXPECT_DOUBLE_EQ(j.at("latency").at("max_ms").get<double>(), static_cast<double>(e.latency.max()) / 1000.0);
  EXPECT_DOUBLE_EQ(j.at("fail_ratio").get<double>(),
                   static_cast<double>(e.failures) / static_cast<double>(e.requests));
  const EndpointStats back = endpoint_from_json(j);
  EXPECT_EQ(back.latency, e.latency);
  EXPECT_EQ(back.requests, e.requests);
  EXPECT_EQ(back.name, e.name);
}

TEST(ResultJson, ReaderUsesHistogramsNotDerivedNumbers) {
  const RunResult sample = testing::make_sample_run();
  const EndpointStats& e = sample.endpoints.at(0);
  json j = to_json(e);
  j["latency"]["p99_ms"] = 123456.0;  // a tool editing the convenience figures changes nothing
  EXPECT_EQ(endpoint_from_json(j).latency.value_at_percentile(99), e.latency.value_at_percentile(99));
}

TEST(ResultJson, ShardAndFailureRoundTrip) {
  const RunResult sample = testing::make_sample_run();
  const ShardStats& s = sample.shards.at(2);
  const ShardStats shard = shard_from_json(to_json(s));
  EXPECT_EQ(shard.shard, 2);
  EXPECT_EQ(shard.count, s.count);
  EXPECT_EQ(shard.shard_time, s.shard_time);
  EXPECT_EQ(shard.single_shard_requests, s.single_shard_requests);
  EXPECT_EQ(shard.single_shard_latency, s.single_shard_latency);
  const FailureStats f = failure_from_json(to_json(sample.failures.at(0)));
  EXPECT_EQ(f.error, sample.failures.at(0).error);
  EXPECT_EQ(f.occurrences, sample.failures.at(0).occurrences);
}

TEST(ResultJson, HistoryPointRoundTripsWithDerivedTotal) {
  const RunResult sample = testing::make_sample_run();
  const HistoryPoint& p = sample.history.at(4);
  const json j = to_json(p);
  const IntervalEndpoint total = p.total();
  EXPECT_EQ(j.at("total").at("name"), "Aggregated");
  EXPECT_EQ(j.at("total").at("requests"), total.requests);
  EXPECT_EQ(total.requests, p.endpoints[0].requests + p.endpoints[1].requests + p.endpoints[2].requests);
  EXPECT_DOUBLE_EQ(j.at("total").at("rps").get<double>(), static_cast<double>(total.requests) / p.interval_s);
  EXPECT_DOUBLE_EQ(j.at("endpoints").at(1).at("p95_ms").get<double>(),
                   static_cast<double>(p.endpoints[1].latency.value_at_percentile(95)) / 1000.0);
  const HistoryPoint back = history_point_from_json(j);
  ASSERT_EQ(back.endpoints.size(), p.endpoints.size());
  EXPECT_EQ(back.endpoints[1].latency, p.endpoints[1].latency);
  EXPECT_EQ(back.total().latency, total.latency);
  EXPECT_EQ(back.users, p.users);
}

TEST(ResultJson, NewerFormatVersionIsRefused) {
  json j = to_json(RunInfo{});
  j["format_version"] = 2;
  expect_error([&] { run_info_from_json(j); }, {"/format_version", "newer", "2"});
}

TEST(ResultJson, MalformedFieldsNameTheirPath) {
  json info = to_json(RunInfo{});
  info["users"] = "ten";
  expect_error([&] { run_info_from_json(info); }, {"/users", "expected an integer", "string"});
  info = to_json(RunInfo{});
  info["tags"] = json::array({"ok", 3});
  expect_error([&] { run_info_from_json(info); }, {"/tags/1", "expected a string"});
  info = to_json(RunInfo{});
  info["status"] = "exploded";
  expect_error([&] { run_info_from_json(info); }, {"/status", "exploded"});
  info = to_json(RunInfo{});
  info["users"] = -5;
  expect_error([&] { run_info_from_json(info); }, {"/users", "non-negative"});
  info = to_json(RunInfo{});
  info["duration_s"] = -1.5;
  expect_error([&] { run_info_from_json(info); }, {"/duration_s", "non-negative"});
  info = to_json(RunInfo{});
  info.erase("started_unix_ms");
  expect_error([&] { run_info_from_json(info); }, {"/started_unix_ms", "missing"});

  json e = to_json(testing::make_sample_run().endpoints.at(0));
  e["requests"] = -1;
  expect_error([&] { endpoint_from_json(e); }, {"/requests", "non-negative"});
  e = to_json(testing::make_sample_run().endpoints.at(0));
  e["latency_hist"] = "AAAA";
  expect_error([&] { endpoint_from_json(e); }, {"/latency_hist", "histogram"});

  json p = to_json(testing::make_sample_run().history.at(0));
  p["endpoints"][2]["failures"] = 1.5;
  expect_error([&] { history_point_from_json(p); }, {"/endpoints/2/failures", "fractional"});
  p = to_json(testing::make_sample_run().history.at(0));
  p["users"] = -1;
  expect_error([&] { history_point_from_json(p); }, {"/users", "non-negative"});
  expect_error([&] { history_point_from_json(json::array()); }, {"(root)", "expected an object"});
}

// Every member of every part, replaced by a value of each wrong type: the readers either
// accept it (optional members, null = absent) or throw runtime_error naming that member;
// never another exception type, never a crash.
TEST(ResultJson, EveryMemberWithAWrongTypeIsReportedByPath) {
  const RunResult sample = testing::make_sample_run();
  const std::vector<std::pair<json, std::function<void(const json&)>>> parts = {
      {to_json(sample.info), [](const json& j) { run_info_from_json(j); }},
      {to_json(sample.endpoints.at(1)), [](const json& j) { endpoint_from_json(j); }},
      {to_json(sample.shards.at(0)), [](const json& j) { shard_from_json(j); }},
      {to_json(sample.failures.at(0)), [](const json& j) { failure_from_json(j); }},
      {to_json(sample.history.at(3)), [](const json& j) { history_point_from_json(j); }},
  };
  const json wrong[] = {"text", -5, 0.5, json::array({1}), json::object(), nullptr, true, 1e300};
  int errors = 0;
  for (const auto& [original, read] : parts) {
    const json flat = original.flatten();
    for (const auto& leaf : flat.items()) {
      for (const json& value : wrong) {
        json mutated = original;
        mutated[json::json_pointer(leaf.key())] = value;
        try {
          read(mutated);
        } catch (const std::runtime_error& e) {
          ++errors;
          // the message starts with the path of the member or of one of its parents
          const std::string msg = e.what();
          const std::string top = leaf.key().substr(0, leaf.key().find('/', 1));
          EXPECT_EQ(msg.rfind(top, 0), 0u) << msg << " for " << leaf.key();
        }
      }
    }
  }
  EXPECT_GT(errors, 300);  // most replacements are real errors
}

}  // namespace
}  // namespace stampede::results
