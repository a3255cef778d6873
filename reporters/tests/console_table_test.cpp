#include "reporters/console_table.h"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "reporters/shard_table.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::expect_golden;
using testing::make_empty_result;
using testing::make_sample_result;

using testing::capture;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

TEST(ConsoleTable, LiveGolden) {
  const auto r = make_sample_result(false);
  expect_golden("live_table.txt", capture([&](std::ostream& o) { print_live_table(o, r); }));
}

TEST(ConsoleTable, LiveElapsedPrefersTheCallersClock) {
  auto r = make_sample_result(false);
  r.info.duration_s = 3725.5;
  EXPECT_EQ(capture([&](std::ostream& o) { print_live_table(o, r); }).substr(0, 16),
            "Elapsed 01:02:05");
  r.info.duration_s = 0;  // read from a running folder: fall back to the newest point
  EXPECT_EQ(capture([&](std::ostream& o) { print_live_table(o, r); }).substr(0, 16),
            "Elapsed 00:00:12");
}

TEST(ConsoleTable, LiveBeforeAnyRequestGolden) {
  const auto r = make_empty_result();
  expect_golden("live_table_empty.txt", capture([&](std::ostream& o) { print_live_table(o, r); }));
}

TEST(ConsoleTable, FinalGolden) {
  const auto r = make_sample_result(false);
  expect_golden("final_summary.txt", capture([&](std::ostream& o) { print_final_summary(o, r); }));
}

TEST(ConsoleTable, FinalWithShardsGolden) {
  const auto r = make_sample_result(true);
  expect_golden("final_summary_shards.txt",
                capture([&](std::ostream& o) { print_final_summary(o, r); }));
}

TEST(ConsoleTable, ShardSectionOnlyWhenTheResultHasShards) {
  const std::string with =
      capture([&](std::ostream& o) { print_final_summary(o, make_sample_result(true)); });
  const std::string without =
      capture([&](std::ostream& o) { print_final_summary(o, make_sample_result(false)); });
  EXPECT_NE(with.find("Shard timings"), std::string::npos);
  EXPECT_NE(with.find("Shard totals"), std::string::npos);
  EXPECT_EQ(without.find("Shard"), std::string::npos);
  // Without shards, the rest of the summary is the same text.
  EXPECT_EQ(with.substr(0, without.size()), without);
}

TEST(ConsoleTable, ShardSharesAddUpPerEndpoint) {
  const auto r = make_sample_result(true);
  const std::string text = capture([&](std::ostream& o) { print_shard_tables(o, r); });
  // The long endpoint fans out to all four shards equally: 25% each.
  EXPECT_EQ(count_of(text, "25.00%"), 4u + 0u) << text;
  EXPECT_NE(text.find("100.00%"), std::string::npos);  // the "all" totals line
}

TEST(ConsoleTable, RowsAreSortedAndAligned) {
  const auto r = make_sample_result(false);
  const std::string text = capture([&](std::ostream& o) { print_stats_table(o, r, false); });
  std::istringstream in(text);
  std::string line;
  std::size_t width = 0;
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (width == 0) width = line.size();
    EXPECT_EQ(line.size(), width) << "misaligned: '" << line << "'";
    lines.push_back(line);
  }
  ASSERT_EQ(lines.size(), 2 + r.endpoints.size() + 2);
  // (name, method) order: "/api..." < "/big..." < "home page" GET < POST < "missing".
  EXPECT_EQ(lines[2].substr(0, 4), "GET ");
  EXPECT_NE(lines[2].find("/api/v1/customers/{...}/items?expand=all"), std::string::npos);
  EXPECT_NE(lines[3].find("/big, \"quoted\""), std::string::npos);
  EXPECT_EQ(lines[4].substr(0, 13), "GET      home");
  EXPECT_EQ(lines[5].substr(0, 13), "POST     home");
  EXPECT_NE(lines[6].find("missing"), std::string::npos);
  EXPECT_NE(lines.back().find("Aggregated"), std::string::npos);
}

TEST(ConsoleTable, ErrorReportOnlyWithFailures) {
  auto r = make_sample_result(false);
  EXPECT_NE(capture([&](std::ostream& o) { print_final_summary(o, r); }).find("Error report"),
            std::string::npos);
  r.failures.clear();
  EXPECT_EQ(capture([&](std::ostream& o) { print_final_summary(o, r); }).find("Error report"),
            std::string::npos);
}

TEST(ConsoleTable, NameWidthIsConfigurable) {
  const auto r = make_sample_result(false);
  const std::string narrow =
      capture([&](std::ostream& o) { print_stats_table(o, r, false, TableOptions{20}); });
  const std::string wide =
      capture([&](std::ostream& o) { print_stats_table(o, r, false, TableOptions{80}); });
  EXPECT_EQ(wide.find('\n') - narrow.find('\n'), 60u);
  EXPECT_NE(wide.find("/api/v1/customers/{customer_id}/orders/{order_id}/items?expand=all"),
            std::string::npos);
}

}  // namespace
}  // namespace stampede::reporters
