#include "reporters/locust_csv.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "reporters/history_window.h"
#include "reporters/locust_stats.h"
#include "reporters/python_format.h"
#include "results/result_folder.h"

namespace stampede::reporters {

namespace {

std::vector<std::string> percentile_titles() {
  return {std::begin(kLocustPercentileTitles), std::end(kLocustPercentileTitles)};
}

std::vector<std::string> stats_columns() {
  std::vector<std::string> c = {"Type",
                                "Name",
                                "Request Count",
                                "Failure Count",
                                "Median Response Time",
                                "Average Response Time",
                                "Min Response Time",
                                "Max Response Time",
                                "Average Content Size",
                                "Requests/s",
                                "Failures/s"};
  for (auto& t : percentile_titles()) c.push_back(t);
  return c;
}

std::vector<std::string> history_columns() {
  std::vector<std::string> c = {"Timestamp", "User Count", "Type", "Name", "Requests/s",
                                "Failures/s"};
  for (auto& t : percentile_titles()) c.push_back(t);
  for (const char* t : {"Total Request Count", "Total Failure Count", "Total Median Response Time",
                        "Total Average Response Time", "Total Min Response Time",
                        "Total Max Response Time", "Total Average Content Size"}) {
    c.emplace_back(t);
  }
  return c;
}

void append(std::vector<std::string>& row, const std::vector<std::string>& more) {
  row.insert(row.end(), more.begin(), more.end());
}

// StatsEntry.total_rps / total_fail_per_sec: divided by the time from the start of the run
// to the last request of the whole run (not of this entry).
std::string per_second(std::uint64_t count, double last_request_s) {
  if (last_request_s <= 0) return "0.0";
  return py_float_repr(static_cast<double>(count) / last_request_s);
}

std::vector<std::string> stats_row(const LocustEntry& e, double last_request_s) {
  std::vector<std::string> row = {e.method,
                                  e.name,
                                  std::to_string(e.num_requests),
                                  std::to_string(e.num_failures),
                                  e.median_cell(),
                                  e.average_cell(),
                                  e.min_cell(),
                                  e.max_cell(),
                                  e.average_content_cell(),
                                  per_second(e.num_requests, last_request_s),
                                  per_second(e.num_failures, last_request_s)};
  append(row, e.percentile_cells());
  return row;
}

// One endpoint's (or the total's) state while walking the history. With full history,
// `window` is the merge of the intervals still in the current window (Locust's diff of the
// cumulative dict against the one cached ~10 s earlier), kept rolling: intervals are added
// as they come and subtracted when they leave.
struct Track {
  LocustEntry cumulative;
  struct Interval {
    std::size_t index;
    LocustTimes times;
    std::uint64_t requests;
  };
  std::deque<Interval> intervals;
  LocustTimes window;
  std::uint64_t window_requests = 0;
};

std::vector<std::string> history_row(const results::HistoryPoint& p, const Track& t,
                                     const WindowRates& rates, bool use_current) {
  const LocustEntry& e = t.cumulative;
  std::int64_t timestamp_s = p.unix_ms / 1000;  // int(time.time())
  if (p.unix_ms < 0 && p.unix_ms % 1000 != 0) --timestamp_s;
  std::vector<std::string> row = {std::to_string(timestamp_s), std::to_string(p.users), e.method,
                                  e.name, fixed(rates.requests_per_s(), 6),
                                  fixed(rates.failures_per_s(), 6)};
  if (use_current) {
    // Locust passes use_current=full_history: with --csv-full-history every row (the
    // Aggregated one included) shows the last-10-s percentiles, otherwise whole-run ones.
    append(row, e.percentile_cells(t.window, t.window_requests));
  } else {
    append(row, e.percentile_cells());
  }
  append(row, {std::to_string(e.num_requests), std::to_string(e.num_failures), e.median_cell(),
               e.average_cell(), e.min_cell(), e.max_cell(), e.average_content_cell()});
  return row;
}

// Adds one interval; the window is kept only when the rows will show it.
void add_interval(Track& t, std::size_t index, const results::IntervalEndpoint& interval,
                  const LocustTimes& times, bool keep_window) {
  t.cumulative.add(interval, times);
  if (!keep_window) return;
  t.window.merge(times);
  t.window_requests += interval.requests;
  t.intervals.push_back({index, times, interval.requests});
}

// Windows only move forward: drop the intervals that ended before `begin`.
void forget_before(Track& t, std::size_t begin) {
  while (!t.intervals.empty() && t.intervals.front().index < begin) {
    t.window.subtract(t.intervals.front().times);
    t.window_requests -= t.intervals.front().requests;
    t.intervals.pop_front();
  }
}

}  // namespace

std::string locust_stats_csv(const results::RunResult& result) {
  std::vector<LocustEntry> entries;
  for (const auto& e : result.endpoints) entries.push_back(LocustEntry::from(e));
  std::stable_sort(entries.begin(), entries.end(), locust_order);
  LocustEntry total = LocustEntry::from(result.aggregated);
  total.method = "";
  total.name = results::kAggregatedName;

  const double last_request_s = result.aggregated.last_request_s;
  std::string out = csv_row(stats_columns());
  for (const auto& e : entries) out += csv_row(stats_row(e, last_request_s));
  out += csv_row(stats_row(total, last_request_s));
  return out;
}

std::string locust_stats_history_csv(const results::RunResult& result, bool full_history) {
  std::string out = csv_row(history_columns());
  std::map<EndpointKey, Track> endpoints;  // (name, method) order, as Locust sorts
  Track total;
  total.cumulative.name = results::kAggregatedName;

  const auto& history = result.history;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& point = history[i];
    for (const auto& interval : point.endpoints) {
      EndpointKey key{interval.name, interval.method};
      auto [it, inserted] = endpoints.try_emplace(key);
      if (inserted) {
        it->second.cumulative.name = interval.name;
        it->second.cumulative.method = interval.method;
      }
      LocustTimes times;  // converted once, shared by the endpoint and the total
      times.add(interval.latency);
      add_interval(it->second, i, interval, times, full_history);
      add_interval(total, i, interval, times, full_history);
    }
    const std::size_t begin = window_begin(history, i);
    if (full_history) {
      forget_before(total, begin);
      for (auto& [key, track] : endpoints) forget_before(track, begin);
      for (const auto& [key, track] : endpoints) {
        out += csv_row(history_row(point, track, window_rates(history, begin, i, key), true));
      }
    }
    out += csv_row(history_row(point, total, window_rates(history, begin, i), full_history));
  }
  return out;
}

std::string locust_failures_csv(const results::RunResult& result) {
  // Locust orders failures by a SHA-256 of their key, i.e. arbitrarily; we keep the
  // result's order (most occurrences first).
  std::string out = csv_row({"Method", "Name", "Error", "Occurrences"});
  for (const auto& f : result.failures) {
    out += csv_row({f.method, f.name, f.error, std::to_string(f.occurrences)});
  }
  return out;
}

std::string locust_exceptions_csv(const results::RunResult& /*result*/) {
  return csv_row({"Count", "Message", "Traceback", "Nodes"});
}

void write_locust_csv(const std::string& prefix, const results::RunResult& result,
                      const LocustCsvOptions& options) {
  results::write_file_atomically(prefix + "_stats.csv", locust_stats_csv(result));
  results::write_file_atomically(prefix + "_stats_history.csv",
                                 locust_stats_history_csv(result, options.full_history));
  results::write_file_atomically(prefix + "_failures.csv", locust_failures_csv(result));
  results::write_file_atomically(prefix + "_exceptions.csv", locust_exceptions_csv(result));
}

}  // namespace stampede::reporters
