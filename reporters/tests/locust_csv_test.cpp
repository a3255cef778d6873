#include "reporters/locust_csv.h"

#include <filesystem>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::expect_golden;
using testing::make_empty_result;
using testing::make_sample_result;
using testing::read_text_file;
using Rows = std::vector<std::vector<std::string>>;

const std::string kLocust =
    std::string(STAMPEDE_SOURCE_DIR) + "/reporters/tests/fixtures/locust-2.12.1/";

// A small RFC 4180 reader (quotes, doubled quotes, CRLF), enough for Locust's files.
// Fails the test on a line end that is not "\r\n".
Rows parse_csv(const std::string& text) {
  Rows rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(cell);
      cell.clear();
    } else if (c == '\r') {
      EXPECT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at byte " << i;
      row.push_back(cell);
      cell.clear();
      rows.push_back(row);
      row.clear();
      ++i;
    } else {
      EXPECT_NE(c, '\n') << "bare LF at byte " << i;
      cell += c;
    }
  }
  EXPECT_TRUE(row.empty() && cell.empty()) << "last line has no CRLF";
  return rows;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find("\r\n") + 2); }

// --- the format rules, from locust/stats.py, checked on real Locust output and on ours ----

enum class Kind { Text, Int, Float, IntOrFloat, Fixed6, IntOrNa, Timestamp };

bool matches(Kind kind, const std::string& cell) {
  static const std::regex int_re("0|[1-9][0-9]*");
  static const std::regex float_re("[0-9]+\\.[0-9]+(e[-+][0-9]+)?|[0-9](\\.[0-9]+)?e[-+][0-9]+");
  static const std::regex fixed6_re("[0-9]+\\.[0-9]{6}");
  switch (kind) {
    case Kind::Text: return true;
    case Kind::Int: return std::regex_match(cell, int_re);
    case Kind::Timestamp: return std::regex_match(cell, int_re) && cell.size() == 10;
    case Kind::Float: return std::regex_match(cell, float_re);
    case Kind::IntOrFloat: return std::regex_match(cell, int_re) || std::regex_match(cell, float_re);
    case Kind::Fixed6: return std::regex_match(cell, fixed6_re);
    case Kind::IntOrNa: return cell == "N/A" || std::regex_match(cell, int_re);
  }
  return false;
}

std::vector<Kind> stats_kinds() {
  std::vector<Kind> k = {Kind::Text,  Kind::Text,       Kind::Int,        Kind::Int,
                         Kind::IntOrFloat, Kind::Float, Kind::IntOrFloat, Kind::IntOrFloat,
                         Kind::IntOrFloat, Kind::Float, Kind::Float};
  k.insert(k.end(), 11, Kind::IntOrNa);
  return k;
}

std::vector<Kind> history_kinds() {
  std::vector<Kind> k = {Kind::Timestamp, Kind::Int, Kind::Text, Kind::Text, Kind::Fixed6,
                         Kind::Fixed6};
  k.insert(k.end(), 11, Kind::IntOrNa);
  k.insert(k.end(), {Kind::Int, Kind::Int, Kind::IntOrFloat, Kind::Float, Kind::IntOrFloat,
                     Kind::IntOrFloat, Kind::IntOrFloat});
  return k;
}

void expect_cells(const Rows& rows, const std::vector<Kind>& kinds, const std::string& what) {
  ASSERT_FALSE(rows.empty()) << what;
  ASSERT_EQ(rows[0].size(), kinds.size()) << what << ": header width";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), kinds.size()) << what << ": row " << r;
    for (std::size_t c = 0; c < kinds.size(); ++c) {
      EXPECT_TRUE(matches(kinds[c], rows[r][c]))
          << what << ": row " << r << " column " << rows[0][c] << " = '" << rows[r][c] << "'";
    }
  }
}

// _stats.csv: entries sorted by (name, method), then the Aggregated row with an empty Type;
// rows without requests show "N/A" percentiles.
void expect_stats_order(const Rows& rows, const std::string& what) {
  ASSERT_GE(rows.size(), 2u) << what;
  const auto& last = rows.back();
  EXPECT_EQ(last[0], "") << what;
  EXPECT_EQ(last[1], "Aggregated") << what;
  for (std::size_t r = 2; r + 1 < rows.size(); ++r) {
    EXPECT_LT(std::tie(rows[r - 1][1], rows[r - 1][0]), std::tie(rows[r][1], rows[r][0]))
        << what << ": row " << r;
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r][2] == "0", rows[r][11] == "N/A") << what << ": row " << r;
  }
}

