// The comparison's hook for a caller's checks (CheckSection): none unless a caller adds
// them, so a general comparison says nothing about any study; when added, every renderer
// prints them as given, after the reading. The whole report with a caller's section is a
// golden file per output.
#include <gtest/gtest.h>

#include "reporters/comparison.h"
#include "reporters/tests/lab_runs.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::make_lab_pair;

// A caller's section with one check of each outcome (made-up expectations, not the lab's).
CheckSection sample_checks() {
  return {"checks",
          "Expectations",
          {{"writes spread evenly", ComparisonCheck::Outcome::met, "largest shard 25.0% of 1,000 writes"},
           {"queries under 1 ms", ComparisonCheck::Outcome::not_met, "p95 4.00 ms"},
           {"rows spread evenly", ComparisonCheck::Outcome::not_checked, "no server.json"}},
          "One run had no rows.",
          "Made-up expectations for this test."};
}

std::vector<std::string> all_outputs(const Comparison& c) {
  return {comparison_console(c), comparison_markdown(c), comparison_html(c), comparison_json(c).dump(2)};
}

// Two runs of a scenario that is not the coupon one, with shards: nothing in any output
// speaks of a seed, a study or the coupon scenario's endpoints.
TEST(ComparisonChecks, AGeneralComparisonCarriesNoStudyText) {
  std::vector<ComparedRun> runs;
  runs.push_back({"a", "runs/a", testing::make_sample_result(true)});
  runs.push_back({"b", "runs/b", testing::make_sample_result(true)});
  const Comparison c = build_comparison(std::move(runs));
  EXPECT_TRUE(c.check_sections.empty());
  for (const std::string& out : all_outputs(c)) {
    for (const char* text : {"seed", "Seed", "student", "study", "[met]", "met\"", "/api/coupon", "/coupons",
                             "/api/room", "Hot Room", "Query Own", "Cross Shard", "hash", "range"})
      EXPECT_EQ(out.find(text), std::string::npos) << text << " in\n" << out;
  }
}

// The coupon-shaped runs without the lab's checks: the endpoints are there (they are the
// data), the study's section, verdicts and texts are not.
TEST(ComparisonChecks, NoCheckSectionUnlessACallerAddsOne) {
  const Comparison c = build_comparison(make_lab_pair());
  EXPECT_TRUE(c.check_sections.empty());
  for (const std::string& out : all_outputs(c)) {
    for (const char* text : {"seed", "Seed", "student", "study", "[met]", "NOT met", "_checks", "measured these"})
      EXPECT_EQ(out.find(text), std::string::npos) << text;
  }
}

TEST(ComparisonChecks, ACallersSectionIsPrintedAsGivenAfterTheReading) {
  Comparison c = build_comparison(make_lab_pair());
  c.check_sections.push_back(sample_checks());
  const std::string console = comparison_console(c);
  const std::size_t reading = console.find("\nReading\n");
  const std::size_t checks = console.find("\nExpectations\n------------\n- [met] writes spread evenly — largest shard");
  const std::size_t endpoints = console.find("\nEndpoints\n");
  ASSERT_NE(checks, std::string::npos) << console;
  EXPECT_LT(reading, checks);
  EXPECT_LT(checks, endpoints);
  EXPECT_NE(console.find("- [NOT met] queries under 1 ms — p95 4.00 ms\n- [not checked] rows spread evenly — no server.json\n"
                         "One run had no rows.\nMade-up expectations for this test.\n"),
            std::string::npos)
      << console;
  const std::string md = comparison_markdown(c);
  EXPECT_NE(md.find("\n## Expectations\n\n- \\[met\\] writes spread evenly"), std::string::npos) << md;
  const std::string html = comparison_html(c);
  EXPECT_NE(html.find("<a href=\"#checks\">Expectations</a>"), std::string::npos);
  EXPECT_NE(html.find("<li class=\"not-met\">[NOT met] queries under 1 ms — p95 4.00 ms</li>"), std::string::npos);
  EXPECT_NE(html.find("<li class=\"not-checked\">[not checked] rows spread evenly"), std::string::npos);
  const nlohmann::json j = comparison_json(c);
  ASSERT_EQ(j["checks_checks"].size(), 3u);
  EXPECT_EQ(j["checks_checks"][1], (nlohmann::json{{"claim", "queries under 1 ms"}, {"outcome", "not_met"},
                                                   {"detail", "p95 4.00 ms"}}));
  EXPECT_EQ(j["checks_checks"][2]["outcome"], "not_checked");
  EXPECT_EQ(j["checks_note"], "One run had no rows.");
  EXPECT_EQ(j.dump().find("Made-up"), std::string::npos) << "`about` is for readers, not in the JSON";
}

// A section with nothing checked still shows its title and note (the caller decides whether
// to add it at all).
TEST(ComparisonChecks, ASectionWithOnlyANote) {
  Comparison c = build_comparison(make_lab_pair());
  c.check_sections.push_back({"checks", "Expectations", {}, "Nothing to check.", ""});
  EXPECT_NE(comparison_console(c).find("\nExpectations\n------------\nNothing to check.\n\nEndpoints\n"), std::string::npos)
      << comparison_console(c);
  const nlohmann::json j = comparison_json(c);
  EXPECT_TRUE(j["checks_checks"].empty());
  EXPECT_EQ(j["checks_note"], "Nothing to check.");
}

TEST(ComparisonChecks, FindRunByStrategyThenLabel) {
  auto runs = make_lab_pair();
  runs[1].run.info.lab.reset();  // no strategy: found by its label
  runs[1].run.server.reset();
  const Comparison c = build_comparison(std::move(runs));
  EXPECT_EQ(find_run(c, "hash"), 0);
  EXPECT_EQ(find_run(c, "range"), 1);
  EXPECT_EQ(find_run(c, "time"), -1);
  EXPECT_EQ(find_endpoint(c, "GET", "/api/user/:id/coupons [Query Own]") >= 0, true);
  EXPECT_EQ(find_endpoint(c, "POST", "/api/user/:id/coupons [Query Own]"), -1);
}

// Whole outputs for the hand-built hash/range pair (plus an endpoint only range has) with a
// caller's section: review the diff by eye after an intended change (STAMPEDE_UPDATE_GOLDEN=1).
TEST(ComparisonGolden, ConsoleMarkdownJson) {
  Comparison c = build_comparison(testing::make_lab_pair({}, {.extra_endpoint = "/api/only/range <x>"}));
  c.check_sections.push_back(sample_checks());
  testing::expect_golden("comparison_console.txt", comparison_console(c));
  testing::expect_golden("comparison.md", comparison_markdown(c));
  testing::expect_golden("comparison.json", comparison_json(c).dump(2) + "\n");
}

}  // namespace
}  // namespace stampede::reporters
