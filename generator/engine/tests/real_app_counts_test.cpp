// Scenarios for real applications (issue 21), what the result folder counts beside requests
// and the edges of a user's life, against DemoApp on both transports: requests skipped by
// `when` and Set-Cookie headers the jar ignored reach stats.json per endpoint; a redirect to
// another origin fails naming it (never followed); users a load shape stops on its way down
// run their on_stop requests then, not only at the run's end.
#include <gtest/gtest.h>

#include "generator/engine/tests/demo_app.h"
#include "generator/engine/tests/engine_fixture.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class RealAppCounts : public testing::EngineRun {};

const results::EndpointStats* endpoint(const results::RunResult& r, const std::string& name) {
  for (const auto& e : r.endpoints) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string failures_of(const results::RunResult& r) {
  std::string out;
  for (const auto& f : r.failures) out += f.method + " " + f.name + ": " + f.error + " x" + std::to_string(f.occurrences) + "\n";
  return out;
}

TEST_P(RealAppCounts, SkippedRequestsAndIgnoredCookiesAreCountedPerEndpoint) {
  testing::DemoApp app(std::map<std::string, std::string>{});
  auto s = scenario(R"JSON({"stampede_scenario": 1, "user_classes": [{"name": "U",
    "wait_time": {"constant": 0.05}, "on_start": {"flag": "0"},
    "tasks": [
      {"request": {"name": "odd", "path": "/odd-cookie"}},
      {"when": "${flag}", "request": {"name": "never", "path": "/never"}},
      {"sequence": [{"name": "first", "path": "/login"},
                    {"name": "skipped step", "path": "/never", "when": "${flag} == 'x'"}]}]}]})JSON");
  EXPECT_EQ(run(config(app.url(), 2, 1s), s).failures, 0u) << err_.str();
  EXPECT_EQ(app.requests("GET /never"), 0u);
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.aggregated.failures, 0u) << failures_of(r);

  const results::EndpointStats* odd = endpoint(r, "odd");
  ASSERT_NE(odd, nullptr);
  EXPECT_GT(odd->requests, 0u);
  EXPECT_EQ(odd->invalid_cookies, odd->requests) << "one ignored Set-Cookie header per response";
  EXPECT_EQ(odd->skipped, 0u);

  const results::EndpointStats* never = endpoint(r, "never");
  ASSERT_NE(never, nullptr) << "a task only skipped is a row";
  EXPECT_EQ(never->requests, 0u);
  EXPECT_GT(never->skipped, 0u);
  const results::EndpointStats* step = endpoint(r, "skipped step");
  ASSERT_NE(step, nullptr) << "a skipped step of a sequence counts under its own name";
  EXPECT_EQ(step->requests, 0u);
  EXPECT_EQ(step->skipped, endpoint(r, "first")->requests) << "every sequence skipped its second step";

  EXPECT_EQ(r.aggregated.skipped, never->skipped + step->skipped);
  EXPECT_EQ(r.aggregated.invalid_cookies, odd->invalid_cookies);
  std::uint64_t history_skipped = 0;
  for (const results::HistoryPoint& p : r.history) history_skipped += p.total().skipped;
  EXPECT_EQ(history_skipped, r.aggregated.skipped) << "the history carries them interval by interval";
}

TEST_P(RealAppCounts, ARedirectToAnotherOriginFailsNamingItAndIsNotFollowed) {
  testing::DemoApp app(std::map<std::string, std::string>{});
  auto s = scenario(R"JSON({"stampede_scenario": 1, "user_classes": [{"name": "U",
    "wait_time": {"constant": 0.2}, "tasks": [{"request": {"name": "away", "path": "/away"}}]}]})JSON");
  EXPECT_GT(run(config(app.url(), 1, 1s), s).failures, 0u);
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.failures.size(), 1u) << failures_of(r);
  EXPECT_EQ(r.failures[0].error, "redirect to another origin (not followed): http://elsewhere.invalid");
  ASSERT_NE(endpoint(r, "away"), nullptr);
  EXPECT_EQ(endpoint(r, "away")->failures, endpoint(r, "away")->requests);
  EXPECT_EQ(app.requests("GET /away"), endpoint(r, "away")->requests) << "one exchange per request: nothing followed";
}

TEST_P(RealAppCounts, UsersALoadShapeStopsRunTheirOnStopRequests) {
  testing::DemoApp app(std::map<std::string, std::string>{});
  auto s = scenario(R"JSON({"stampede_scenario": 1, "name": "down",
    "load_shape": {"stages": [{"duration": "1.2s", "users": 4, "spawn_rate": 100},
                              {"duration": "1.6s", "users": 1, "spawn_rate": 100}]},
    "user_classes": [{"name": "U", "wait_time": {"constant": 0.1},
      "tasks": [{"request": {"name": "page", "path": "/login"}}],
      "on_stop": {"requests": [{"name": "bye", "method": "POST", "path": "/logout",
                                "follow_redirects": false, "check": {"status": 303}}]}}]})JSON");
  EXPECT_EQ(run(config(app.url(), 1, 30s), s).failures, 0u) << err_.str();
  EXPECT_EQ(app.requests("POST /logout"), 4u) << "three users stopped by the shape, one at its end";
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.aggregated.failures, 0u) << failures_of(r);
  ASSERT_NE(endpoint(r, "bye"), nullptr);
  EXPECT_EQ(endpoint(r, "bye")->requests, 4u);
  // The shape goes down at 1.2 s: the three stopped users said goodbye then, well before the
  // run's end at 2.8 s (the history's interval ending at 2 s already has them).
  std::uint64_t early = 0;
  for (const results::HistoryPoint& p : r.history) {
    if (p.elapsed_s > 2.5) continue;
    for (const auto& e : p.endpoints)
      if (e.name == "bye") early += e.requests;
  }
  EXPECT_EQ(early, 3u);
}

STAMPEDE_ON_EVERY_TRANSPORT(RealAppCounts);

}  // namespace
}  // namespace stampede::engine
