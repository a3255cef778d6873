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

}  // namespace
}  // namespace stampede::gate
