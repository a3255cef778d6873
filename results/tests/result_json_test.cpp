#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <tuple>
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
  EXPECT_EQ(j.at("format_version"), 2);
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
  j["format_version"] = 3;
  expect_error([&] { run_info_from_json(j); }, {"/format_version: format_version 3 is newer", "supports (2)"});
  j["format_version"] = 0;
  expect_error([&] { run_info_from_json(j); }, {"/format_version: must be >= 1"});
}

// ---- version 2: the typed run information --------------------------------------------

TEST(RunInfoJson, TypedMembersRoundTripAsNamedMembers) {
  const RunInfo info = testing::make_lab_run_info();
  const json j = to_json(info);
  EXPECT_EQ(j.at("pid"), 4242);
  EXPECT_EQ(j.at("load_shape"), true);
  EXPECT_EQ(j.at("request_timeout_s"), 30.0);
  EXPECT_EQ(j.at("connect_timeout_s"), 5.0);
  EXPECT_EQ(j.at("stop_timeout_s"), 12.5);
  EXPECT_EQ(j.at("max_body_bytes"), 8 << 20);
  EXPECT_EQ(j.at("max_body_memory_bytes"), 1 << 30);
  EXPECT_EQ(j.at("transport"), "native");
  EXPECT_EQ(j.at("connections"), "per-user");
  EXPECT_EQ(j.at("open_files_limit"), 20'000);
  EXPECT_EQ(j.at("peak_users"), 10);
  EXPECT_EQ(j.at("connections_opened"), 11);
  EXPECT_EQ(j.at("lab"), json::parse(R"({"strategy": "range", "store": "sqlite", "shards": 4,
                                          "folder": "20261122-lab", "warmup": true})"));
  EXPECT_EQ(j.at("extra"), json::parse(R"({"note": "set by hand", "ticket": 19})"));  // only what was put there
  RunResult back;
  back.info = run_info_from_json(j);
  RunResult expected;
  expected.info = info;
  testing::expect_same_result(back, expected);
}

TEST(RunInfoJson, TheOtherTransportAndConnectionModeRoundTrip) {
  RunInfo info;
  info.transport = Transport::kCurl;
  info.connections = Connections::kShared;
  const json j = to_json(info);
  EXPECT_EQ(j.at("transport"), "curl");
  EXPECT_EQ(j.at("connections"), "shared");
  const RunInfo back = run_info_from_json(j);
  EXPECT_EQ(back.transport, Transport::kCurl);
  EXPECT_EQ(back.connections, Connections::kShared);
  EXPECT_EQ(transport_from_string("quic"), std::nullopt);
  EXPECT_EQ(connections_from_string("pooled"), std::nullopt);
}

// A run that did not record them (made by hand, still running) has no such members, and
// reads back without them.
TEST(RunInfoJson, UnrecordedMembersAreAbsentAndReadAsUnknown) {
  const json j = to_json(RunInfo{});
  for (const char* key : {"pid", "request_timeout_s", "connect_timeout_s", "stop_timeout_s", "max_body_bytes",
                          "max_body_memory_bytes", "transport", "connections", "open_files_limit", "peak_users",
                          "connections_opened", "lab"})
    EXPECT_FALSE(j.contains(key)) << key;
  EXPECT_EQ(j.at("load_shape"), false);
  const RunInfo back = run_info_from_json(j);
  EXPECT_FALSE(back.pid || back.request_timeout_s || back.max_body_bytes || back.max_body_memory_bytes ||
               back.transport || back.connections || back.open_files_limit || back.peak_users ||
               back.connections_opened || back.lab);
  EXPECT_FALSE(back.load_shape);
  json lab_only_strategy = j;
  lab_only_strategy["lab"] = {{"strategy", "hash"}};
  const RunInfo lab = run_info_from_json(lab_only_strategy);
  ASSERT_TRUE(lab.lab.has_value());
  EXPECT_EQ(lab.lab->strategy, "hash");
  EXPECT_EQ(std::tie(lab.lab->store, lab.lab->shards, lab.lab->folder, lab.lab->warmup),
            std::make_tuple(std::string(), 0, std::string(), false));
}

// Every typed member with a bad value: the error names its JSON path and the expectation.
TEST(RunInfoJson, EachBadTypedMemberIsReportedByPath) {
  const struct {
    const char* pointer;
    json value;
    const char* message;
  } cases[] = {
      {"/pid", "4242", "/pid: expected an integer, found string"},
      {"/pid", 0, "/pid: must be positive"},
      {"/pid", -7, "/pid: must be positive"},
      {"/pid", 1.5, "/pid: expected an integer, found a fractional number"},
      {"/load_shape", "yes", "/load_shape: expected true or false, found string"},
      {"/load_shape", 1, "/load_shape: expected true or false, found number"},
      {"/request_timeout_s", "30s", "/request_timeout_s: expected a number, found string"},
      {"/request_timeout_s", -1, "/request_timeout_s: must be non-negative"},
      {"/connect_timeout_s", -0.5, "/connect_timeout_s: must be non-negative"},
      {"/stop_timeout_s", json::array(), "/stop_timeout_s: expected a number, found array"},
      {"/max_body_bytes", "8MiB", "/max_body_bytes: expected a non-negative integer, found string"},
      {"/max_body_memory_bytes", -1, "/max_body_memory_bytes: expected a non-negative integer, found a negative integer"},
      {"/transport", "quic", "/transport: expected native or curl, found \"quic\""},
      {"/transport", 1, "/transport: expected a string, found number"},
      {"/connections", "pooled", "/connections: expected per-user or shared, found \"pooled\""},
      {"/open_files_limit", -1, "/open_files_limit: expected a non-negative integer, found a negative integer"},
      {"/peak_users", -3, "/peak_users: must be non-negative"},
      {"/peak_users", "many", "/peak_users: expected an integer, found string"},
      {"/peak_users", 1e12, "/peak_users: expected an integer, found a fractional number"},
      {"/peak_users", std::int64_t{1} << 40, "/peak_users: integer out of range"},
      {"/connections_opened", 2.5, "/connections_opened: expected a non-negative integer, found a fractional number"},
      {"/lab", "hash", "/lab: expected an object, found string"},
      {"/lab/strategy", nullptr, "/lab/strategy: required member is missing"},
      {"/lab/strategy", "", "/lab/strategy: must not be empty"},
      {"/lab/store", 4, "/lab/store: expected a string, found number"},
      {"/lab/shards", -1, "/lab/shards: must be non-negative"},
      {"/lab/shards", "four", "/lab/shards: expected an integer, found string"},
      {"/lab/folder", json::array(), "/lab/folder: expected a string, found array"},
      {"/lab/warmup", "no", "/lab/warmup: expected true or false, found string"},
  };
  const json good = to_json(testing::make_lab_run_info());
  EXPECT_NO_THROW(run_info_from_json(good));
  for (const auto& c : cases) {
    json bad = good;
    bad[json::json_pointer(c.pointer)] = c.value;
    SCOPED_TRACE(std::string(c.pointer) + " = " + c.value.dump());
    expect_error([&] { run_info_from_json(bad); }, {c.message});
  }
}

// Version 2 reads only the named members: stampede's keys in extra mean nothing there.
TEST(RunInfoJson, Version2ReadsNothingFromExtra) {
  json j = to_json(RunInfo{});
  j["extra"] = {{"pid", 4242}, {"strategy", "hash"}, {"peak_users", 3}};
  const RunInfo info = run_info_from_json(j);
  EXPECT_FALSE(info.pid.has_value());
  EXPECT_FALSE(info.lab.has_value());
  EXPECT_FALSE(info.peak_users.has_value());
  EXPECT_EQ(info.extra, j.at("extra"));
}

// ---- version 1: the same information, kept in extra ---------------------------------

json version_1(json extra) {
  json j = to_json(RunInfo{});
  j["format_version"] = 1;
  j.erase("load_shape");
  j["extra"] = std::move(extra);
  return j;
}

// `info` as a version-1 engine and lab wrote it: the typed members as keys of extra, the
// lab's flat, its folder under "lab", warmup only when true.
json as_version_1(const RunInfo& info) {
  json j = to_json(info);
  j["format_version"] = 1;
  for (const char* key : {"pid", "load_shape", "request_timeout_s", "connect_timeout_s", "stop_timeout_s", "transport",
                          "connections", "open_files_limit", "peak_users", "connections_opened"}) {
    if (!j.contains(key)) continue;
    j["extra"][key] = j[key];
    j.erase(key);
  }
  if (j.contains("lab")) {
    const json lab = j["lab"];
    j.erase("lab");
    for (const char* key : {"strategy", "store", "shards"}) j["extra"][key] = lab[key];
    j["extra"]["lab"] = lab["folder"];
    if (lab["warmup"] == true) j["extra"]["warmup"] = true;
  }
  return j;
}

TEST(RunInfoJson, Version1ExtraKeysMapOntoTheTypedFields) {
  RunResult expected;
  expected.info = testing::make_lab_run_info();
  // Engines of version 1 recorded no response-body limits.
  expected.info.max_body_bytes.reset();
  expected.info.max_body_memory_bytes.reset();
  const json v1 = as_version_1(expected.info);
  ASSERT_EQ(v1.at("extra").size(), 17u) << v1.at("extra").dump();
  expected.info.format_version = 1;
  RunResult read;
  read.info = run_info_from_json(v1);
  testing::expect_same_result(read, expected);  // extra keeps only "note" and "ticket"
}

// Version 1's extra was free-form: readers took a key of the type they expected and ignored
// anything else. Such a folder still reads, its odd keys left in extra, unread.
TEST(RunInfoJson, Version1KeysOfAnotherTypeStayInExtra) {
  const json odd = json::parse(R"({"pid": "4242", "load_shape": "yes", "peak_users": 1.5, "transport": "quic",
      "connections": 2, "request_timeout_s": -1, "open_files_limit": -1, "shards": "four", "store": 4,
      "lab": ["x"], "warmup": "no"})");
  json extra = odd;
  extra["strategy"] = "hash";
  const RunInfo info = run_info_from_json(version_1(extra));
  EXPECT_FALSE(info.pid || info.peak_users || info.transport || info.connections || info.request_timeout_s ||
               info.open_files_limit);
  EXPECT_FALSE(info.load_shape);
  ASSERT_TRUE(info.lab.has_value());
  EXPECT_EQ(info.lab->strategy, "hash");
  EXPECT_EQ(info.lab->shards, 0);  // what shard_count made of "four": nothing
  EXPECT_EQ(info.lab->store, "");
  EXPECT_EQ(info.lab->folder, "");
  EXPECT_FALSE(info.lab->warmup);
  EXPECT_EQ(info.extra, odd);
}

