// The lab's report text with the study's checks: the general comparison report of the
// hand-built hash and range runs plus the section the lab appends, as the lab writes it
// (report.md, report.json and the console). The golden files are the report as it read
// before the study moved out of reporters/: review any diff by eye
// (STAMPEDE_UPDATE_GOLDEN=1 rewrites them).
#include <gtest/gtest.h>

#include "lab/study_checks.h"
#include "reporters/comparison.h"
#include "reporters/tests/lab_runs.h"
#include "reporters/tests/sample_result.h"

namespace stampede::lab {
namespace {

using reporters::build_comparison;
using reporters::Comparison;
using reporters::testing::expect_in_order;
using reporters::testing::make_lab_pair;

Comparison judged(std::vector<reporters::ComparedRun> runs) {
  Comparison c = build_comparison(std::move(runs));
  add_study_checks(c);
  return c;
}


TEST(StudyReport, TheChecksComeAfterTheReading) {
  const Comparison c = judged(make_lab_pair());
  expect_in_order(reporters::comparison_console(c),
                  {"\nReading\n-------", "\nCompared with the seed\n----------------------\n- [met] ",
                   "The seed's students measured these on AWS (issue #5)", "\nEndpoints\n---------"});
  expect_in_order(reporters::comparison_markdown(c), {"\n## Reading\n", "\n## Compared with the seed\n", "\n## Endpoints\n"});
  expect_in_order(reporters::comparison_html(c),
                  {"<a href=\"#reading\">Reading</a> <a href=\"#seed\">Compared with the seed</a>",
                   "<section id=\"seed\">\n<h2>Compared with the seed</h2>\n<ul>\n<li class=\"met\">[met] "});
}

TEST(StudyReport, LinesSayMetOrNotMet) {
  const std::string met = reporters::comparison_console(judged(make_lab_pair()));
  EXPECT_NE(met.find("- [met] user-coupon queries faster (p95) under hash than range"), std::string::npos);
  const std::string not_met = reporters::comparison_console(
      judged(make_lab_pair({.swap_query_latency = true, .hash_hot = true}, {.swap_query_latency = true})));
  EXPECT_NE(not_met.find("- [NOT met] user-coupon queries faster (p95) under hash than range"), std::string::npos);
  EXPECT_NE(not_met.find("- [NOT met] hash's largest shard takes less than 30% of writes"), std::string::npos);
}

TEST(StudyReport, JsonCarriesTheVerdicts) {
  const nlohmann::json j =
      reporters::comparison_json(judged(make_lab_pair({.with_server = false}, {.extra_endpoint = "/only"})));
  ASSERT_EQ(j["seed_checks"].size(), 4u);
  EXPECT_EQ(j["seed_checks"][2]["outcome"], "met");
  EXPECT_EQ(j["seed_note"], "");
  EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

// Whole outputs for the hand-built hash/range pair (plus an endpoint only range has).
TEST(StudyReport, GoldenConsoleMarkdownJson) {
  const Comparison c = judged(make_lab_pair({}, {.extra_endpoint = "/api/only/range <x>"}));
  using reporters::testing::expect_golden_in;
  expect_golden_in("lab/tests/golden", "comparison_console.txt", reporters::comparison_console(c));
  expect_golden_in("lab/tests/golden", "comparison.md", reporters::comparison_markdown(c));
  expect_golden_in("lab/tests/golden", "comparison.json", reporters::comparison_json(c).dump(2) + "\n");
}

}  // namespace
}  // namespace stampede::lab
