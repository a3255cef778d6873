// Comparing runs: rule parsing, per-scope rows, regressions caught, warnings.
#include "gate/regression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "gate/markdown.h"
#include "gate/tests/sample_report.h"
#include "results/result_folder.h"

namespace stampede::gate {
namespace {

TEST(RegressionRule, ParsesRisesAndDrops) {
  RegressionRule p95 = parse_regression_rule("p95:10%");
  EXPECT_EQ(p95.metric.metric, Metric::kPercentile);
  EXPECT_DOUBLE_EQ(p95.metric.percentile, 95);
  EXPECT_DOUBLE_EQ(p95.max_change_pct, 10);
  RegressionRule rps = parse_regression_rule(" rps:-5% ");
  EXPECT_EQ(rps.metric.metric, Metric::kRps);
  EXPECT_DOUBLE_EQ(rps.max_change_pct, -5);
  EXPECT_DOUBLE_EQ(parse_regression_rule("error_rate:+50%").max_change_pct, 50);
  EXPECT_DOUBLE_EQ(parse_regression_rule("p99.9:2.5%").metric.percentile, 99.9);
}

TEST(RegressionRule, ErrorsPointAtTheProblem) {
  auto column = [](const char* text) -> std::size_t {
    try {
      parse_regression_rule(text);
    } catch (const ThresholdError& e) {
      return e.column();
    }
    return 0;
  };
  EXPECT_EQ(column("p95"), 4u);
  EXPECT_EQ(column("latency:10%"), 1u);
  EXPECT_EQ(column("p95:10"), 7u);  // where the % should be
  EXPECT_EQ(column("p95:ten%"), 5u);
}

// The sample run and a copy where /api/cart got 30% slower and lost a third of its requests.
results::RunResult slower(results::RunResult run) {
  for (auto& e : run.endpoints) {
    if (e.name != "/api/cart") continue;
    results::Histogram h;
    e.latency.for_each_bucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t n) { h.record(lo * 13 / 10, n); });
    e.latency = h;
    e.requests = e.requests * 2 / 3;
  }
  return run;
}

TEST(Compare, ARuleThatCantBeMeasuredOnASideFailsInsteadOfVanishing) {
  auto base = results::read_result_folder("results/tests/fixtures/sample-run");
  results::RunResult now = base;
  for (auto& e : now.endpoints)
    if (e.name == "/api/cart") e.latency = results::Histogram();  // no latency recorded
  auto result = judge_regressions(base, now, {parse_regression_rule("p95:10%")});
  EXPECT_FALSE(result.passed());
  auto it = std::find_if(result.rows.begin(), result.rows.end(),
                         [](const RegressionRow& r) { return r.verdict == Verdict::kNoData; });
  ASSERT_NE(it, result.rows.end());
  EXPECT_NE(it->scope.find("/api/cart"), std::string::npos) << it->scope;
  EXPECT_NE(it->message.find("new run"), std::string::npos) << it->message;
}

TEST(Compare, RowsWithTooFewRequestsAreSkippedWithAWarning) {
  auto run = results::read_result_folder("results/tests/fixtures/sample-run");
  auto all = judge_regressions(run, run, {parse_regression_rule("p95:0%")}, 0);
  auto some = judge_regressions(run, run, {parse_regression_rule("p95:0%")}, 100);
  EXPECT_GT(all.rows.size(), some.rows.size());
  ASSERT_FALSE(some.rows.empty());
  EXPECT_EQ(some.rows.front().scope, "all requests") << "the whole run is always judged";
  ASSERT_EQ(some.warnings.size(), 1u);
  EXPECT_NE(some.warnings[0].find("not judged (--min-requests)"), std::string::npos) << some.warnings[0];
  EXPECT_EQ(judge_regressions(run, run, {parse_regression_rule("p95:0%")}, 1'000'000).rows.size(), 1u);
}

TEST(Compare, IdenticalRunsPassEveryRule) {
  auto run = results::read_result_folder("results/tests/fixtures/sample-run");
  auto result = judge_regressions(run, run, {parse_regression_rule("p95:0%"), parse_regression_rule("rps:-0%")});
  EXPECT_TRUE(result.passed());
  EXPECT_TRUE(result.warnings.empty());
  // whole run + 3 endpoints + 4 shards, two rules each
  EXPECT_EQ(result.rows.size(), 16u);
  for (const auto& row : result.rows) EXPECT_DOUBLE_EQ(row.delta, 0) << row.scope;
}

TEST(Compare, CatchesTheRegressedEndpointOnly) {
  auto base = results::read_result_folder("results/tests/fixtures/sample-run");
  auto now = slower(base);
  auto result = judge_regressions(base, now, {parse_regression_rule("p95:10%"), parse_regression_rule("rps:-5%")});
  EXPECT_FALSE(result.passed());
  std::vector<std::string> failed;
  for (const auto& row : result.rows)
    if (row.verdict == Verdict::kFail) failed.push_back(row.scope + " " + row.rule.text);
  // The aggregate is only read from the "Aggregated" row, which this edit left alone.
  EXPECT_EQ(failed, (std::vector<std::string>{"POST /api/cart p95:10%", "POST /api/cart rps:-5%"}));
  for (const auto& row : result.rows) {
    if (row.scope != "POST /api/cart" || row.rule.text != "p95:10%") continue;
    ASSERT_TRUE(row.ratio);
    EXPECT_NEAR(*row.ratio, 1.3, 0.01);
    EXPECT_NE(row.message.find("allowed +10.0%"), std::string::npos) << row.message;
  }
}

TEST(Compare, WarnsAboutDifferentScenariosAndMissingEndpoints) {
  auto base = results::read_result_folder("results/tests/fixtures/sample-run");
  auto now = base;
  now.info.scenario_name = "other";
  now.endpoints.pop_back();
  auto result = judge_regressions(base, now, {});
  ASSERT_GE(result.warnings.size(), 2u);
  EXPECT_NE(result.warnings[0].find("different scenarios"), std::string::npos);
  EXPECT_NE(result.warnings[1].find("only in the baseline"), std::string::npos) << result.warnings[1];
  EXPECT_TRUE(result.passed());  // without rules, information only
  GateReport report = make_compare_report(result, now, "base", "new");
  EXPECT_EQ(report.suite, "regressions");
  EXPECT_EQ(report.notes[0], "baseline: base");
  auto j = to_json(result, "base", "new");
  EXPECT_EQ(j["rows"].size(), result.rows.size());
  EXPECT_EQ(j["warnings"].size(), result.warnings.size());
}

}  // namespace
}  // namespace stampede::gate

namespace stampede::gate {
namespace {

TEST(Compare, MarkdownMatchesGoldenFile) {
  auto base = results::read_result_folder("results/tests/fixtures/sample-run");
  auto live = results::read_result_folder("results/tests/fixtures/live-run");
  auto result = judge_regressions(base, live, {parse_regression_rule("p95:10%"), parse_regression_rule("rps:-5%")});
  GateReport report = make_compare_report(result, live, "runs/sample", "runs/live");
  std::ostringstream md;
  write_markdown_summary(md, {report});
  testing::expect_golden("compare.md", md.str());
  EXPECT_EQ(report.failures(), 4u);  // rps fell 7% to 30% on every scope
}

}  // namespace
}  // namespace stampede::gate
