#include <gtest/gtest.h>

#include <sstream>

#include "reporters/comparison.h"
#include "reporters/report_table.h"
#include "reporters/tests/lab_runs.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::expect_in_order;
using testing::make_lab_pair;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const std::string& l : lines_of(text))
    if (l == line) return true;
  return false;
}


TEST(ComparisonConsole, SectionsInOrder) {
  const std::string out = comparison_console(build_comparison(make_lab_pair()));
  expect_in_order(out, {"Stampede comparison: hash vs range\n====", "\nRuns\n----", "\nReading\n-------",
                        "\nEndpoints\n---------", "\nShards touched per endpoint\n",
                        "\nHot shard per write endpoint\n", "\nPer shard\n---------", "\nBalance (100 = even)\n",
                        "\nResharding\n----------", "\nDefinitions\n-----------"});
}

TEST(ComparisonConsole, ExactRows) {
  const std::string out = comparison_console(build_comparison(make_lab_pair({}, {.extra_endpoint = "/api/only/range <x>"})));
  EXPECT_TRUE(has_line(out, "GET /api/user/:id/coupons [Query Own]   hash *    200   3.33    0.0%    1.00    1.00    1.00"
                            "   ×1.00     ×1.00"))
      << out;
  EXPECT_TRUE(has_line(out, "                                        range     200   3.33    0.0%    4.00    4.00    4.00"
                            "   ×4.00     ×1.00"));
  // No requests in the baseline: dashes, never NaN or inf.
  EXPECT_TRUE(has_line(out, "GET /api/only/range <x>                 hash        0      —       —       —       —       —"
                            "       —         —"));
  EXPECT_TRUE(has_line(out, "range      0     550     55.0%      225      25.0%          2.00        2,500"));
  EXPECT_TRUE(has_line(out, "range      31      100           13                   0      62.5%"));
  EXPECT_TRUE(has_line(out, "hash   hash       4 → 5  4,000  3,200    80.0%  user_id mod 4 -> user_id mod 5"));
  EXPECT_EQ(out.find("nan"), std::string::npos);
  EXPECT_EQ(out.find("inf"), std::string::npos);
}

TEST(ComparisonConsole, AtMost120Columns) {
  auto runs = make_lab_pair({}, {.extra_endpoint = "/api/a/very/long/endpoint/name/that/goes/on/and/on/{id}/items?expand=all"});
  const std::string out = comparison_console(build_comparison(std::move(runs)));
  for (const std::string& line : lines_of(out)) EXPECT_LE(display_width(line), 120u) << line;
}

TEST(ComparisonConsole, MissingServerJsonShowsNa) {
  const std::string out = comparison_console(build_comparison(make_lab_pair({.with_server = false}, {})));
  EXPECT_TRUE(has_line(out, "hash       0     250     25.0%      150      25.0%          2.50          n/a"));
  EXPECT_TRUE(has_line(out, "hash      100      100            —                 n/a        n/a"));
}

TEST(ComparisonConsole, WarningsComeFirst) {
  auto runs = make_lab_pair();
  runs[1].run.info.status = "failed";
  const std::string out = comparison_console(build_comparison(std::move(runs)));
  expect_in_order(out, {"\nRuns\n----\n! WARNING: range: status failed", "Run    status"});
}

TEST(ComparisonMarkdown, TablesAndEscapes) {
  const std::string md = comparison_markdown(build_comparison(make_lab_pair({}, {.extra_endpoint = "/api/x|y <b>"})));
  expect_in_order(md, {"# Stampede comparison: hash vs range\n", "\n## Runs\n", "\n## Reading\n", "\n## Endpoints\n",
                       "\n## Per shard\n", "\n## Resharding\n", "\n## Definitions\n"});
  EXPECT_TRUE(has_line(md, "| Run | shard | writes | writes % | queries | queries % | shard p95 ms | result rows |"));
  EXPECT_TRUE(has_line(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"));
  EXPECT_TRUE(has_line(md, "| range | 0 | 550 | 55.0% | 225 | 25.0% | 2.00 | 2,500 |"));
  EXPECT_TRUE(has_line(md, "| GET /api/user/:id/coupons \\[Query Own\\] | hash \\* | 200 | 3.33 | 0.0% | 1.00 | 1.00 | 1.00 "
                           "| ×1.00 | ×1.00 | ×1.00 | ×1.00 |"));
  EXPECT_NE(md.find("GET /api/x\\|y \\<b\\>"), std::string::npos);  // a '|' cannot break the table
  EXPECT_EQ(md.find("\n\n\n"), std::string::npos);
}

}  // namespace
}  // namespace stampede::reporters