// _stats_history.csv: per timestamp, (full history only) the entries sorted by (name,
// method), then exactly one Aggregated row; timestamps never go back.
void expect_history_order(const Rows& rows, bool full, const std::string& what) {
  ASSERT_GE(rows.size(), 2u) << what;
  std::size_t group_start = 1;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (r > 1) {
      EXPECT_LE(rows[r - 1][0], rows[r][0]) << what << ": row " << r;
    }
    EXPECT_EQ(rows[r][17] == "0", rows[r][6] == "N/A") << what << ": row " << r;
    if (rows[r][3] != "Aggregated") {
      EXPECT_TRUE(full) << what << ": endpoint row without --csv-full-history, row " << r;
      EXPECT_NE(rows[r][2], "") << what << ": row " << r;
      if (r > group_start) {
        EXPECT_LT(std::tie(rows[r - 1][3], rows[r - 1][2]), std::tie(rows[r][3], rows[r][2]))
            << what << ": row " << r;
      }
      continue;
    }
    EXPECT_EQ(rows[r][2], "") << what << ": row " << r;
    for (std::size_t g = group_start; g <= r; ++g) EXPECT_EQ(rows[g][0], rows[r][0]) << what;
    group_start = r + 1;
  }
  EXPECT_EQ(rows.back()[3], "Aggregated") << what;
}

// History second `s` of a made-up run: `users` users, one GET x request of `latency_us`
// (10 bytes), failed or not.
results::HistoryPoint one_request_second(int s, int users, std::uint64_t latency_us, bool failed) {
  results::HistoryPoint p;
  p.elapsed_s = s;
  p.unix_ms = 1795321229000 + s * 1000;
  p.users = users;
  results::IntervalEndpoint e{"GET", "x", 1, failed ? 1u : 0u, 10, {}, {}, 0};
  e.latency.record(latency_us);
  p.endpoints.push_back(e);
  return p;
}

TEST(LocustCsv, HeadersEqualRealLocust) {
  const auto r = make_sample_result(false);
  EXPECT_EQ(first_line(locust_stats_csv(r)), first_line(read_text_file(kLocust + "x_stats.csv")));
  EXPECT_EQ(first_line(locust_stats_history_csv(r, false)),
            first_line(read_text_file(kLocust + "x_stats_history.csv")));
  EXPECT_EQ(first_line(locust_stats_history_csv(r, true)),
            first_line(read_text_file(kLocust + "full_stats_history.csv")));
  EXPECT_EQ(first_line(locust_failures_csv(r)),
            first_line(read_text_file(kLocust + "x_failures.csv")));
  EXPECT_EQ(locust_exceptions_csv(r), read_text_file(kLocust + "x_exceptions.csv"));
}

TEST(LocustCsv, RealLocustFilesFollowTheRulesWeCheck) {
  for (const char* prefix : {"x", "full"}) {
    const std::string p = kLocust + prefix;
    const Rows stats = parse_csv(read_text_file(p + "_stats.csv"));
    expect_cells(stats, stats_kinds(), p + "_stats.csv");
    expect_stats_order(stats, p + "_stats.csv");
    const Rows history = parse_csv(read_text_file(p + "_stats_history.csv"));
    expect_cells(history, history_kinds(), p + "_stats_history.csv");
    expect_history_order(history, std::string(prefix) == "full", p + "_stats_history.csv");
    const Rows failures = parse_csv(read_text_file(p + "_failures.csv"));
    for (const auto& row : failures) EXPECT_EQ(row.size(), 4u);
  }
}

TEST(LocustCsv, OurFilesFollowTheSameRules) {
  for (bool shards : {false, true}) {
    const auto r = make_sample_result(shards);
    const Rows stats = parse_csv(locust_stats_csv(r));
    expect_cells(stats, stats_kinds(), "stats");
    expect_stats_order(stats, "stats");
    EXPECT_EQ(stats.size(), 1 + r.endpoints.size() + 1);
    for (bool full : {false, true}) {
      const Rows history = parse_csv(locust_stats_history_csv(r, full));
      expect_cells(history, history_kinds(), "history");
      expect_history_order(history, full, "history");
      if (!full) {
        EXPECT_EQ(history.size(), 2 + r.history.size()) << "header, Locust's start row, one row per point";
      }
    }
    const Rows failures = parse_csv(locust_failures_csv(r));
    ASSERT_EQ(failures.size(), 1 + r.failures.size());
    for (const auto& row : failures) EXPECT_EQ(row.size(), 4u);
  }
}

TEST(LocustCsv, EmptyHistoryPointIsByteIdenticalToLocustsFirstRow) {
  auto r = make_empty_result();
  results::HistoryPoint p;
  p.elapsed_s = 1;
  p.unix_ms = 1795321229'640;  // Locust writes int(time.time())
  p.users = 0;
  r.history.push_back(p);
  const std::string real = read_text_file(kLocust + "x_stats_history.csv");
  const std::size_t first_end = real.find("\r\n") + 2;
  const std::string real_first_row = real.substr(first_end, real.find("\r\n", first_end) + 2 - first_end);
  const std::string ours = locust_stats_history_csv(r, false);
  EXPECT_EQ(ours.substr(ours.find("\r\n") + 2), real_first_row);
}

