#include "reporters/locust_csv.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
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
                                  fixed(rates.locust_failures_per_s(), 6)};
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

std::string locust_stats_history_header() { return csv_row(history_columns()); }

std::string locust_stats_history_start_row(std::int64_t started_unix_ms) {
  // Locust's CSV writer runs from the start, before any user: its first row is an empty
  // interval (0 users, no requests, N/A percentiles) stamped with the start time.
  results::HistoryPoint start;
  start.unix_ms = started_unix_ms;
  start.elapsed_s = 0;
  start.users = 0;
  return LocustHistoryCsv(false).add(start);
}

struct LocustHistoryCsv::State {
  bool full_history;
  std::map<EndpointKey, Track> endpoints;  // (name, method) order, as Locust sorts
  Track total;
  // The points the current window can still reach, without their histograms (the window
  // rates need only counts). recent[i] is point number dropped + i.
  std::vector<results::HistoryPoint> recent;
  std::size_t dropped = 0;
};

LocustHistoryCsv::LocustHistoryCsv(bool full_history) : state_(std::make_unique<State>()) {
  state_->full_history = full_history;
  state_->total.cumulative.name = results::kAggregatedName;
}

LocustHistoryCsv::~LocustHistoryCsv() = default;

std::string LocustHistoryCsv::add(const results::HistoryPoint& point) {
  State& s = *state_;
  const std::size_t i = s.dropped + s.recent.size();  // this point's number
  for (const auto& interval : point.endpoints) {
    EndpointKey key{interval.name, interval.method};
    auto [it, inserted] = s.endpoints.try_emplace(key);
    if (inserted) {
      it->second.cumulative.name = interval.name;
      it->second.cumulative.method = interval.method;
    }
    LocustTimes times;  // converted once, shared by the endpoint and the total
    times.add(interval.latency);
    add_interval(it->second, i, interval, times, s.full_history);
    add_interval(s.total, i, interval, times, s.full_history);
  }

  // Copy only what the window rates read: no histograms.
  results::HistoryPoint light;
  light.elapsed_s = point.elapsed_s;
  light.interval_s = point.interval_s;
  light.unix_ms = point.unix_ms;
  light.users = point.users;
  for (const auto& e : point.endpoints) {
    light.endpoints.push_back({e.method, e.name, e.requests, e.failures, e.content_bytes, {}, {}});
    light.endpoints.back().rate_limited = e.rate_limited;
  }
  s.recent.push_back(std::move(light));
  const std::size_t local_end = s.recent.size() - 1;
  const std::size_t local_begin = window_begin(s.recent, local_end);
  const std::size_t begin = s.dropped + local_begin;

  std::string out;
  if (s.full_history) {
    forget_before(s.total, begin);
    for (auto& [key, track] : s.endpoints) forget_before(track, begin);
    for (const auto& [key, track] : s.endpoints) {
      out += csv_row(
          history_row(point, track, window_rates(s.recent, local_begin, local_end, key), true));
    }
  }
  out += csv_row(history_row(point, s.total, window_rates(s.recent, local_begin, local_end),
                             s.full_history));

  // Points before the window's start can never be in a later window (windows only move
  // forward); keep a few anyway, the window is measured in seconds, not points.
  if (local_begin > 16) {
    const std::size_t n = local_begin - 16;
    s.recent.erase(s.recent.begin(), s.recent.begin() + static_cast<std::ptrdiff_t>(n));
    s.dropped += n;
  }
  return out;
}

std::string locust_stats_history_csv(const results::RunResult& result, bool full_history) {
  std::string out = locust_stats_history_header();
  if (result.info.started_unix_ms > 0) out += locust_stats_history_start_row(result.info.started_unix_ms);
  LocustHistoryCsv rows(full_history);
  for (const auto& point : result.history) out += rows.add(point);
  return out;
}

std::string locust_failures_csv(const results::RunResult& result) {
  // Locust orders failures by a SHA-256 of their key, i.e. arbitrarily; we keep the
  // result's order (most occurrences first).
  // A 429 is an HTTP error to Locust: each endpoint's rate-limited answers are a row
  // "HTTP 429" (as the engine names other HTTP errors), among the others by occurrences.
  std::vector<results::FailureStats> rows = result.failures;
  for (const auto& e : result.endpoints) {
    if (e.rate_limited > 0) rows.push_back({e.method, e.name, "HTTP 429", e.rate_limited});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.occurrences > b.occurrences; });
  std::string out = csv_row({"Method", "Name", "Error", "Occurrences"});
  for (const auto& f : rows) {
    out += csv_row({f.method, f.name, f.error, std::to_string(f.occurrences)});
  }
  return out;
}

std::string locust_exceptions_csv(const results::RunResult& /*result*/) {
  return csv_row({"Count", "Message", "Traceback", "Nodes"});
}

void write_locust_final_csv(const std::string& prefix, const results::RunResult& result) {
  results::write_file_atomically(prefix + "_stats.csv", locust_stats_csv(result));
  results::write_file_atomically(prefix + "_failures.csv", locust_failures_csv(result));
  results::write_file_atomically(prefix + "_exceptions.csv", locust_exceptions_csv(result));
}

void write_locust_csv(const std::string& prefix, const results::RunResult& result,
                      const LocustCsvOptions& options) {
  results::write_file_atomically(prefix + "_stats_history.csv",
                                 locust_stats_history_csv(result, options.full_history));
  write_locust_final_csv(prefix, result);
}

}  // namespace stampede::reporters
