// HTTP 429 as its own outcome, end to end on both transports (results/README.md, "rate
// limited"): counted per endpoint and interval as rate_limited, in requests and latency,
// never as a failure nor in the failures table, whatever the request's checks; and a
// request with honour_retry_after waits the answer's Retry-After before the next one (a
// stop ends the wait). Bounds only: nothing asserts how fast this machine is.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "generator/engine/retry_after.h"
#include "generator/engine/runner.h"
#include "generator/engine/tests/engine_fixture.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class RateLimitedRun : public testing::EngineRun {};

const results::EndpointStats& endpoint(const results::RunResult& r, const std::string& name) {
  for (const auto& e : r.endpoints)
    if (e.name == name) return e;
  throw std::runtime_error("no endpoint " + name);
}

std::uint64_t history_rate_limited(const results::RunResult& r, const std::string& name) {
  std::uint64_t sum = 0;
  for (const auto& p : r.history)
    for (const auto& e : p.endpoints)
      if (e.name == name) sum += e.rate_limited;
  return sum;
}

TEST_P(RateLimitedRun, A429IsRateLimitedNotAFailure) {
  // "limited" always answers 429 (one with a check that would fail it: never applied);
  // "broken" answers 503, a failure; "ok" 200.
  auto s = scenario(R"({"stampede_scenario": 1, "name": "limits", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.02}, "tasks": [
      {"request": {"method": "GET", "path": "/status/429", "name": "limited", "check": {"status": 200}}},
      {"request": {"method": "GET", "path": "/status/503", "name": "broken"}},
      {"request": {"method": "GET", "path": "/ok", "name": "ok"}}]}]})");
  http::testing::TestHttpServer server;
  const RunOutcome outcome = run(config(server.url(), 3, 2s), s);

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  const auto& limited = endpoint(r, "limited");
  const auto& broken = endpoint(r, "broken");
  const auto& ok = endpoint(r, "ok");
  EXPECT_GE(limited.requests, 5u);
  EXPECT_EQ(limited.rate_limited, limited.requests);
  EXPECT_EQ(limited.failures, 0u);
  EXPECT_EQ(limited.latency.count(), limited.requests) << "a 429's latency is recorded";
  EXPECT_EQ(broken.failures, broken.requests);
  EXPECT_EQ(broken.rate_limited, 0u);
  EXPECT_EQ(ok.failures + ok.rate_limited, 0u);
  EXPECT_EQ(r.aggregated.rate_limited, limited.requests);
  EXPECT_EQ(r.aggregated.failures, broken.requests);
  EXPECT_EQ(outcome.failures, broken.requests) << "the run's failures leave 429s out";
  EXPECT_EQ(history_rate_limited(r, "limited"), limited.rate_limited);
  for (const auto& f : r.failures) EXPECT_NE(f.name, "limited") << f.error << ": no failures-table row for a 429";
}

TEST_P(RateLimitedRun, HonouringRetryAfterWaitsItAndIgnoringItDoesNot) {
  // Retry-After: 1 on every answer. In 2.5 s a user that honours it sends about 3 requests;
  // one that ignores it (no wait time) sends as fast as the server answers.
  auto s = scenario(R"({"stampede_scenario": 1, "name": "retry", "user_classes": [
    {"name": "U", "tasks": [
      {"weight": 1, "request": {"method": "GET", "path": "/retry-after/1/a", "name": "honour", "honour_retry_after": true}}]},
    {"name": "V", "tasks": [
      {"weight": 1, "request": {"method": "GET", "path": "/retry-after/1/b", "name": "ignore"}}]}]})");
  http::testing::TestHttpServer server;
  run(config(server.url(), 2, 2500ms), s);
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  const auto& honour = endpoint(r, "honour");
  const auto& ignore = endpoint(r, "ignore");
  EXPECT_GE(honour.requests, 1u);
  EXPECT_LE(honour.requests, 4u) << "one request, then a second's wait each time";
  EXPECT_EQ(honour.rate_limited, honour.requests);
  EXPECT_GE(ignore.requests, 20u) << "no wait: as fast as the server answers";
  EXPECT_EQ(ignore.rate_limited, ignore.requests);
}

TEST_P(RateLimitedRun, AStopEndsARetryAfterWait) {
  // Retry-After: 3600; the run's 1 s run time, not the hour, ends it.
  auto s = scenario(R"({"stampede_scenario": 1, "name": "retry-long", "user_classes": [
    {"name": "U", "tasks": [
      {"request": {"method": "GET", "path": "/retry-after/3600/a", "name": "honour", "honour_retry_after": true}}]}]})");
  http::testing::TestHttpServer server;
  const auto start = std::chrono::steady_clock::now();
  run(config(server.url(), 2, 1s), s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 60s) << "bounded by the run's stop";
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(endpoint(r, "honour").requests, 2u) << "one each, then waiting until the stop";
  EXPECT_EQ(r.info.status, "complete");
}

STAMPEDE_ON_EVERY_TRANSPORT(RateLimitedRun);

TEST(RetryAfter, DeltaSecondsOnlyAnyHeaderCaseCapped) {
  EXPECT_EQ(parse_retry_after("3"), std::chrono::seconds(3));
  EXPECT_EQ(parse_retry_after(" 0 "), std::chrono::seconds(0));
  EXPECT_EQ(parse_retry_after("99999"), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1"), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5"), std::nullopt);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(parse_retry_after("1234567890123"), std::nullopt);
  const std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "x"}, {"retry-AFTER", "7"}};
  EXPECT_EQ(retry_after_of(&headers), std::chrono::seconds(7));
  EXPECT_EQ(retry_after_of(nullptr), std::nullopt);
}

}  // namespace
}  // namespace stampede::engine
