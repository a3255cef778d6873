// The exchange figures (results/README.md, "exchange figures"): connections opened with
// their connect and TLS handshake times, time to first byte, Server-Timing cache hits and
// misses and answering servers, per endpoint and per history interval; and the open model's
// service time per shard. Optional members of format 2: written only when recorded, read
// back equal, absent (read as empty) in older folders, and refused with the JSON path when
// they contradict each other.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

#include "results/result_folder.h"
#include "sample_run.h"

namespace stampede::results {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixtures = fs::path(STAMPEDE_SOURCE_DIR) / "results/tests/fixtures";

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

const EndpointStats& endpoint_named(const RunResult& run, const std::string& name) {
  for (const EndpointStats& e : run.endpoints)
    if (e.name == name) return e;
  throw std::runtime_error("no endpoint " + name);
}

TEST(ExchangeStats, MergeAddsCountsHistogramsAndServers) {
  ExchangeStats a;
  a.new_connections = 2;
  a.connect.record(100);
  a.connect.record(120);
  a.tls_handshakes = 2;
  a.tls_resumed = 1;
  a.cache_hits = 3;
  a.servers[1] = 4;
  ExchangeStats b;
  b.new_connections = 1;
  b.connect.record(90);
  b.ttfb.record(5'000);
  b.cache_misses = 1;
  b.servers[1] = 1;
  b.servers[7] = 2;
  a.merge(b);
  EXPECT_EQ(a.new_connections, 3u);
  EXPECT_EQ(a.connect.count(), 3u);
  EXPECT_EQ(a.connect.min(), 90u);
  EXPECT_EQ(a.tls_handshakes, 2u);
  EXPECT_EQ(a.ttfb.count(), 1u);
  EXPECT_EQ(a.servers, (std::map<int, std::uint64_t>{{1, 5}, {7, 2}}));
  ASSERT_TRUE(a.cache_hit_ratio().has_value());
  EXPECT_DOUBLE_EQ(*a.cache_hit_ratio(), 0.75);
  EXPECT_FALSE(ExchangeStats{}.cache_hit_ratio().has_value()) << "no cache entry: no ratio, not 0";
  EXPECT_TRUE(ExchangeStats{}.empty());
  EXPECT_FALSE(a.empty());
}

TEST(ExchangeStats, StatsRowCarriesHistogramsSummariesAndRatio) {
  const RunResult run = testing::make_https_run();
  const EndpointStats& items = endpoint_named(run, "/api/items/[id]");
  const json j = to_json(items);
  for (const char* key : {"new_connections", "tls_handshakes", "tls_resumed", "connect_hist", "tls_hist", "ttfb_hist",
                          "connect", "tls", "ttfb", "cache_hits", "cache_misses", "cache_hit_ratio", "servers"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j.at("connect").at("count"), items.exchange.connect.count());
  EXPECT_EQ(j.at("ttfb").at("p95_ms"), static_cast<double>(items.exchange.ttfb.value_at_percentile(95)) / 1000.0);
  EXPECT_DOUBLE_EQ(j.at("cache_hit_ratio").get<double>(), *items.exchange.cache_hit_ratio());
  EXPECT_EQ(j.at("servers"), (json{{"0", items.exchange.servers.at(0)}, {"1", items.exchange.servers.at(1)}}));
  EXPECT_EQ(endpoint_from_json(j).exchange, items.exchange);
}

TEST(ExchangeStats, HistorySliceCarriesThemWithoutSummariesAndTotalMergesThem) {
  const RunResult run = testing::make_https_run();
  const HistoryPoint& p = run.history.at(0);
  const json line = to_json(p);
  const json& slice = line.at("endpoints").at(0);
  EXPECT_TRUE(slice.contains("connect_hist"));
  EXPECT_TRUE(slice.contains("ttfb_hist"));
  EXPECT_FALSE(slice.contains("connect")) << "summaries are for stats.json";
  EXPECT_FALSE(slice.contains("cache_hit_ratio"));
  const HistoryPoint back = history_point_from_json(line);
  ASSERT_EQ(back.endpoints.size(), p.endpoints.size());
  for (std::size_t i = 0; i < p.endpoints.size(); ++i) EXPECT_EQ(back.endpoints[i].exchange, p.endpoints[i].exchange);
  ExchangeStats sum;
  for (const IntervalEndpoint& e : p.endpoints) sum.merge(e.exchange);
  EXPECT_EQ(back.total().exchange, sum);
  EXPECT_GT(sum.new_connections, 0u);
}

TEST(ExchangeStats, AbsentWhenNothingWasRecordedAndInOlderFolders) {
  const RunResult sample = testing::make_sample_run();
  const json row = to_json(sample.endpoints.at(0));
  for (const char* key : {"new_connections", "connect_hist", "connect", "tls_handshakes", "tls_resumed", "tls_hist",
                          "ttfb_hist", "ttfb", "cache_hits", "cache_misses", "cache_hit_ratio", "servers"})
    EXPECT_FALSE(row.contains(key)) << key;
  const json shard = to_json(sample.shards.at(0));
  EXPECT_FALSE(shard.contains("single_shard_service_hist"));
  EXPECT_FALSE(shard.contains("single_shard_service"));
  const RunResult v1 = read_result_folder(kFixtures / "sample-run-v1");
  EXPECT_TRUE(v1.aggregated.exchange.empty());
  for (const EndpointStats& e : v1.endpoints) EXPECT_TRUE(e.exchange.empty()) << e.name;
  for (const HistoryPoint& p : v1.history)
    for (const IntervalEndpoint& e : p.endpoints) EXPECT_TRUE(e.exchange.empty());
  for (const ShardStats& s : v1.shards) EXPECT_TRUE(s.single_shard_service.empty());
}

TEST(ExchangeStats, ContradictionsAndBadServersNameTheirPath) {
  const json good = to_json(testing::make_https_run().endpoints.at(0));
  ASSERT_TRUE(good.contains("tls_resumed"));
  struct Case {
    std::function<void(json&)> edit;
    std::string expected;
  };
  const Case cases[] = {
      {[](json& j) { j["tls_resumed"] = j["tls_handshakes"].get<std::uint64_t>() + 1; },
       "/tls_resumed: " },
      {[](json& j) { j["tls_handshakes"] = j["new_connections"].get<std::uint64_t>() + 1; }, "/tls_handshakes: "},
      {[](json& j) { j["new_connections"] = 0; j["tls_handshakes"] = 0; j["tls_resumed"] = 0; j.erase("tls_hist"); },
       "/connect_hist: "},
      {[](json& j) { j["tls_handshakes"] = 0; j["tls_resumed"] = 0; }, "/tls_hist: "},
      {[](json& j) { j["cache_hits"] = "many"; }, "/cache_hits: expected a non-negative integer, found string"},
      {[](json& j) { j["ttfb_hist"] = "!!"; }, "/ttfb_hist: not a valid encoded histogram"},
      {[](json& j) { j["servers"] = json::array({1, 2}); }, "/servers: expected an object, found array"},
      {[](json& j) { j["servers"]["srv-2"] = 1; }, "/servers/srv-2: expected a server index 0..1023"},
      {[](json& j) { j["servers"]["01"] = 1; }, "/servers/01: expected a server index"},
      {[](json& j) { j["servers"]["1024"] = 1; }, "/servers/1024: expected a server index"},
      {[](json& j) { j["servers"]["-1"] = 1; }, "/servers/-1: expected a server index"},
      {[](json& j) { j["servers"]["a/b"] = 1; }, "/servers/a~1b: expected a server index"},
      {[](json& j) { j["servers"]["3"] = -4; }, "/servers/3: expected a non-negative integer, found a negative integer"},
  };
  for (const Case& c : cases) {
    json bad = good;
    c.edit(bad);
    const std::string err = error_of([&] { endpoint_from_json(bad); });
    EXPECT_NE(err.find(c.expected), std::string::npos) << "expected '" << c.expected << "' in: " << err;
  }
}

class ExchangeFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stampede-exchange-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(ExchangeFolder, ErrorsNameTheFileAndTheRow) {
  testing::write_result_folder(root_ / "run", testing::make_https_run());
  json stats = json::parse(std::ifstream(root_ / "run/stats.json"));
  stats["endpoints"][1]["tls_resumed"] = 1'000'000;
  std::ofstream(root_ / "run/stats.json", std::ios::trunc) << stats.dump();
  const std::string err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("stats.json: /endpoints/1/tls_resumed: 1000000 resumed sessions but tls_handshakes is"),
            std::string::npos)
      << err;
}

// A live run (no stats.json) sums the exchange figures of its history, per endpoint and in
// the aggregate, like every other count.
TEST_F(ExchangeFolder, ALiveRunSumsThemFromItsHistory) {
  const RunResult run = testing::make_https_run();
  {
    ResultWriter writer(root_ / "live");
    testing::start_result_folder(writer, run);
    for (const HistoryPoint& p : run.history) writer.append_history(p);
  }
  const RunResult live = read_result_folder(root_ / "live");
  ASSERT_EQ(live.endpoints.size(), run.endpoints.size());
  for (std::size_t i = 0; i < run.endpoints.size(); ++i)
    EXPECT_EQ(live.endpoints[i].exchange, run.endpoints[i].exchange) << run.endpoints[i].name;
  EXPECT_EQ(live.aggregated.exchange, run.aggregated.exchange);
  EXPECT_EQ(live.aggregated.exchange.new_connections, *run.info.connections_opened);
}

TEST(ShardService, RoundTripsAndIsBoundedBySingleShardRequests) {
  const RunResult open = testing::make_open_run();
  const ShardStats& s = open.shards.at(0);
  ASSERT_FALSE(s.single_shard_service.empty());
  json j = to_json(s);
  EXPECT_EQ(j.at("single_shard_service").at("count"), s.single_shard_requests);
  EXPECT_EQ(shard_from_json(j).single_shard_service, s.single_shard_service);
  j["single_shard_requests"] = 1;
  EXPECT_NE(error_of([&] { shard_from_json(j); }).find("/single_shard_service_hist: holds more values than single_shard_requests"),
            std::string::npos);
}

// https-run/ is make_https_run() as a folder: other folders' tests (reporters, gate, GUI)
// read it, and results_schema checks it against the schema. Regenerate with
// STAMPEDE_REGENERATE_FIXTURES=1 after an intended format change.
TEST(ResultFixtures, HttpsRunMatchesGenerator) {
  const fs::path https = kFixtures / "https-run";
  if (std::getenv("STAMPEDE_REGENERATE_FIXTURES") != nullptr) {
    fs::remove_all(https);
    testing::write_result_folder(https, testing::make_https_run());
  }
  testing::expect_same_result(read_result_folder(https), testing::make_https_run());
}

}  // namespace
}  // namespace stampede::results
