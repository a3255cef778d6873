// The open model's figures in the gate: service.* judges the service time (from the actual
// send), plain latency metrics the latency (from the intended start), dropped counts the
// arrivals not sent — whole run, per endpoint, over windows and after a warm-up — on a
// result folder written and read back. And what service.* and dropped mean in a
// closed-model run.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "gate/evaluate.h"
#include "gate/junit.h"
#include "gate/markdown.h"
#include "gate/report.h"
#include "results/result_folder.h"

namespace stampede::gate {
namespace {

results::Histogram constant(std::uint64_t us, int n) {
  results::Histogram h;
  for (int i = 0; i < n; ++i) h.record(us);
  return h;
}

// 10 one-second intervals, two endpoints, 10 requests each per second.
//   GET /items: service 5 ms; latency 5 ms, except in seconds 4 and 5 where the schedule
//               ran 400 ms behind (a stall the intended start sees, the send does not).
//   POST /cart: service 20 ms, latency 30 ms; 3 arrivals dropped in second 5, 1 in second 9.
//   GET /only-dropped: never sent, 2 drops in second 2 (a row with requests 0).
results::RunResult open_run() {
  results::RunResult r;
  r.info.status = "complete";
  r.info.label = "open";
  r.info.scenario_name = "shop";
  r.info.duration_s = 10;
  r.info.started_unix_ms = 1795000000000;
  r.info.ended_unix_ms = 1795000010000;
  results::OpenModelInfo open;
  open.arrival_rate = 20;
  open.max_users = 4;
  open.iterations_started = 200;
  open.dropped = 6;
  r.info.open_model = open;
  for (int s = 1; s <= 10; ++s) {
    results::HistoryPoint p;
    p.elapsed_s = s;
    p.interval_s = 1;
    p.unix_ms = r.info.started_unix_ms + s * 1000;
    results::IntervalEndpoint items;
    items.method = "GET";
    items.name = "/items";
    items.requests = 10;
    items.latency = constant(s == 4 || s == 5 ? 405'000 : 5'000, 10);
    items.service = constant(5'000, 10);
    results::IntervalEndpoint cart;
    cart.method = "POST";
    cart.name = "/cart";
    cart.requests = 10;
    cart.latency = constant(30'000, 10);
    cart.service = constant(20'000, 10);
    cart.dropped = s == 5 ? 3 : s == 9 ? 1 : 0;
    p.endpoints = {items, cart};
    if (s == 2) {
      results::IntervalEndpoint only;
      only.method = "GET";
      only.name = "/only-dropped";
      only.dropped = 2;
      p.endpoints.push_back(only);
    }
    r.history.push_back(p);
  }
  // The whole run: each endpoint's intervals summed, then all of them.
  for (const results::HistoryPoint& p : r.history) {
    for (const results::IntervalEndpoint& e : p.endpoints) {
      auto it = std::find_if(r.endpoints.begin(), r.endpoints.end(),
                             [&](const auto& x) { return x.method == e.method && x.name == e.name; });
      if (it == r.endpoints.end()) {
        results::EndpointStats row;
        row.method = e.method;
        row.name = e.name;
        r.endpoints.push_back(row);
        it = r.endpoints.end() - 1;
      }
      for (results::EndpointStats* row : {&*it, &r.aggregated}) {
        row->requests += e.requests;
        row->dropped += e.dropped;
        row->latency.merge(e.latency);
        row->service.merge(e.service);
        if (e.requests > 0) row->last_request_s = p.elapsed_s;
      }
    }
  }
  r.aggregated.name = results::kAggregatedName;
  return r;
}

// The same run as a closed-model run records it: no open_model, no service time, no drops.
results::RunResult closed_run() {
  results::RunResult r = open_run();
  r.info.open_model.reset();
  auto strip = [](auto& e) {
    e.service = {};
    e.dropped = 0;
  };
  strip(r.aggregated);
  for (auto& e : r.endpoints) strip(e);
  for (auto& p : r.history)
    for (auto& e : p.endpoints) strip(e);
  return r;
}

class OpenModelGate : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-open-gate-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The run written as a result folder and read back, as `stampede check` sees it.
  results::RunResult on_disk(const results::RunResult& run, const std::string& name) {
    const std::filesystem::path dir = dir_ / name;
    results::ResultWriter writer(dir);
    writer.write_run_info(run.info);
    writer.write_scenario(nlohmann::json::object());
    for (const auto& p : run.history) writer.append_history(p);
    writer.finish(run);
    return results::read_result_folder(dir);
  }

  std::filesystem::path dir_;
};

Outcome eval(const std::string& expr, const results::RunResult& r, EvaluateOptions o = {}) {
  return evaluate(parse_threshold(expr), r, o);
}

TEST_F(OpenModelGate, ServiceJudgesTheSendAndPlainLatencyTheIntendedStart) {
  const results::RunResult run = on_disk(open_run(), "open");
  ASSERT_TRUE(run.info.open_model);
  // 20 of 200 requests waited 405 ms from their intended start; none took over 20 ms once sent.
  Outcome latency = eval("p95 < 100ms", run);
  EXPECT_EQ(latency.verdict, Verdict::kFail);
  EXPECT_NEAR(latency.measured, 405'000, 405);
  EXPECT_EQ(latency.message, "p95 = 405.0ms (latency from intended start), limit < 100ms (all requests)");
  Outcome service = eval("service.p95 < 100ms", run);
  EXPECT_EQ(service.verdict, Verdict::kPass) << service.message;
  EXPECT_NEAR(service.measured, 20'000, 20);
  EXPECT_EQ(service.message,
            "service.p95 = 20.0ms (service time, from the actual send), limit < 100ms (all requests)");
  EXPECT_NEAR(eval("service.avg < 1s", run).measured, 12'500, 13);
  EXPECT_NEAR(eval("service.min < 1s", run).measured, 5'000, 5);
  EXPECT_NEAR(eval("service.max < 1s", run).measured, 20'000, 20);
  EXPECT_NEAR(eval("max < 1s", run).measured, 405'000, 405);
  // Per endpoint: /cart's service is its own 20 ms, its latency 30 ms.
  EXPECT_NEAR(eval(R"(service.p50{name="/cart"} < 1s)", run).measured, 20'000, 20);
  EXPECT_NEAR(eval(R"(p50{name="/cart"} < 1s)", run).measured, 30'000, 30);
  EXPECT_NEAR(eval(R"(service.max{method="GET"} < 1s)", run).measured, 5'000, 5);
  // An endpoint that only dropped has nothing to measure a latency on.
  Outcome none = eval(R"(service.p99{name="/only-dropped"} < 1s)", run);
  EXPECT_EQ(none.verdict, Verdict::kNoData);
  EXPECT_NE(none.message.find("no requests to measure service.p99"), std::string::npos) << none.message;
}

TEST_F(OpenModelGate, ServiceWindowsAndWarmupReadThePerIntervalServiceTime) {
  const results::RunResult run = on_disk(open_run(), "open");
  // The stall (seconds 4-5) breaks any 2 s window of intended-time latency that holds it...
  Outcome latency = eval("p99 < 100ms over 2s", run);
  EXPECT_EQ(latency.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(latency.window_end_s, 4) << "the first window holding the stall";
  // ... and no window of service time.
  Outcome service = eval(R"(service.p99{name="/items"} < 10ms over 2s)", run);
  EXPECT_EQ(service.verdict, Verdict::kPass) << service.message;
  EXPECT_NEAR(service.measured, 5'000, 5);
  EXPECT_EQ(eval(R"(service.p99{name="/items"} < 4ms over 2s)", run).verdict, Verdict::kFail);
  // After a 5 s warm-up the stall is gone from the latency, and the service time is /cart's.
  EvaluateOptions warmup{std::chrono::seconds(5)};
  EXPECT_NEAR(eval("p99 < 100ms", run, warmup).measured, 30'000, 30);
  EXPECT_NEAR(eval("service.p99 < 100ms", run, warmup).measured, 20'000, 20);
}

TEST_F(OpenModelGate, DroppedCountsPerScopeWindowAndWarmup) {
  const results::RunResult run = on_disk(open_run(), "open");
  Outcome all = eval("dropped < 1", run);
  EXPECT_EQ(all.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(all.measured, 6);
  EXPECT_EQ(all.message, "dropped = 6, limit < 1 (all requests)");
  EXPECT_DOUBLE_EQ(eval(R"(dropped{name="/cart"} <= 4)", run).measured, 4);
  EXPECT_EQ(eval(R"(dropped{name="/cart"} <= 4)", run).verdict, Verdict::kPass);
  EXPECT_DOUBLE_EQ(eval(R"(dropped{name="/items"} < 1)", run).measured, 0);
  // An endpoint that was never sent but dropped arrivals is there to be judged.
  Outcome only = eval(R"(dropped{name="/only-dropped"} < 1)", run);
  EXPECT_EQ(only.verdict, Verdict::kFail) << only.message;
  EXPECT_DOUBLE_EQ(only.measured, 2);
  EXPECT_DOUBLE_EQ(eval(R"(dropped{method="GET"} < 1)", run).measured, 2);
  EXPECT_EQ(eval(R"(dropped{name="/nowhere"} < 1)", run).verdict, Verdict::kNoData);
  // Windows: the worst 2 s window holds second 5's three drops.
  Outcome window = eval("dropped < 3 over 2s", run);
  EXPECT_EQ(window.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(window.measured, 3);
  EXPECT_TRUE(window.window_end_s == 5 || window.window_end_s == 6) << window.window_end_s;
  EXPECT_EQ(eval("dropped < 4 over 2s", run).verdict, Verdict::kPass);
  // Warm-up: the intervals from 5 s on hold the last drop only.
  EXPECT_DOUBLE_EQ(eval("dropped < 10", run, {std::chrono::seconds(5)}).measured, 1);
}

TEST_F(OpenModelGate, ClosedModelServiceIsItsLatencyAndNothingIsDropped) {
  // The closed model measures latency from the send: service.* judges that figure, and says so.
  const results::RunResult run = on_disk(closed_run(), "closed");
  ASSERT_FALSE(run.info.open_model);
  Outcome service = eval("service.p95 < 100ms", run);
  Outcome latency = eval("p95 < 100ms", run);
  EXPECT_EQ(service.verdict, latency.verdict);
  EXPECT_DOUBLE_EQ(service.measured, latency.measured);
  EXPECT_EQ(service.message,
            "service.p95 = 405.0ms (closed model: the latency, also from the actual send), limit < 100ms "
            "(all requests)");
  // The closed model's plain latency message stays as it always was.
  EXPECT_EQ(latency.message, "p95 = 405.0ms, limit < 100ms (all requests)");
  EXPECT_EQ(eval("service.p99 < 100ms over 2s", run).verdict, Verdict::kFail);
  Outcome dropped = eval("dropped < 1", run);
  EXPECT_EQ(dropped.verdict, Verdict::kPass);
  EXPECT_EQ(dropped.message, "dropped = 0 (closed model: nothing is dropped), limit < 1 (all requests)");
}

TEST(OpenModelGateNoDisk, AnOpenRunWithoutServiceTimeIsNoDataNotItsLatency) {
  // An open-model folder from before service_hist: its latency is from the intended start,
  // so it can't stand in for the service time.
  results::RunResult run = closed_run();
  run.info.open_model = results::OpenModelInfo{};
  for (const std::string expr : {"service.p95 < 1s", "service.p95 < 1s over 2s"}) {
    Outcome o = eval(expr, run);
    EXPECT_EQ(o.verdict, Verdict::kNoData) << expr;
    EXPECT_NE(o.message.find("recorded no service time"), std::string::npos) << o.message;
  }
  EXPECT_EQ(eval("p95 < 1s", run).verdict, Verdict::kPass);
}

TEST(OpenModelGateNoDisk, ReportsNameTheMetric) {
  const results::RunResult run = open_run();
  std::vector<Outcome> outcomes = evaluate_all(
      {parse_threshold("service.p99 < 10ms"), parse_threshold(R"(dropped{name="/cart"} < 1)")}, run);
  GateReport report = make_threshold_report(run, "results/runs/open", outcomes);
  std::ostringstream table, junit, markdown;
  write_gate_table(table, report);
  write_junit(junit, {report});
  write_markdown_summary(markdown, {report});
  // (Each output escapes '<' its own way: the messages are compared up to it.)
  for (const std::string& text : {table.str(), junit.str(), markdown.str()}) {
    EXPECT_NE(text.find("service.p99 = 20.0ms (service time, from the actual send), limit "),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("dropped = 4, limit "), std::string::npos) << text;
  }
  EXPECT_NE(table.str().find("FAIL    | service.p99 < 10ms"), std::string::npos) << table.str();
}

}  // namespace
}  // namespace stampede::gate