TEST(LocustCsv, StartRowIsByteIdenticalToLocustsFirstRowAndLeadsTheHistory) {
  const std::string real = read_text_file(kLocust + "x_stats_history.csv");
  const std::size_t first_end = real.find("\r\n") + 2;
  const std::string real_first_row = real.substr(first_end, real.find("\r\n", first_end) + 2 - first_end);
  EXPECT_EQ(locust_stats_history_start_row(1795321229'640), real_first_row);
  auto r = make_empty_result();
  r.info.started_unix_ms = 1795321229'640;
  const std::string ours = locust_stats_history_csv(r, true);
  EXPECT_EQ(ours.substr(ours.find("\r\n") + 2, real_first_row.size()), real_first_row)
      << "a result that knows its start begins its history with Locust's start row";
}

TEST(LocustCsv, EmptyResultHasOnlyTheAggregatedRow) {
  const Rows stats = parse_csv(locust_stats_csv(make_empty_result()));
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[1][1], "Aggregated");
  EXPECT_EQ(stats[1][2], "0");
  EXPECT_EQ(stats[1][5], "0.0");   // avg_response_time is a float even without requests
  EXPECT_EQ(stats[1][9], "0.0");   // total_rps
  EXPECT_EQ(stats[1][11], "N/A");
}

TEST(LocustCsv, FullHistoryUsesCurrentPercentilesPlainHistoryWholeRun) {
  // Ten fast seconds, then one slow request: the whole-run 50% stays fast, the last-10-s
  // 100% in full-history mode drops the early seconds only once they leave the window.
  auto r = make_empty_result();
  for (int s = 1; s <= 25; ++s)
    r.history.push_back(one_request_second(s, 1, s == 1 ? 900000 : 2000, false));  // 900 ms at the start, then 2 ms
  const Rows plain = parse_csv(locust_stats_history_csv(r, false));
  const Rows full = parse_csv(locust_stats_history_csv(r, true));
  EXPECT_EQ(plain.back()[16], "900");  // whole-run 100%
  EXPECT_EQ(full.back()[16], "2");     // the 900 ms second left the window long ago
  EXPECT_EQ(full[2 * 5][16], "900");   // at second 5 (row pair 5) it is still inside
  EXPECT_EQ(full.back()[4], "1.000000");
}

TEST(LocustCsv, LongHistoryKeepsExactWindows) {
  // Point s (1 s each) holds one request of s ms. Over 60 points the streaming writer drops
  // old points; every row must still see exactly the last ten.
  auto r = make_empty_result();
  for (int s = 1; s <= 60; ++s)
    r.history.push_back(one_request_second(s, 3, static_cast<std::uint64_t>(s) * 1000, s % 3 == 0));
  const Rows full = parse_csv(locust_stats_history_csv(r, true));
  ASSERT_EQ(full.size(), 1u + 2 * 60);
  for (int s = 10; s <= 60; ++s) {
    const auto& row = full[static_cast<std::size_t>(2 * s)];  // the Aggregated row of point s
    ASSERT_EQ(row[3], "Aggregated");
    EXPECT_EQ(row[4], "1.000000") << "s=" << s;
    // Every third second holds a failure: three or four of them in s-9..s.
    const int failing = s / 3 - (s - 10) / 3;
    EXPECT_EQ(row[5], failing == 3 ? "0.300000" : "0.400000") << "s=" << s;
    EXPECT_EQ(row[6], std::to_string(s - 4)) << "s=" << s;  // current 50%: s-9..s
    EXPECT_EQ(row[16], std::to_string(s)) << "s=" << s;     // current 100%
    EXPECT_EQ(row[17], std::to_string(s)) << "s=" << s;     // total requests
  }
  // Incremental rows equal the whole-file formatter, point by point.
  LocustHistoryCsv rows(true);
  std::string streamed = locust_stats_history_header();
  for (const auto& p : r.history) streamed += rows.add(p);
  EXPECT_EQ(streamed, locust_stats_history_csv(r, true));
}

TEST(LocustCsv, Golden) {
  const auto r = make_sample_result(true);
  expect_golden("sample_stats.csv", locust_stats_csv(r));
  expect_golden("sample_stats_history.csv", locust_stats_history_csv(r, false));
  expect_golden("sample_stats_history_full.csv", locust_stats_history_csv(r, true));
  expect_golden("sample_failures.csv", locust_failures_csv(r));
  expect_golden("sample_exceptions.csv", locust_exceptions_csv(r));
}

TEST(LocustCsv, WritesTheFourFiles) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("stampede-reporters-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto r = make_sample_result(false);
  const std::string prefix = (dir / "run").string();
  write_locust_csv(prefix, r, {.full_history = true});
  EXPECT_EQ(read_text_file(prefix + "_stats.csv"), locust_stats_csv(r));
  EXPECT_EQ(read_text_file(prefix + "_stats_history.csv"), locust_stats_history_csv(r, true));
  EXPECT_EQ(read_text_file(prefix + "_failures.csv"), locust_failures_csv(r));
  EXPECT_EQ(read_text_file(prefix + "_exceptions.csv"), locust_exceptions_csv(r));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 4u);  // no temporary files left behind
  std::filesystem::remove_all(dir);
}

TEST(LocustCsv, WriteFailureNamesThePath) {
  const auto r = make_sample_result(false);
  try {
    write_locust_csv("/nonexistent-dir-for-stampede-test/run", r);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir-for-stampede-test/run_"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace stampede::reporters
