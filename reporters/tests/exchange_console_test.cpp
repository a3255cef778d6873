// The final summary's exchange table (reporters/exchange_table.h): connections, TLS
// handshakes, time to first byte and Server-Timing cache/server figures, their columns only
// when recorded, and a summary without them exactly as before.
#include "reporters/exchange_table.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reporters/console_table.h"
#include "reporters/shard_table.h"
#include "reporters/tests/sample_result.h"
#include "reporters/text_cells.h"

namespace stampede::reporters {
namespace {

using testing::capture;
using testing::expect_golden;
using testing::expect_in_order;
using testing::make_exchange_result;
using testing::make_sample_result;

std::string summary_of(const results::RunResult& r) {
  return capture([&](std::ostream& o) { print_final_summary(o, r); });
}

std::string line_starting(const std::string& text, const std::string& start) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(start, 0) == 0) return line;
  return {};
}

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

TEST(ExchangeConsole, FinalGolden) {
  expect_golden("final_summary_exchange.txt", summary_of(make_exchange_result(true, true)));
}

TEST(ExchangeConsole, ComesAfterThePercentilesAndBeforeTheErrors) {
  const std::string text = summary_of(make_exchange_result(true, true));
  expect_in_order(text, {"Response time percentiles", "Connections and time to first byte", "Servers (Server-Timing",
                         "Error report"});
}

TEST(ExchangeConsole, AggregatedRowIsTheWholeRunsHistograms) {
  const results::RunResult r = make_exchange_result(true, true);
  const results::ExchangeStats& x = r.aggregated.exchange;
  const std::string table = capture([&](std::ostream& o) { print_exchange_table(o, r); });
  const std::vector<std::string> cells = words_of(line_starting(table, std::string(kTypeWidth + 1, ' ') + "Aggregated"));
  // Aggregated | # conns, conn Med, conn p95 | # TLS, resumed, TLS p95 | TTFB Med, p95, p99 | hits, misses, hit %
  const std::vector<std::string> expected = {
      "Aggregated", std::to_string(x.new_connections), "|", format_ms(x.connect.value_at_percentile(50)),
      format_ms(x.connect.value_at_percentile(95)), "|", std::to_string(x.tls_handshakes),
      std::to_string(x.tls_resumed), "|", format_ms(x.tls.value_at_percentile(95)), "|",
      format_ms(x.ttfb.value_at_percentile(50)), format_ms(x.ttfb.value_at_percentile(95)),
      format_ms(x.ttfb.value_at_percentile(99)), "|", std::to_string(x.cache_hits), std::to_string(x.cache_misses),
      format_percent(x.cache_hits, x.cache_hits + x.cache_misses)};
  EXPECT_EQ(cells, expected) << table;
  ASSERT_GT(x.new_connections, 0u);
  ASSERT_GT(x.tls_resumed, 0u);
  ASSERT_GT(x.cache_hits, 0u);
  ASSERT_GT(x.cache_misses, 0u);
  // Both servers with their share of the responses that named one.
  const std::uint64_t named = x.servers.at(0) + x.servers.at(1);
  EXPECT_NE(table.find("srv-0 " + std::to_string(x.servers.at(0)) + " (" + format_percent(x.servers.at(0), named) + ")"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("srv-1 " + std::to_string(x.servers.at(1))), std::string::npos) << table;
}

TEST(ExchangeConsole, ColumnsOnlyForWhatWasRecorded) {
  // Plain http without a cache: connections and time to first byte only.
  const std::string plain = capture([&](std::ostream& o) { print_exchange_table(o, make_exchange_result(false, false)); });
  EXPECT_NE(plain.find("conn p95"), std::string::npos) << plain;
  EXPECT_NE(plain.find("TTFB p99"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("TLS"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("hit %"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("Servers"), std::string::npos) << plain;
  // An endpoint whose requests all reused connections shows "-" for its connect times, not 0.
  results::RunResult reused = make_exchange_result(false, false);
  reused.endpoints.front().exchange.new_connections = 0;
  reused.endpoints.front().exchange.connect = {};
  const std::string with_dash = capture([&](std::ostream& o) { print_exchange_table(o, reused); });
  const auto& e = reused.endpoints.front();
  const std::vector<std::string> cells = words_of(line_starting(with_dash, e.method + std::string(kTypeWidth - e.method.size() + 1, ' ') + e.name));
  // ... | # conns | conn Med, conn p95 | TTFB Med, p95, p99
  ASSERT_GE(cells.size(), 8u) << with_dash;
  EXPECT_EQ(cells[cells.size() - 8], "0") << with_dash;
  EXPECT_EQ(cells[cells.size() - 7], "|");
  EXPECT_EQ(cells[cells.size() - 6], "-");
  EXPECT_EQ(cells[cells.size() - 5], "-");
  EXPECT_EQ(cells[cells.size() - 3], format_ms(e.exchange.ttfb.value_at_percentile(50)));
}

TEST(ExchangeConsole, WithoutTheFiguresTheSummaryIsAsBefore) {
  results::RunResult r = make_exchange_result(true, true);
  EXPECT_TRUE(has_exchange_figures(r));
  r.info = make_sample_result(false).info;
  const std::string with = summary_of(r);
  for (auto& e : r.endpoints) e.exchange = {};
  r.aggregated.exchange = {};
  EXPECT_FALSE(has_exchange_figures(r));
  EXPECT_EQ(summary_of(r), summary_of(make_sample_result(false)));
  EXPECT_EQ(summary_of(r).find("Connections"), std::string::npos);
  EXPECT_EQ(capture([&](std::ostream& o) { print_exchange_table(o, r); }), "");
  // The figures only add their section: the rest is the same text.
  const std::string section = capture([&](std::ostream& o) { print_exchange_table(o, make_exchange_result(true, true)); });
  const auto at = with.find(section);
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(with.substr(0, at) + with.substr(at + section.size() + 1), summary_of(r));
}

TEST(ExchangeConsole, AnAggregateWithoutFiguresIsSummedFromTheEndpoints) {
  // A live or partial result may have the endpoints' figures but not yet the aggregate's.
  results::RunResult r = make_exchange_result(false, true);
  const std::string whole = capture([&](std::ostream& o) { print_exchange_table(o, r); });
  r.aggregated.exchange = {};
  EXPECT_EQ(capture([&](std::ostream& o) { print_exchange_table(o, r); }), whole);
}

// The open model's service time per shard (ShardStats::single_shard_service): its own
// column when recorded, "-" for a row without; no column otherwise.
TEST(ExchangeConsole, ShardTableShowsTheSingleShardServiceTime) {
  results::RunResult r = make_sample_result(true);
  const std::string before = capture([&](std::ostream& o) { print_shard_tables(o, r); });
  EXPECT_EQ(before.find("svc"), std::string::npos);
  ASSERT_GE(r.shards.size(), 2u);
  r.shards[0].single_shard_service.record(1'234, 5);
  const std::string after = capture([&](std::ostream& o) { print_shard_tables(o, r); });
  EXPECT_NE(after.find("single svc p95"), std::string::npos) << after;
  EXPECT_NE(after.find("from the intended start and from the send"), std::string::npos) << after;
  std::istringstream in(after);
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  ASSERT_GE(rows.size(), 5u);
  // Title, header, rule, then the shards in the result's order.
  EXPECT_EQ(words_of(rows[3]).back(), format_ms(r.shards[0].single_shard_service.value_at_percentile(95))) << after;
  EXPECT_EQ(words_of(rows[4]).back(), "-") << after;
}

}  // namespace
}  // namespace stampede::reporters
