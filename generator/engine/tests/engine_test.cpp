// End-to-end runs of the engine against TestHttpServer: what the server received and what
// landed in the result folder.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <unistd.h>

#include "generator/engine/runner.h"
#include "generator/engine/tests/engine_fixture.h"
#include "generator/http/tests/test_http_server.h"
#include "generator/engine/virtual_user.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Every engine test runs on both transports (the native HTTP/1.1 client and libcurl).
class EngineTest : public testing::EngineRun {};

TEST_P(EngineTest, ClassAndTaskMixFollowWeightsOverKeepAlive) {
  auto s = scenario(R"({"stampede_scenario": 1,
    "name": "mix",
    "user_classes": [
      {"name": "A", "weight": 3, "wait_time": {"constant": 0.01}, "tasks": [
        {"weight": 3, "request": {"method": "GET", "path": "/a/x"}},
        {"weight": 1, "request": {"method": "GET", "path": "/a/y"}}]},
      {"name": "B", "weight": 1, "wait_time": {"constant": 0.01}, "tasks": [
        {"weight": 1, "request": {"method": "GET", "path": "/b"}}]}
    ]})");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 20, 3s), s).failures, 0u) << err_.str();

  auto seen = server.requests();
  double ax = seen["GET /a/x"], ay = seen["GET /a/y"], b = seen["GET /b"];
  ASSERT_GT(ax + ay + b, 1000);
  EXPECT_NEAR((ax + ay) / (ax + ay + b), 0.75, 0.04) << "class weights 3:1";
  EXPECT_NEAR(ax / (ax + ay), 0.75, 0.04) << "task weights 3:1";
  EXPECT_EQ(server.connections(), 20u) << "keep-alive: each user keeps its own connection";

  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.status, "complete");
  EXPECT_EQ(r.aggregated.requests, server.total_requests())
      << "every request the server answered is counted once";
  EXPECT_EQ(r.aggregated.failures, 0u);
  EXPECT_GE(r.history.size(), 3u);
  EXPECT_EQ(r.info.users, 20);
  EXPECT_EQ(r.info.peak_users, 20);
  EXPECT_EQ(r.info.connections, results::Connections::kPerUser);
  EXPECT_EQ(r.info.transport,
            GetParam() == RunConfig::Transport::kNative ? results::Transport::kNative : results::Transport::kCurl);
  EXPECT_EQ(r.info.connections_opened, 20u);
}

