// Rate-limited answers (HTTP 429, results/README.md "rate limited") in the reporters: the
// console's summary and live line and its per-endpoint lines; the Locust CSV counting them as
// Locust would (Failure Count, Failures/s, an "HTTP 429" failures row); the comparison
// report's section and JSON members, shown only when a run had any. Read from the committed
// rate-limited-run fixture.
#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "reporters/comparison.h"
#include "reporters/console_table.h"
#include "reporters/locust_csv.h"
#include "results/result_folder.h"

namespace stampede::reporters {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(STAMPEDE_SOURCE_DIR) / "results/tests/fixtures";

results::RunResult limited_run() { return results::read_result_folder(kFixtures / "rate-limited-run"); }
results::RunResult sample_run() { return results::read_result_folder(kFixtures / "sample-run"); }

const results::EndpointStats& items_by_id(const results::RunResult& r) {
  for (const auto& e : r.endpoints)
    if (e.name == "/api/items/[id]") return e;
  throw std::runtime_error("no /api/items/[id]");
}

std::string summary_of(const results::RunResult& r) {
  std::ostringstream out;
  print_final_summary(out, r);
  return out.str();
}

TEST(RateLimitedConsole, SummaryAndLiveLineSayHowManyApartFromFailures) {
  const results::RunResult r = limited_run();
  const std::string summary = summary_of(r);
  EXPECT_NE(summary.find(" rate limited (HTTP 429)\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("Rate limited (HTTP 429, not failures): " + std::to_string(r.aggregated.rate_limited) + " of " +
                         std::to_string(r.aggregated.requests) + " requests"),
            std::string::npos)
      << summary;
  const auto section = summary.find("Rate limited (HTTP 429, not failures)");
  const auto row = summary.find("/api/items/[id]", section);
  ASSERT_NE(row, std::string::npos) << summary;
  const std::string line = summary.substr(row, summary.find('\n', row) - row);
  EXPECT_NE(line.find(" " + std::to_string(items_by_id(r).rate_limited) + " ("), std::string::npos) << line;
  std::ostringstream live;
  print_live_table(live, r);
  EXPECT_NE(live.str().find(" | " + std::to_string(r.aggregated.rate_limited) + " rate limited ("), std::string::npos)
      << live.str();
}

TEST(RateLimitedConsole, ARunWithoutThemPrintsAsBefore) {
  const std::string summary = summary_of(sample_run());
  EXPECT_EQ(summary.find("rate limited"), std::string::npos);
  EXPECT_EQ(summary.find("Rate limited"), std::string::npos);
}

TEST(RateLimitedLocustCsv, A429IsAFailureAsLocustCountsIt) {
  const results::RunResult r = limited_run();
  const auto& e = items_by_id(r);
  const std::string stats = locust_stats_csv(r);
  // GET,/api/items/[id],<requests>,<failures + rate limited>,...
  EXPECT_NE(stats.find("GET,/api/items/[id]," + std::to_string(e.requests) + "," +
                       std::to_string(e.failures + e.rate_limited) + ","),
            std::string::npos)
      << stats;
  EXPECT_NE(stats.find("Aggregated," + std::to_string(r.aggregated.requests) + "," +
                       std::to_string(r.aggregated.failures + r.aggregated.rate_limited) + ","),
            std::string::npos)
      << stats;
  const std::string failures = locust_failures_csv(r);
  EXPECT_NE(failures.find("GET,/api/items/[id],HTTP 429," + std::to_string(e.rate_limited) + "\r\n"), std::string::npos)
      << failures;
  EXPECT_EQ(locust_failures_csv(sample_run()).find("HTTP 429"), std::string::npos);
}

TEST(RateLimitedComparison, ItsOwnSectionAndJsonOnlyWhenARunHadAny) {
  std::vector<ComparedRun> runs = {{"plain", kFixtures / "sample-run", sample_run()},
                                   {"limited", kFixtures / "rate-limited-run", limited_run()}};
  const Comparison c = build_comparison(runs);
  ASSERT_TRUE(c.any_rate_limited);
  EXPECT_EQ(c.runs[1].rate_limited, runs[1].run.aggregated.rate_limited);
  const std::string text = comparison_console(c);
  EXPECT_NE(text.find("Rate limited (HTTP 429)"), std::string::npos) << text;
  EXPECT_NE(text.find("of requests were rate limited (HTTP 429"), std::string::npos) << "a warning above 1%";
  const nlohmann::json doc = comparison_json(c);
  EXPECT_EQ(doc["runs"][1]["rate_limited"], runs[1].run.aggregated.rate_limited);
  EXPECT_EQ(doc["runs"][0]["rate_limited"], 0);

  const Comparison plain = build_comparison({runs[0], {"again", kFixtures / "sample-run", sample_run()}});
  EXPECT_FALSE(plain.any_rate_limited);
  EXPECT_EQ(comparison_console(plain).find("Rate limited"), std::string::npos);
  EXPECT_FALSE(comparison_json(plain)["runs"][0].contains("rate_limited"));
}

}  // namespace
}  // namespace stampede::reporters
