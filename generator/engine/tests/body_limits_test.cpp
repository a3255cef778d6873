// Response bodies on both transports: the size limit per body (--max-body), the memory all
// users' kept bodies may take together (--max-body-memory), and bodies nobody reads, which
// are only counted.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "generator/engine/tests/engine_fixture.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class BodyLimitsTest : public testing::EngineRun {
 protected:
  // failures by (request name, error) from the result folder
  std::map<std::pair<std::string, std::string>, std::uint64_t> failures() const {
    std::map<std::pair<std::string, std::string>, std::uint64_t> out;
    for (const auto& f : results::read_result_folder(dir_ / "run").failures) out[{f.name, f.error}] += f.occurrences;
    return out;
  }
};

// The default limit (64 MiB), on a body of announced length that nobody reads.
TEST_P(BodyLimitsTest, ABodyOverTheDefaultLimitFails) {
  static_assert(http::kDefaultMaxBodyBytes == std::uint64_t{64} << 20, "the route below asks for 65 MiB");
  auto s = scenario(R"({"stampede_scenario": 1, "name": "big", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.3}, "tasks": [
      {"weight": 1, "request": {"name": "small", "method": "GET", "path": "/big/1/x"}},
      {"weight": 1, "request": {"name": "huge", "method": "GET", "path": "/big/65/x"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_GT(run(config(server.url(), 2, 1500ms), s).failures, 0u);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  for (const auto& e : r.endpoints) {
    if (e.name == "small") {
      EXPECT_EQ(e.failures, 0u);
    }
    if (e.name == "huge") {
      EXPECT_EQ(e.failures, e.requests);
    }
  }
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].name, "huge");
  EXPECT_EQ(r.failures[0].error, "response body too large (--max-body 64MiB)");
}

// --max-body below a served body: refused whether the length is announced or not, and
// whether the body is kept for a check or only counted.
TEST_P(BodyLimitsTest, MaxBodySmallerThanAServedBodyFails) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "max-body", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"name": "small", "method": "GET", "path": "/s",
                   "check": {"json": [{"path": "ok", "equals": true}]}}},
      {"request": {"name": "counted", "method": "GET", "path": "/big/1/x"}},
      {"request": {"name": "counted-chunked", "method": "GET", "path": "/big/1/chunked"}},
      {"request": {"name": "kept", "method": "GET", "path": "/big/1/x",
                   "check": {"json": [{"path": "ok", "exists": true}]}}},
      {"request": {"name": "kept-chunked", "method": "GET", "path": "/big/1/chunked",
                   "check": {"json": [{"path": "ok", "exists": true}]}}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 4, 2s);
  c.max_body_bytes = 512 << 10;
  EXPECT_GT(run(c, s).failures, 0u);
  auto f = failures();
  const std::string too_large = "response body too large (--max-body 512KiB)";
  for (const char* name : {"counted", "counted-chunked", "kept", "kept-chunked"})
    EXPECT_GT((f[{name, too_large}]), 0u) << name;
  results::RunResult r = results::read_result_folder(dir_ / "run");
  for (const auto& e : r.endpoints) {
    if (e.name == "small") {
      EXPECT_EQ(e.failures, 0u);
      EXPECT_GT(e.requests, 10u);
    } else {
      EXPECT_EQ(e.failures, e.requests) << e.name;
    }
  }
  EXPECT_EQ(r.failures.size(), 4u) << "nothing but the limit failed";
  EXPECT_EQ(r.info.max_body_bytes, 512u << 10) << "run.json records the limits";
  EXPECT_EQ(r.info.max_body_memory_bytes, http::kDefaultMaxBodyMemoryBytes);
}

// A body larger than the whole memory budget can never be kept; the same body, read by
// nobody, is only counted and passes (its size still in the statistics).
TEST_P(BodyLimitsTest, AKeptBodyOverTheMemoryLimitFailsACountedOneDoesNot) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "memory", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.1}, "tasks": [
      {"request": {"name": "counted", "method": "GET", "path": "/big/3/x"}},
      {"request": {"name": "kept", "method": "GET", "path": "/big/3/x",
                   "check": {"json": [{"path": "ok", "exists": true}]}}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 3, 1500ms);
  c.max_body_memory_bytes = 2 << 20;
  EXPECT_GT(run(c, s).failures, 0u);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].name, "kept");
  EXPECT_EQ(r.failures[0].error, "response bodies over the memory limit (--max-body-memory 2MiB)");
  for (const auto& e : r.endpoints) {
    if (e.name == "counted") {
      EXPECT_EQ(e.failures, 0u);
      ASSERT_GT(e.requests, 0u);
      EXPECT_EQ(e.content_bytes, e.requests * (3u << 20)) << "counted bodies are sized, not kept";
    }
  }
  EXPECT_NE(err_.str().find("--max-body-memory (2MiB)"), std::string::npos) << err_.str();
}

// Many users holding big bodies at once: each /hold/ response announces 2 MiB, sends 1 MiB
// and stalls until its request times out, so a 5 MiB budget lets two keep their bodies at a
// time and refuses the others. The refused ones are failures, the run ends on time, and
// memory comes back when a held request times out (more than two time out over the run).
TEST_P(BodyLimitsTest, TheSharedBudgetRefusesBodiesBeyondItWhenManyUsersHoldThem) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "hold", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.1}, "tasks": [
      {"request": {"name": "hold", "method": "GET", "path": "/hold/1/x", "timeout": "700ms",
                   "check": {"json": [{"path": "ok", "exists": true}]}}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 12, 2500ms);
  c.max_body_memory_bytes = 5 << 20;
  c.stop_timeout = 1s;
  const auto started = std::chrono::steady_clock::now();
  const RunOutcome outcome = run(c, s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);
  EXPECT_EQ(outcome.failures, outcome.requests) << "no held body ever completes";
  auto f = failures();
  const std::uint64_t refused = f[{"hold", "response bodies over the memory limit (--max-body-memory 5MiB)"}];
  const std::uint64_t timed_out = f[{"hold", "request timeout"}];
  EXPECT_GE(refused, 10u) << "12 users, room for 2";
  EXPECT_GE(timed_out, 3u) << "a timed-out body gives its memory back to the next";
  EXPECT_EQ(results::read_result_folder(dir_ / "run").info.status, "complete");
}

STAMPEDE_ON_EVERY_TRANSPORT(BodyLimitsTest);

}  // namespace
}  // namespace stampede::engine