TEST(RunInfoJson, Version1WithoutAStrategyIsNoLabRun) {
  const json extra = json::parse(R"({"store": "sqlite", "shards": 4, "lab": "20261122-lab", "strategy": ""})");
  const RunInfo info = run_info_from_json(version_1(extra));
  EXPECT_FALSE(info.lab.has_value());
  EXPECT_EQ(info.extra, extra);
  EXPECT_FALSE(run_info_from_json(version_1(json::object())).lab.has_value());
}

// An older lab wrote {"lab": {"strategy": ...}}, which the GUI read too.
TEST(RunInfoJson, Version1OlderLabObjectGivesTheStrategy) {
  RunInfo info = run_info_from_json(version_1({{"lab", {{"strategy", "range"}}}, {"shards", 3}}));
  ASSERT_TRUE(info.lab.has_value());
  EXPECT_EQ(info.lab->strategy, "range");
  EXPECT_EQ(info.lab->shards, 3);
  EXPECT_EQ(info.lab->folder, "");
  EXPECT_EQ(info.extra, json::object());
  info = run_info_from_json(version_1({{"lab", {{"strategy", "time"}, {"rooms", 9}}}}));
  ASSERT_TRUE(info.lab.has_value());
  EXPECT_EQ(info.lab->strategy, "time");
  EXPECT_EQ(info.extra, json::parse(R"({"lab": {"rooms": 9}})"));  // what has no field stays
  info = run_info_from_json(version_1({{"strategy", "hash"}, {"lab", {{"strategy", "time"}}}}));
  EXPECT_EQ(info.lab->strategy, "hash");  // the top-level key first, as the GUI read it
  EXPECT_EQ(info.extra, json::parse(R"({"lab": {"strategy": "time"}})"));
}

TEST(RunInfoJson, Version1ExtraMustStillBeAnObject) {
  json j = version_1(json::object());
  j["extra"] = "free";
  expect_error([&] { run_info_from_json(j); }, {"/extra: expected an object, found string"});
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
      {to_json(testing::make_lab_run_info()), [](const json& j) { run_info_from_json(j); }},
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
