// The console tables of an open-model result: which latency they show, dropped arrivals,
// service time beside the intended-start latency (golden files), and the closed model's
// output untouched by any of it.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reporters/console_table.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::expect_golden;
using testing::expect_in_order;
using testing::make_open_result;
using testing::make_sample_result;

using testing::capture;

std::vector<std::string> lines_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(OpenModelConsole, LiveGolden) {
  const auto r = make_open_result();
  expect_golden("live_table_open.txt", capture([&](std::ostream& o) { print_live_table(o, r); }));
}

TEST(OpenModelConsole, FinalGolden) {
  const auto r = make_open_result();
  expect_golden("final_summary_open.txt", capture([&](std::ostream& o) { print_final_summary(o, r); }));
}

TEST(OpenModelConsole, SaysWhichLatencyAndShowsDroppedAndServiceTime) {
  const auto r = make_open_result();
  const std::string live = capture([&](std::ostream& o) { print_live_table(o, r); });
  // 2 drops in each of seconds 5-7 and 4 of an endpoint never sent: 10.
  ASSERT_EQ(r.aggregated.dropped, 10u);
  expect_in_order(live, {"failures (", " | 10 dropped\n", "Latency from intended start",
                         "# dropped |", "| svc Med svc p99 |", "\nPOST     home page", "Aggregated"});
  const std::string final_text = capture([&](std::ostream& o) { print_final_summary(o, r); });
  expect_in_order(final_text,
                  {"Run summary 'open'", "\nOpen model: 60 arrivals/s (poisson), at most 5 users busy; ",
                   " 10 dropped (", "2 started late, max schedule lag 14.50 ms\n", "Latency from intended start",
                   "# dropped", "Response time percentiles (approximated, ms), latency from intended start",
                   "Service time percentiles (approximated, ms), from the actual send", "Error report"});
  EXPECT_EQ(final_text.find(" asked)"), std::string::npos) << "the open model asks for arrivals, not users";
  // The row of the endpoint that only dropped: 0 requests, 4 dropped.
  std::string sold_out;
  for (const std::string& line : lines_of(final_text))
    if (line.find("/sold-out") != std::string::npos) sold_out = line;
  ASSERT_FALSE(sold_out.empty()) << final_text;
  EXPECT_NE(sold_out.find("       0       0(0.00%)         4 |"), std::string::npos) << sold_out;
}

TEST(OpenModelConsole, ServiceColumnsAreTheServiceHistograms) {
  auto r = make_open_result();
  const std::string before = capture([&](std::ostream& o) { print_stats_table(o, r, false); });
  // Same latency, other service time: only the svc cells may change.
  for (auto& e : r.endpoints) e.service = {};
  r.aggregated.service = {};
  const std::string after = capture([&](std::ostream& o) { print_stats_table(o, r, false); });
  const auto a = lines_of(before), b = lines_of(after);
  ASSERT_EQ(a.size(), b.size());
  const std::size_t svc = a[0].find("svc Med");
  ASSERT_NE(svc, std::string::npos);
  for (std::size_t i = 2; i < a.size(); ++i) {
    if (a[i].find("/sold-out") != std::string::npos || a[i][0] == '-') continue;
    EXPECT_EQ(a[i].substr(0, svc - 2), b[i].substr(0, svc - 2)) << "latency cells changed";
    EXPECT_NE(a[i].substr(svc - 2, 18), b[i].substr(svc - 2, 18)) << a[i];
  }
}

TEST(OpenModelConsole, RowsStayAligned) {
  const auto r = make_open_result();
  for (const bool current : {false, true}) {
    const auto lines = lines_of(capture([&](std::ostream& o) { print_stats_table(o, r, current); }));
    ASSERT_EQ(lines.size(), 2 + r.endpoints.size() + 2);
    for (const std::string& line : lines) EXPECT_EQ(line.size(), lines[0].size()) << line;
  }
}

TEST(OpenModelConsole, ClosedModelOutputHasNoneOfIt) {
  const auto r = make_sample_result(false);
  for (const std::string& text : {capture([&](std::ostream& o) { print_live_table(o, r); }),
                                  capture([&](std::ostream& o) { print_final_summary(o, r); })}) {
    for (const char* word : {"dropped", "svc", "intended", "Service time", "Open model"})
      EXPECT_EQ(text.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace stampede::reporters