TEST_P(EngineTest, SharedConnectionsFollowRequestsInFlight) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "shared", "user_classes": [
    {"name": "U", "wait_time": {"constant": 1.0}, "tasks": [
      {"request": {"method": "GET", "path": "/s"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 20, 3s);
  // Users start 50 ms apart and then send once a second, so requests in flight at once stay
  // far below the 20 users even on a busy machine; per-user connections would open 20.
  c.spawn_rate = 20;
  c.threads = 1;
  c.connections = RunConfig::Connections::kShared;
  c.transport = RunConfig::Transport::kAuto;  // shared connections are libcurl's
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();
  EXPECT_GE(server.total_requests(), 30u);
  EXPECT_LT(server.connections(), 20u) << "idle users share their lane's connections (per-user would open 20)";
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.connections, results::Connections::kShared);
  EXPECT_EQ(r.info.transport, results::Transport::kCurl);
}

TEST_P(EngineTest, RequestsNeverAnsweredAreAbandonedFailuresNotACleanRun) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "silent", "user_classes": [
    {"name": "U", "tasks": [{"request": {"name": "hang", "method": "GET", "path": "/delay/60000/x"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 3, 1s);
  c.stop_timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  EXPECT_GT(run(c, s).failures, 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.status, "complete");
  EXPECT_EQ(r.aggregated.requests, 3u) << "each user's one request, recorded when abandoned";
  EXPECT_EQ(r.aggregated.failures, 3u);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].name, "hang");
  EXPECT_EQ(r.failures[0].error, kAbandonedError);
  EXPECT_EQ(r.failures[0].occurrences, 3u);
  EXPECT_GE(r.aggregated.latency.min(), 1'000'000u) << "waited the run time plus the stop timeout";
}

TEST_P(EngineTest, AnUnwritableCsvPathFailsBeforeAResultFolderExists) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "csv", "user_classes": [
    {"name": "U", "tasks": [{"request": {"method": "GET", "path": "/"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 1, 1s);
  c.csv_prefix = (dir_ / "no" / "such" / "dir" / "x").string();
  EXPECT_THROW(run(c, s), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir_ / "run"));
  EXPECT_EQ(server.total_requests(), 0u);
}

TEST_P(EngineTest, WaitTimeIsHonoured) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "wait", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.25}, "tasks": [
      {"request": {"method": "GET", "path": "/w"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 2, 2s), s).failures, 0u) << err_.str();
  // Two users, 2 s, one request per 0.25 s each: 8 requests each (first one at t=0).
  EXPECT_GE(server.total_requests(), 14u);
  EXPECT_LE(server.total_requests(), 18u);
}

// Pacing counts the task's own time: a 100 ms request paced at 0.25 s still starts every
// 0.25 s (a constant wait would make it 0.35 s); between [a, b] averages (a + b) / 2.
TEST_P(EngineTest, PacingThroughputAndBetweenWaitsAreHonoured) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "waits", "user_classes": [
    {"name": "Paced", "fixed_count": 2, "wait_time": {"constant_pacing": 0.25}, "tasks": [
      {"request": {"method": "GET", "path": "/delay/100/paced"}}]},
    {"name": "Throughput", "fixed_count": 2, "wait_time": {"constant_throughput": 5}, "tasks": [
      {"request": {"method": "GET", "path": "/delay/100/throughput"}}]},
    {"name": "Between", "fixed_count": 2, "wait_time": {"between": [0.1, 0.3]}, "tasks": [
      {"request": {"method": "GET", "path": "/between"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 6, 3s), s).failures, 0u) << err_.str();
  auto seen = server.requests();
  // 3 s per user: paced 0.25 s -> 12 starts, 5/s -> 15, ~0.2 s -> ~15 (each first at t=0).
  EXPECT_GE(seen["GET /delay/100/paced"], 2u * 11u);
  EXPECT_LE(seen["GET /delay/100/paced"], 2u * 13u);
  EXPECT_GE(seen["GET /delay/100/throughput"], 2u * 14u);
  EXPECT_LE(seen["GET /delay/100/throughput"], 2u * 16u);
  EXPECT_GE(seen["GET /between"], 2u * 11u);
  EXPECT_LE(seen["GET /between"], 2u * 20u);
}

// --seed: the same seed gives every user the same on_start variables (whatever the thread
// count), another seed other ones.
TEST_P(EngineTest, TheSameSeedGivesTheSameUsers) {
  auto s = scenario(R"json({"stampede_scenario": 1, "name": "seeded", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.1}, "on_start": {"user_id": "uniform(1, 1000000000)"},
     "tasks": [{"request": {"name": "/u/:id", "method": "GET", "path": "/u/${user_id}"}}]}]})json");
  auto paths_seen = [&](std::uint64_t seed, int threads) {
    http::testing::TestHttpServer server;
    RunConfig c = config(server.url(), 4, 700ms);
    c.seed = seed;
    c.threads = threads;
    fs::remove_all(dir_ / "run");
    EXPECT_EQ(run(c, s).failures, 0u) << err_.str();
    std::set<std::string> paths;
    for (const auto& [key, count] : server.requests()) paths.insert(key);
    return paths;
  };
  const auto first = paths_seen(7, 2);
  EXPECT_EQ(first.size(), 4u) << "four users, four user ids";
  EXPECT_EQ(paths_seen(7, 1), first);
  EXPECT_NE(paths_seen(8, 2), first);
}

TEST_P(EngineTest, FailuresAndShardTimingsLandInTheResultFolder) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "faults", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.02}, "tasks": [
      {"weight": 1, "request": {"name": "bad", "method": "GET", "path": "/status/503"}},
      {"weight": 1, "request": {"name": "fanout", "method": "GET", "path": "/shards/0-1"}},
      {"weight": 1, "request": {"name": "single", "method": "POST", "path": "/shards/2/x",
                                "json": {"id": 7}}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_GT(run(config(server.url(), 4, 2s), s).failures, 0u);

  results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].name, "bad");
  EXPECT_EQ(r.failures[0].error, "HTTP 503");
  EXPECT_EQ(r.failures[0].occurrences, server.requests()["GET /status/503"]);

  std::map<std::pair<std::string, int>, const results::ShardStats*> by;
  for (const auto& sh : r.shards) by[{sh.name, sh.shard}] = &sh;
  ASSERT_TRUE(by.count({"fanout", 0}) && by.count({"fanout", 1}) && by.count({"single", 2}));
  EXPECT_EQ(by.size(), 3u);
  const results::ShardStats& fanout0 = *by.at({"fanout", 0});
  const results::ShardStats& single2 = *by.at({"single", 2});
  EXPECT_EQ(fanout0.count, server.requests()["GET /shards/0-1"]);
  EXPECT_EQ(fanout0.single_shard_requests, 0u);
  EXPECT_EQ(single2.single_shard_requests, server.requests()["POST /shards/2/x"]);
  EXPECT_EQ(single2.shard_time.max(), 500u);
  EXPECT_NE(server.last_bodies()["POST /shards/2/x"].find("\"id\":7"), std::string::npos);
}

