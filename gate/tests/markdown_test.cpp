// The Markdown summary: golden file, escaping of table cells.
#include "gate/markdown.h"

#include <sstream>

#include <gtest/gtest.h>

#include "gate/tests/sample_report.h"

namespace stampede::gate {
namespace {

TEST(Markdown, MatchesGoldenFile) {
  std::ostringstream out;
  write_markdown_summary(out, {testing::sample_report()});
  testing::expect_golden("thresholds.md", out.str());
}

TEST(Markdown, HeadlineAndEscapedCells) {
  std::ostringstream out;
  write_markdown_summary(out, {testing::sample_report()});
  const std::string md = out.str();
  EXPECT_EQ(md.rfind("## Stampede gate: ❌ 3 of 4 checks failed\n", 0), 0u) << md;
  EXPECT_NE(md.find("| a\\|b & 'c' &lt;d> |"), std::string::npos) << md;  // scope cell
  EXPECT_NE(md.find("`avg{name=\"a|b & 'c' <d>\"} < 1s`: avg"), std::string::npos) << md;
  // Every table row has the same number of unescaped pipes as the header.
  std::istringstream lines(md);
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] != '|') continue;
    int pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++pipes;
    EXPECT_EQ(pipes, 6) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 6);  // header, rule, four checks
  GateReport all_good;
  all_good.suite = "thresholds";
  all_good.rows.push_back({"rps > 1", "all requests", Verdict::kPass, "20.0", "> 1", "ok"});
  std::ostringstream good;
  write_markdown_summary(good, {all_good});
  EXPECT_EQ(good.str().rfind("## Stampede gate: ✅ passed (1 check)\n", 0), 0u) << good.str();
}

}  // namespace
}  // namespace stampede::gate
