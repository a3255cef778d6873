#include <gtest/gtest.h>

#include "reporters/comparison.h"
#include "reporters/comparison_html_style.h"
#include "reporters/report_table.h"
#include "reporters/svg_bar_chart.h"
#include "reporters/tests/lab_runs.h"

namespace stampede::reporters {
namespace {

using testing::make_lab_pair;

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

const std::string kEvil = "/api/<script>alert(1)</script> & \"q\" [x]";

TEST(ComparisonHtml, SelfContainedWithEverySvgClosed) {
  const std::string html = comparison_html(build_comparison(make_lab_pair({}, {.extra_endpoint = kEvil})));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  const std::size_t svgs = count_of(html, "<svg ");
  // p95, shards/request, hot shard, write share, query share, rows, balance, resharding
  EXPECT_EQ(svgs, 8u);
  EXPECT_EQ(count_of(html, "</svg>"), svgs);
  EXPECT_EQ(count_of(html, "<table>"), count_of(html, "</table>"));
  EXPECT_EQ(count_of(html, "<section "), count_of(html, "</section>"));
  // Nothing fetched from anywhere: no scripts, no external links, images or fonts.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

TEST(ComparisonHtml, EscapesEveryStringFromTheRuns) {
  const std::string html = comparison_html(build_comparison(make_lab_pair({}, {.extra_endpoint = kEvil})));
  EXPECT_EQ(html.find(kEvil), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("/api/&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; [x]"), std::string::npos);
}

// One escaping for both markups (gate's JUnit uses xml_escape): they differ only in the
// apostrophe and in control characters.
TEST(MarkupEscape, HtmlAndXmlDifferOnlyWhereTheFormatsDo) {
  struct Case {
    const char* text;
    const char* html;
    const char* xml;
  };
  for (const Case& c : {Case{"a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&#39;", "a&lt;b&gt;&amp;&quot;c&apos;"},
                        Case{"x\ny\tz\x01\x7f", "x y z  ", "x&#10;y&#9;z\xEF\xBF\xBD\x7f"},
                        Case{"grüße ×", "grüße ×", "grüße ×"}}) {
    EXPECT_EQ(html_escape(c.text), c.html);
    EXPECT_EQ(xml_escape(c.text), c.xml);
  }
}

TEST(ComparisonHtml, RunColoursAreConsistentAcrossCharts) {
  const std::string html = comparison_html(build_comparison(make_lab_pair()));
  const std::string hash_bar = "fill=\"" + run_colour(0) + "\"><title>hash — ";
  const std::string range_bar = "fill=\"" + run_colour(1) + "\"><title>range — ";
  // 4 endpoints (p95) + 4 (fan-out) + 2 write endpoints (hot shard) + 4 + 4 + 4 shards + 3 scores
  // + 2 strategies, per run.
  EXPECT_EQ(count_of(html, hash_bar), 27u);
  EXPECT_EQ(count_of(html, range_bar), 27u);
  EXPECT_NE(html.find("<title>range — shard 0: 2,500 rows</title>"), std::string::npos);
  EXPECT_NE(html.find("even 1/4 = 25.0%"), std::string::npos);
  EXPECT_NE(run_colour(0), run_colour(1));
}

TEST(ComparisonHtml, NoRowsChartWithoutServerJson) {
  auto runs = make_lab_pair({.with_server = false}, {.with_server = false});
  const std::string html = comparison_html(build_comparison(std::move(runs)));
  EXPECT_EQ(html.find("coupon_results rows per shard"), std::string::npos);
  EXPECT_EQ(html.find("Rows that would move"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">n/a</td>"), std::string::npos);
}

TEST(SvgBarChart, AbsentValuesDrawNoBar) {
  BarChart chart{"t", "ms", 1, {"a", "b"}, {{"run", "#123456", {1.0, std::nullopt}}}, {}, {}, {}};
  const std::string svg = render_bar_chart_svg(chart);
  EXPECT_EQ(count_of(svg, "fill=\"#123456\"><title>"), 1u);
  EXPECT_NE(svg.find("run: no data"), std::string::npos);
}

TEST(SvgBarChart, NiceCeiling) {
  EXPECT_DOUBLE_EQ(nice_ceiling(0), 1);
  EXPECT_DOUBLE_EQ(nice_ceiling(4.2), 5);
  EXPECT_DOUBLE_EQ(nice_ceiling(5), 5);
  EXPECT_DOUBLE_EQ(nice_ceiling(21), 25);
  EXPECT_DOUBLE_EQ(nice_ceiling(101), 200);
  EXPECT_DOUBLE_EQ(nice_ceiling(0.013), 0.02);
}

}  // namespace
}  // namespace stampede::reporters