TEST_P(EngineTest, DeadTargetGivesConnectionErrorsNotAHang) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "dead", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"method": "GET", "path": "/"}}]}]})");
  std::uint16_t port;
  {
    http::testing::TestHttpServer closed;  // bind a port, then free it
    port = closed.port();
  }
  auto start = std::chrono::steady_clock::now();
  EXPECT_GT(run(config("http://127.0.0.1:" + std::to_string(port), 3, 1s), s).failures, 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_FALSE(r.failures.empty());
  EXPECT_EQ(r.failures[0].error, "connection refused");
  EXPECT_EQ(r.aggregated.failures, r.aggregated.requests);
  EXPECT_NE(err_.str().find("cannot reach"), std::string::npos) << err_.str();
}

// The warning is decided by the errors' kind (http::ErrorKind::kConnect), not their text:
// a server that answers every request with garbage fails them all, but it is reachable.
TEST_P(EngineTest, EveryRequestFailingWithoutAConnectErrorIsNotUnreachable) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "garbage", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"method": "GET", "path": "/garbage/x"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_GT(run(config(server.url(), 2, 1500ms), s).failures, 0u);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.aggregated.failures, r.aggregated.requests);
  EXPECT_EQ(err_.str().find("cannot reach"), std::string::npos) << err_.str();
}

TEST_P(EngineTest, InterruptStopsGracefullyAndLeavesACompleteFolder) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "slow", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.01}, "tasks": [
      {"request": {"method": "GET", "path": "/delay/300/x"}}]}]})");
  http::testing::TestHttpServer server;
  std::thread stopper([this] {
    std::this_thread::sleep_for(1200ms);
    interrupts_ = 1;
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run(config(server.url(), 5, 60s), s).failures, 0u);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.status, "interrupted");
  // In-flight requests were allowed to finish: every request the server saw is counted.
  EXPECT_EQ(r.aggregated.requests, server.total_requests());
  EXPECT_GT(r.aggregated.requests, 10u);
}

}  // namespace
}  // namespace stampede::engine

namespace stampede::engine {
namespace {

TEST_P(EngineTest, LoadShapeStagesDriveTheUserCountAndEndTheRun) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "shape",
    "load_shape": {"stages": [{"duration": "1.5s", "users": 2, "spawn_rate": 100},
                              {"duration": "1.5s", "users": 6, "spawn_rate": 100},
                              {"duration": "1.5s", "users": 3, "spawn_rate": 100}]},
    "user_classes": [{"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"method": "GET", "path": "/s"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 1, 30s);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 8s) << "the shape's end stops the run";
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.stop_reason, "load shape finished");
  EXPECT_EQ(r.info.users, 6) << "run.json names the shape's highest stage, not -u";
  EXPECT_EQ(r.info.pid, static_cast<std::int64_t>(::getpid()));
  // Snapshots at t = 1, 2, 3, 4 s; stages change at 1.5, 3.0 and end at 4.5 s.
  ASSERT_GE(r.history.size(), 4u);
  EXPECT_EQ(r.history[0].users, 2);
  EXPECT_EQ(r.history[1].users, 6);
  EXPECT_EQ(r.history[3].users, 3);
}

}  // namespace
}  // namespace stampede::engine

#include "reporters/locust_csv.h"