namespace stampede::reporters {
namespace {

// Long run labels (folders without a strategy) must not crush the endpoint names into
// look-alikes ("GET /ad...tatus]"): the ratio headers stay short, the note names the base.
TEST(ComparisonConsole, LongRunLabelsKeepEndpointNamesReadable) {
  auto runs = testing::make_lab_pair();
  for (auto& r : runs) r.run.info.lab.reset();
  runs[0].label = runs[0].run.info.label = "20261205-104455-coupon-grab";
  runs[1].label = runs[1].run.info.label = "20261205-105012-coupon-grab-2";
  const std::string out = comparison_console(build_comparison(std::move(runs)));
  // Table rows start a line with the endpoint (the reading's bullets start with "- ").
  EXPECT_NE(out.find("\nGET /api/room/:id/orders [Cross Shard]  "), std::string::npos) << out;
  EXPECT_NE(out.find("\nGET /api/user/:id/coupons [Query Own]  "), std::string::npos) << out;
}

}  // namespace
}  // namespace stampede::reporters

namespace stampede::reporters {
namespace {

// p50/p95/p99 and req/s ratios per endpoint in Markdown (and HTML); the console keeps the
// p95 and req/s ratios to stay within 120 columns.
TEST(ComparisonEndpoints, EveryPercentileRatioInMarkdownTwoInTheConsole) {
  const Comparison c = build_comparison(testing::make_lab_pair());
  const std::string md = comparison_markdown(c);
  EXPECT_NE(md.find("| p50 ×r | p95 ×r | p99 ×r | req/s ×r |"), std::string::npos) << md;
  const std::string console = comparison_console(c);
  EXPECT_EQ(console.find("p50 ×r"), std::string::npos);
  EXPECT_NE(console.find("p95 ×r  req/s ×r"), std::string::npos) << console;
}

// Each ratio is its own percentile: range's user coupons at p50 2 ms, p95 4 ms, p99 8 ms
// against hash's 1 ms give ×2.00, ×4.00, ×8.00 in that order, in Markdown, HTML and JSON.
TEST(ComparisonEndpoints, P50P95P99RatiosAreEachTheirOwnPercentile) {
  auto runs = testing::make_lab_pair();
  for (results::EndpointStats& e : runs[1].run.endpoints) {
    if (e.name != "/api/user/:id/coupons [Query Own]") continue;
    e.latency = results::Histogram();
    e.latency.record(2000, 150);
    e.latency.record(4000, 46);
    e.latency.record(8000, 4);
  }
  const Comparison c = build_comparison(std::move(runs));
  const std::string md = comparison_markdown(c);
  EXPECT_TRUE(has_line(md, "|  | range | 200 | 3.33 | 0.0% | 2.00 | 4.00 | 8.00 | ×2.00 | ×4.00 | ×8.00 | ×1.00 |")) << md;
  const std::string html = comparison_html(c);
  EXPECT_NE(html.find("<th class=\"num\">p50 ×r</th><th class=\"num\">p95 ×r</th><th class=\"num\">p99 ×r</th>"
                      "<th class=\"num\">req/s ×r</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">×2.00</td><td class=\"num\">×4.00</td><td class=\"num\">×8.00</td>"
                      "<td class=\"num\">×1.00</td>"),
            std::string::npos)
      << html;
  const auto js = comparison_json(c);
  const int user = [&] {
    for (std::size_t i = 0; i < c.endpoints.size(); ++i)
      if (c.endpoints[i].name == "/api/user/:id/coupons [Query Own]") return static_cast<int>(i);
    return -1;
  }();
  ASSERT_GE(user, 0);
  const auto& cell = js["endpoints"][user]["runs"][1];
  EXPECT_NEAR(cell["p50_ratio"].get<double>(), 2.0, 0.01);
  EXPECT_NEAR(cell["p95_ratio"].get<double>(), 4.0, 0.01);
  EXPECT_NEAR(cell["p99_ratio"].get<double>(), 8.0, 0.01);
}

}  // namespace
}  // namespace stampede::reporters
