// Evaluating thresholds on hand-built results: pass, fail, missing selectors, units,
// warm-up and sliding windows.
#include "gate/evaluate.h"

#include <gtest/gtest.h>

namespace stampede::gate {
namespace {

results::Histogram latencies(std::uint64_t from_us, std::uint64_t step_us, int n) {
  results::Histogram h;
  for (int i = 0; i < n; ++i) h.record(from_us + step_us * i);
  return h;
}

// Two endpoints over 10 s: GET /fast 100 requests 1..100 ms (2 failures),
// POST /slow 100 requests at 300 ms; shard 0 of /fast with 10 ms shard time.
results::RunResult sample_run() {
  results::RunResult r;
  r.info.duration_s = 10;
  results::EndpointStats fast{"GET", "/fast", 100, 2, 0, latencies(1'000, 1'000, 100), {}, 0, 10, 0};
  results::EndpointStats slow{"POST", "/slow", 100, 0, 0, latencies(300'000, 0, 100), {}, 0, 10, 0};
  r.endpoints = {fast, slow};
  r.aggregated.name = results::kAggregatedName;
  r.aggregated.requests = 200;
  r.aggregated.failures = 2;
  r.aggregated.latency.merge(fast.latency);
  r.aggregated.latency.merge(slow.latency);
  results::ShardStats shard0;
  shard0.method = "GET";
  shard0.name = "/fast";
  shard0.shard = 0;
  shard0.count = 40;
  shard0.shard_time = latencies(10'000, 0, 40);
  r.shards = {shard0};
  return r;
}

Outcome eval(const std::string& expr, const results::RunResult& r, EvaluateOptions o = {}) {
  return evaluate(parse_threshold(expr), r, o);
}

TEST(Evaluate, WholeRunFiguresPassAndFail) {
  auto r = sample_run();
  Outcome p95 = eval("p95 < 400ms", r);
  EXPECT_EQ(p95.verdict, Verdict::kPass) << p95.message;
  EXPECT_NEAR(p95.measured, 300'000, 300);
  Outcome tight = eval("p95 < 150ms", r);
  EXPECT_EQ(tight.verdict, Verdict::kFail);
  EXPECT_EQ(tight.message, "p95 = 300.0ms, limit < 150ms (all requests)");
  EXPECT_EQ(eval("p50 < 60ms", r).verdict, Verdict::kFail);
  EXPECT_NEAR(eval("p50 < 1s", r).measured, 100'000, 100);     // median is the top of /fast
  EXPECT_DOUBLE_EQ(eval("rps > 1", r).measured, 20);
  EXPECT_DOUBLE_EQ(eval("error_rate < 1%", r).measured, 0.01);
  EXPECT_EQ(eval("error_rate < 1%", r).verdict, Verdict::kFail);  // 1% is not < 1%
  EXPECT_EQ(eval("error_rate <= 1%", r).verdict, Verdict::kPass);
  EXPECT_DOUBLE_EQ(eval("count >= 200", r).measured, 200);
  EXPECT_DOUBLE_EQ(eval("min > 0us", r).measured, 1'000);
  EXPECT_DOUBLE_EQ(eval("max < 1s", r).measured, 300'000);
}

TEST(Evaluate, UnitsCompareInMicroseconds) {
  auto r = sample_run();
  // avg = (50.5 ms * 100 + 300 ms * 100) / 200 = 175.25 ms
  EXPECT_EQ(eval("avg < 0.2s", r).verdict, Verdict::kPass);
  EXPECT_EQ(eval("avg < 175000us", r).verdict, Verdict::kFail);
  EXPECT_EQ(eval("avg < 176ms", r).verdict, Verdict::kPass);
  EXPECT_EQ(eval("avg < 0.2s", r).message.find("avg = 0.175s"), 0u) << eval("avg < 0.2s", r).message;
}

TEST(Evaluate, SelectorsNarrowTheScope) {
  auto r = sample_run();
  Outcome fast = eval(R"(p95{name="/fast"} < 150ms)", r);
  EXPECT_EQ(fast.verdict, Verdict::kPass) << fast.message;
  EXPECT_NEAR(fast.measured, 95'000, 100);
  EXPECT_EQ(eval(R"(error_rate{method="POST"} < 0.1%)", r).verdict, Verdict::kPass);
  EXPECT_EQ(eval(R"(error_rate{method="GET"} < 1%)", r).verdict, Verdict::kFail);  // 2%
  Outcome shard = eval("p95{shard=0} < 20ms", r);
  EXPECT_EQ(shard.verdict, Verdict::kPass) << shard.message;
  EXPECT_DOUBLE_EQ(shard.measured, 10'000);
  EXPECT_EQ(shard.scope, "shard 0");
  EXPECT_DOUBLE_EQ(eval("rps{shard=0} > 1", r).measured, 4);
  EXPECT_EQ(eval("p95{shard=0} < 5ms", r).verdict, Verdict::kFail);
}

TEST(Evaluate, MissingSelectorFailsLoudly) {
  auto r = sample_run();
  Outcome name = eval(R"(p95{name="/nope"} < 10s)", r);
  EXPECT_EQ(name.verdict, Verdict::kNoData);
  EXPECT_FALSE(name.passed());
  EXPECT_NE(name.message.find("no endpoint named \"/nope\" in this run"), std::string::npos) << name.message;
  Outcome method = eval(R"(p95{name="/fast", method="DELETE"} < 10s)", r);
  EXPECT_EQ(method.verdict, Verdict::kNoData);
  EXPECT_NE(method.message.find("with method DELETE"), std::string::npos) << method.message;
  Outcome shard = eval("p95{shard=7} < 10s", r);
  EXPECT_EQ(shard.verdict, Verdict::kNoData);
  EXPECT_NE(shard.message.find("shard 7 never appeared in this run"), std::string::npos) << shard.message;
  EXPECT_EQ(eval("error_rate{shard=0} < 1%", r).verdict, Verdict::kNoData);
  results::RunResult empty;
  empty.info.duration_s = 5;
  EXPECT_EQ(eval("p95 < 10s", empty).verdict, Verdict::kNoData);
  EXPECT_EQ(eval("count < 1", empty).verdict, Verdict::kPass);
  EXPECT_FALSE(all_passed(evaluate_all({parse_threshold("count < 1"), parse_threshold("p95 < 1s")}, empty)));
}

// 20 one-second intervals of /fast: 10 ms everywhere except 500 ms during seconds 3..4
// (warm-up) and 200 ms in second 15.
results::RunResult run_with_history() {
  results::RunResult r = sample_run();
  for (int s = 1; s <= 20; ++s) {
    results::HistoryPoint p;
    p.elapsed_s = s;
    p.interval_s = 1;
    std::uint64_t us = (s == 3 || s == 4) ? 500'000 : s == 15 ? 200'000 : 10'000;
    p.endpoints.push_back({"GET", "/fast", 10, s == 15 ? 5u : 0u, 0, latencies(us, 0, 10), {}, 0});
    r.history.push_back(p);
  }
  return r;
}

TEST(Evaluate, WarmupDropsEarlyIntervals) {
  auto r = run_with_history();
  EXPECT_EQ(eval("max < 300ms", r, {std::chrono::seconds(0)}).verdict, Verdict::kFail);  // whole run
  Outcome after = eval("max < 300ms", r, {std::chrono::seconds(4)});
  EXPECT_EQ(after.verdict, Verdict::kPass) << after.message;
  EXPECT_DOUBLE_EQ(after.measured, 200'000);
  EXPECT_NE(after.message.find("after the 4.0s warm-up"), std::string::npos) << after.message;
  EXPECT_DOUBLE_EQ(eval("rps > 1", r, {std::chrono::seconds(10)}).measured, 10);
  EXPECT_EQ(eval("p95 < 1s", r, {std::chrono::seconds(30)}).verdict, Verdict::kNoData);
  EXPECT_EQ(eval("p95{shard=0} < 1s", r, {std::chrono::seconds(4)}).verdict, Verdict::kNoData);
  EXPECT_EQ(eval(R"(p95{name="/gone"} < 1s)", r, {std::chrono::seconds(4)}).verdict, Verdict::kNoData);
}

TEST(Evaluate, SlidingWindowFailsWhenAnyWindowBreaks) {
  auto r = run_with_history();
  // Whole-run after warm-up: 5 failures of 160 requests = 3.1%; the worst 2 s window
  // holds 5 of 20 = 25%.
  EXPECT_EQ(eval("error_rate < 5%", r, {std::chrono::seconds(4)}).verdict, Verdict::kPass);
  Outcome w = eval("error_rate < 5% over 2s", r, {std::chrono::seconds(4)});
  EXPECT_EQ(w.verdict, Verdict::kFail) << w.message;
  EXPECT_DOUBLE_EQ(w.measured, 0.25);
  EXPECT_TRUE(w.window_end_s == 15 || w.window_end_s == 16) << w.window_end_s;
  // p95 over 5 s windows: the worst window contains second 15 (10 of 50 values at 200 ms).
  Outcome p = eval("p95 < 100ms over 5s", r, {std::chrono::seconds(4)});
  EXPECT_EQ(p.verdict, Verdict::kFail) << p.message;
  EXPECT_NEAR(p.measured, 200'000, 200);
  EXPECT_EQ(eval("p95 < 300ms over 5s", r, {std::chrono::seconds(4)}).verdict, Verdict::kPass);
  // Lower bounds report the lowest window.
  EXPECT_DOUBLE_EQ(eval("rps > 5 over 3s", r).measured, 10);
  // A window longer than the run can't be judged: that fails too.
  Outcome too_long = eval("p95 < 1s over 60s", r);
  EXPECT_EQ(too_long.verdict, Verdict::kNoData);
  EXPECT_NE(too_long.message.find("no complete 60.0s window"), std::string::npos) << too_long.message;
}

// A result folder is read as it is: times so large that a window's length vanishes beside
// them (1e300 - 10 == 1e300) once made the window's start run off the end of the history.
TEST(Evaluate, WindowsStayInsideAHistoryOfHugeTimes) {
  auto r = run_with_history();
  for (auto& p : r.history) p.elapsed_s = 1e300;
  Outcome o = eval("rps > 1 over 10s", r);
  EXPECT_EQ(o.verdict, Verdict::kPass) << o.message;
  EXPECT_NE(o.message.find(", 20 windows"), std::string::npos) << o.message;
}

// Shard 0 of /fast in every interval: 4 responses, 10 ms of shard time, except 900 ms in
// second 3 (warm-up) and 300 ms in second 12.
TEST(Evaluate, ShardThresholdsUseTheHistorysShardSlices) {
  auto r = run_with_history();
  const std::string older = eval("p95{shard=0} < 1s", r, {std::chrono::seconds(4)}).message;
  EXPECT_NE(older.find("no per-shard slices"), std::string::npos) << older;
  for (auto& p : r.history) {
    const std::uint64_t us = p.elapsed_s == 3 ? 900'000 : p.elapsed_s == 12 ? 300'000 : 10'000;
    p.shards.push_back({"GET", "/fast", 0, 4, latencies(us, 0, 4)});
  }
  EXPECT_EQ(eval("max{shard=0} < 500ms over 20s", r).verdict, Verdict::kFail);  // all history: 900 ms
  Outcome after = eval("max{shard=0} < 500ms", r, {std::chrono::seconds(4)});
  EXPECT_EQ(after.verdict, Verdict::kPass) << after.message;
  EXPECT_NEAR(after.measured, 300'000, 300);
  EXPECT_DOUBLE_EQ(eval("count{shard=0} > 1", r, {std::chrono::seconds(4)}).measured, 64);  // 16 s x 4
  Outcome w = eval("p95{shard=0} < 100ms over 2s", r, {std::chrono::seconds(4)});
  EXPECT_EQ(w.verdict, Verdict::kFail) << w.message;
  EXPECT_TRUE(w.window_end_s == 12 || w.window_end_s == 13) << w.window_end_s;
  EXPECT_EQ(eval(R"(p95{shard=0, name="/slow"} < 1s)", r, {std::chrono::seconds(4)}).verdict, Verdict::kNoData);
  EXPECT_EQ(eval("p95{shard=7} < 1s over 2s", r).verdict, Verdict::kNoData);
  EXPECT_EQ(eval("error_rate{shard=0} < 1% over 2s", r).verdict, Verdict::kNoData);
}

}  // namespace
}  // namespace stampede::gate