namespace stampede::engine {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_P(EngineTest, CsvWrittenDuringTheRunMatchesTheResultFolder) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "csv", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.02}, "tasks": [
      {"weight": 2, "request": {"name": "ok", "method": "GET", "path": "/ok"}},
      {"weight": 1, "request": {"name": "bad", "method": "GET", "path": "/status/500"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 3, 2500ms);
  c.csv_prefix = (dir_ / "out").string();
  c.csv_full_history = true;
  std::atomic<bool> finished{false};
  RunOutcome outcome;
  std::thread runner([&] {
    outcome = run(c, s);
    finished = true;
  });
  // Like Locust's, the cumulative files are there while the run goes on.
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (!std::filesystem::exists(dir_ / "out_stats.csv") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out_stats.csv") && !finished)
      << "_stats.csv written during the run, not only at its end";
  runner.join();
  EXPECT_GT(outcome.failures, 0u);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(read_file(dir_ / "out_stats_history.csv"), reporters::locust_stats_history_csv(r, true))
      << "rows appended live equal the rows computed from the finished result";
  EXPECT_EQ(read_file(dir_ / "out_stats.csv"), reporters::locust_stats_csv(r));
  EXPECT_EQ(read_file(dir_ / "out_failures.csv"), reporters::locust_failures_csv(r));
  EXPECT_NE(read_file(dir_ / "out_failures.csv").find("HTTP 500"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out_exceptions.csv"));
}

// How each transport meets what servers do to connections and responses.
TEST_P(EngineTest, TimeoutsClosesChunksAndGarbageAreHandledAlike) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "wire", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"name": "slow", "method": "GET", "path": "/delay/2000/x", "timeout": "200ms"}},
      {"request": {"name": "close", "method": "GET", "path": "/close/x"}},
      {"request": {"name": "drop", "method": "POST", "path": "/drop/x", "json": {"a": 1}}},
      {"request": {"name": "chunked", "method": "GET", "path": "/chunked/x",
                   "check": {"status": 200, "json": [{"path": "grab_status", "in": [0, 1]}]}}},
      {"request": {"name": "garbage", "method": "GET", "path": "/garbage/x"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_GT(run(config(server.url(), 4, 2s), s).failures, 0u) << err_.str();
  results::RunResult r = results::read_result_folder(dir_ / "run");
  std::map<std::string, std::pair<std::string, std::uint64_t>> failures;
  for (const auto& f : r.failures) failures[f.name] = {f.error, f.occurrences};
  std::map<std::string, const results::EndpointStats*> endpoints;
  for (const auto& e : r.endpoints) endpoints[e.name] = &e;

  ASSERT_TRUE(failures.count("slow"));
  EXPECT_EQ(failures["slow"].first, "request timeout");
  EXPECT_GE(endpoints.at("slow")->latency.min(), 190'000u) << "timed out at 0.2 s, not before";
  EXPECT_LT(endpoints.at("slow")->latency.max(), 600'000u) << "and not much later";
  ASSERT_TRUE(failures.count("garbage"));
  EXPECT_EQ(failures["garbage"].first, "invalid HTTP response");
  EXPECT_FALSE(failures.count("close")) << "Connection: close is a normal answer";
  EXPECT_FALSE(failures.count("drop")) << "a kept-alive connection the server dropped is reopened";
  EXPECT_FALSE(failures.count("chunked")) << "chunked body parsed and checked";
  EXPECT_GT(endpoints.at("drop")->requests, 4u);
  EXPECT_GT(endpoints.at("chunked")->requests, 4u);
  EXPECT_EQ(server.requests()["POST /drop/x"], endpoints.at("drop")->requests)
      << "each dropped-connection request reached the server once more, none twice";
  EXPECT_EQ(r.failures.size(), 2u);
}

// A task sequence goes out in order, back to back, and a captured response field is used
// by the next step: every "then" request carries the grab_status the "first" one got.
TEST_P(EngineTest, SequencesRunInOrderAndCapturesFeedTheNextStep) {
  auto s = scenario(R"json({"stampede_scenario": 1, "name": "seq", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.02}, "on_start": {"id": "uniform(1, 3)"}, "tasks": [
      {"sequence": [
        {"name": "first", "method": "POST", "path": "/first/${id}", "json": {"id": "${id}"},
         "capture": {"got": "grab_status"}},
        {"name": "then", "path": "/then/${got}"},
        {"name": "last", "path": "/last/${id}"}]}]}]})json");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 3, 1500ms), s).failures, 0u) << err_.str();
  auto seen = server.requests();
  std::uint64_t first = 0, then = 0, last = 0;
  for (const auto& [key, n] : seen) {
    if (key.starts_with("POST /first/")) first += n;
    if (key.starts_with("GET /then/")) then += n;
    if (key.starts_with("GET /last/")) last += n;
  }
  EXPECT_GT(first, 20u);
  EXPECT_EQ(seen["GET /then/1"], then) << "the captured grab_status (1) is in every 'then' path";
  // The stop comes between steps: a user may have sent 'first' and not yet 'then'.
  EXPECT_LE(first - then, 3u);
  EXPECT_LE(first - last, 3u) << "each sequence runs to its end (at most one per user cut by the stop)";
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.aggregated.failures, 0u);
}

STAMPEDE_ON_EVERY_TRANSPORT(EngineTest);

}  // namespace
}  // namespace stampede::engine
