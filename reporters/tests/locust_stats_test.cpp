#include "reporters/locust_stats.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reporters/python_format.h"

namespace stampede::reporters {
namespace {

const std::string kFixtures = std::string(STAMPEDE_SOURCE_DIR) + "/reporters/tests/fixtures/";

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, sep)) out.push_back(cell);
  if (!line.empty() && line.back() == sep) out.emplace_back();
  return out;
}

std::string chomp(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

// The cells real Locust computed for the same samples (fixtures/locust_stats_reference.py).
TEST(LocustEntry, CellsMatchRealLocustForTheSameSamples) {
  std::ifstream input(kFixtures + "locust_stats_input.txt");
  std::ifstream reference(kFixtures + "locust_stats_reference.csv");
  ASSERT_TRUE(input.good());
  ASSERT_TRUE(reference.good());
  std::string line;
  std::getline(reference, line);  // header
  int datasets = 0;
  while (std::getline(input, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    std::string name;
    std::uint64_t content = 0;
    in >> name >> content;
    results::EndpointStats stats;
    stats.method = "GET";
    stats.name = name;
    for (std::uint64_t us; in >> us;) {
      stats.latency.record(us);
      stats.requests += 1;
      stats.content_bytes += content;
    }
    std::string ref_line;
    ASSERT_TRUE(std::getline(reference, ref_line));
    const auto expected = split(chomp(ref_line), ',');
    ASSERT_EQ(expected.size(), 6u + 11u);
    ASSERT_EQ(expected[0], name);

    const LocustEntry e = LocustEntry::from(stats);
    std::vector<std::string> actual = {name, e.median_cell(), e.average_cell(), e.min_cell(),
                                       e.max_cell(), e.average_content_cell()};
    for (const auto& p : e.percentile_cells()) actual.push_back(p);
    EXPECT_EQ(actual, expected) << "dataset " << name;
    ++datasets;
  }
  EXPECT_EQ(datasets, 5);
}

TEST(LocustTimes, RoundsLikeLocust) {
  LocustTimes t;
  t.add_ms(147);    // -> 150.0 (a float key)
  t.add_ms(3432);   // -> 3400.0
  t.add_ms(58760);  // -> 59000.0
  t.add_ms(2.4);    // -> 2 (an int key)
  // calculate_response_time_percentile walks down from the slowest key until at most
  // int(n * p) requests remain below it.
  EXPECT_EQ(t.percentile(4, 1.0).str(), "59000.0");
  EXPECT_EQ(t.percentile(4, 0.75).str(), "59000.0");
  EXPECT_EQ(t.percentile(4, 0.5).str(), "3400.0");
  EXPECT_EQ(t.percentile(4, 0.25).str(), "150.0");
  EXPECT_EQ(t.percentile(4, 0.0).str(), "2");
  EXPECT_EQ(t.median(4).str(), "150.0");  // pos 1.5: past key 2 (count 1) lands on 150
}

TEST(LocustTimes, MedianWalksUpFromTheFastest) {
  LocustTimes t;
  t.add_ms(1, 3);
  t.add_ms(5, 1);
  EXPECT_EQ(t.median(4).str(), "1");  // pos 1.5 < 3
  t.add_ms(9, 3);
  EXPECT_EQ(t.median(7).str(), "5");  // pos 3: past three 1s, lands on 5
}

TEST(LocustTimes, MinusDropsWhatTheOlderDictHad) {
  LocustTimes now;
  now.add_ms(1, 5);
  now.add_ms(20, 2);
  LocustTimes older;
  older.add_ms(1, 5);
  const LocustTimes diff = now.minus(older);
  EXPECT_EQ(diff.percentile(2, 0.0).str(), "20");
  EXPECT_TRUE(older.minus(now).empty());
}

TEST(LocustEntry, AccumulatesIntervals) {
  results::IntervalEndpoint a{"GET", "x", 2, 1, 100, {}, {}, 0};
  a.latency.record(1500);
  a.latency.record(2000);
  results::IntervalEndpoint b{"GET", "x", 1, 0, 50, {}, {}, 0};
  b.latency.record(500);
  LocustEntry e;
  e.add(a);
  e.add(b);
  EXPECT_EQ(e.num_requests, 3u);
  EXPECT_EQ(e.num_failures, 1u);
  EXPECT_EQ(e.min_cell(), "0.5");
  EXPECT_EQ(e.max_cell(), "2.0");
  EXPECT_EQ(e.average_cell(), "1.3333333333333333");
  EXPECT_EQ(e.average_content_cell(), "50.0");
}

TEST(LocustEntry, WindowPercentilesAreNaOnlyWithoutAnyRequest) {
  LocustEntry none;
  EXPECT_EQ(none.percentile_cells(LocustTimes{}, 0).front(), "N/A");
  results::IntervalEndpoint a{"GET", "x", 1, 0, 0, {}, {}, 0};
  a.latency.record(7000);
  LocustEntry e;
  e.add(a);
  // Requests so far but none in the window: Locust prints 0, not N/A.
  EXPECT_EQ(e.percentile_cells(LocustTimes{}, 0).front(), "0");
  EXPECT_EQ(e.percentile_cells().back(), "7");
}

TEST(LocustOrder, SortsByNameThenMethod) {
  LocustEntry a;
  a.name = "b";
  a.method = "GET";
  LocustEntry b;
  b.name = "b";
  b.method = "POST";
  LocustEntry c;
  c.name = "a";
  c.method = "PUT";
  EXPECT_TRUE(locust_order(c, a));
  EXPECT_TRUE(locust_order(a, b));
  EXPECT_FALSE(locust_order(b, a));
}

}  // namespace
}  // namespace stampede::reporters
