// The console pass/fail table and the row conversion.
#include "gate/report.h"

#include <sstream>

#include <gtest/gtest.h>

#include "gate/tests/sample_report.h"

namespace stampede::gate {
namespace {

TEST(GateTable, MatchesGoldenFile) {
  std::ostringstream out;
  write_gate_table(out, testing::sample_report());
  testing::expect_golden("thresholds.txt", out.str());
}

TEST(GateTable, RowsCarryMeasuredAndLimit) {
  GateReport r = testing::sample_report();
  EXPECT_EQ(r.rows[0].verdict, Verdict::kPass);
  EXPECT_EQ(r.rows[0].measured, "95.0ms");
  EXPECT_EQ(r.rows[0].limit, "< 150ms");
  EXPECT_EQ(r.rows[1].verdict, Verdict::kFail);
  EXPECT_EQ(r.rows[1].measured, "99.0ms");
  EXPECT_EQ(r.rows[3].verdict, Verdict::kNoData);
  EXPECT_EQ(r.rows[3].measured, "-");
  std::ostringstream out;
  write_gate_table(out, r);
  EXPECT_NE(out.str().find("thresholds: 3 of 4 FAILED"), std::string::npos) << out.str();
}

TEST(GateReport, ReportOnARunTakesItsHeaderFromTheRunsInfo) {
  results::RunResult run;
  run.info.label = "nightly";
  run.info.scenario_name = "coupon";
  run.info.started_unix_ms = 1'795'000'000'000;
  run.info.duration_s = 42.5;
  const GateReport r = report_on_run("regressions", run, "runs/nightly");
  EXPECT_EQ(r.suite, "regressions");
  EXPECT_EQ(r.run_label, "nightly");
  EXPECT_EQ(r.run_dir, "runs/nightly");
  EXPECT_EQ(r.scenario_name, "coupon");
  EXPECT_EQ(r.started_unix_ms, 1'795'000'000'000);
  EXPECT_DOUBLE_EQ(r.duration_s, 42.5);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_TRUE(r.notes.empty());
  EXPECT_EQ(make_threshold_report(run, "runs/nightly", {}).run_label, "nightly");
}

}  // namespace
}  // namespace stampede::gate
