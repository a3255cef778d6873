// End-to-end oracle: a 14-second run whose every request was fed to real Locust 2.12.1
// (fixtures/locust_run_reference.py, with a fake clock). We rebuild the RunResult the
// engine would produce from the same requests and compare our CSV with Locust's.
#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "reporters/locust_csv.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

const std::string kFixtures = std::string(STAMPEDE_SOURCE_DIR) + "/reporters/tests/fixtures/";

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, '\t')) out.push_back(cell);
  return out;
}

results::EndpointStats& endpoint(results::RunResult& r, const std::string& method,
                                 const std::string& name) {
  for (auto& e : r.endpoints) {
    if (e.method == method && e.name == name) return e;
  }
  r.endpoints.push_back({});
  r.endpoints.back().method = method;
  r.endpoints.back().name = name;
  return r.endpoints.back();
}

// What the engine records for the same requests: per-interval endpoint slices, cumulative
// endpoints and the aggregate, times relative to the run start.
results::RunResult load_run() {
  std::ifstream in(kFixtures + "locust_run_samples.tsv");
  EXPECT_TRUE(in.good());
  results::RunResult r;
  r.aggregated.name = results::kAggregatedName;
  results::HistoryPoint current;
  for (std::string line; std::getline(in, line);) {
    const auto f = split_tabs(line);
    if (f[0] == "req") {
      const std::string& method = f[1];
      const std::string& name = f[2];
      const std::uint64_t us = std::stoull(f[3]);
      const bool failed = f[4] == "1";
      const std::uint64_t bytes = std::stoull(f[5]);
      const double t = std::stod(f[6]);
      auto it = std::find_if(current.endpoints.begin(), current.endpoints.end(),
                             [&](const auto& e) { return e.method == method && e.name == name; });
      if (it == current.endpoints.end()) {
        current.endpoints.push_back({method, name, 0, 0, 0, {}, {}, 0});
        it = current.endpoints.end() - 1;
      }
      for (auto* e : {&endpoint(r, method, name), &r.aggregated}) {
        if (e->requests == 0) e->first_request_s = t;
        e->last_request_s = t;
        e->requests += 1;
        e->failures += failed;
        e->content_bytes += bytes;
        e->latency.record(us);
      }
      it->requests += 1;
      it->failures += failed;
      it->content_bytes += bytes;
      it->latency.record(us);
    } else {
      current.elapsed_s = std::stod(f[1]);
      current.interval_s = 1;
      current.unix_ms = std::stoll(f[2]);
      current.users = std::stoi(f[3]);
      r.history.push_back(std::move(current));
      current = {};
    }
  }
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Columns 4 and 5 (Requests/s, Failures/s) are Locust's "current" rates, averaged over
// whole wall-clock seconds [now-12, now-2); ours cover the last 10 s of history (see
// README). Blank them on both sides; every other cell must match.
std::string without_current_rates(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (char c : row) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.push_back(cell);
  if (cells.size() > 5) cells[4] = cells[5] = "-";
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + cells[i];
  return out;
}

TEST(LocustReferenceRun, StatsCsvEqualsRealLocustByteForByte) {
  const auto r = load_run();
  ASSERT_EQ(r.history.size(), 14u);
  EXPECT_EQ(locust_stats_csv(r), testing::read_text_file(kFixtures + "locust_run_stats.csv"));
}

TEST(LocustReferenceRun, HistoryEqualsRealLocustBesideTheCurrentRates) {
  const auto r = load_run();
  const auto ours = lines(locust_stats_history_csv(r, false));
  const auto theirs = lines(testing::read_text_file(kFixtures + "locust_run_stats_history.csv"));
  ASSERT_EQ(ours.size(), theirs.size() + 1);  // + our header line
  for (std::size_t i = 0; i < theirs.size(); ++i) {
    EXPECT_EQ(without_current_rates(ours[i + 1]), without_current_rates(theirs[i]))
        << "history row " << i + 1;
  }
}

}  // namespace
}  // namespace stampede::reporters
