#include "reporters/locust_csv.h"

#include <algorithm>
#include <cstdint>
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

// One endpoint's (or the total's) state while walking the history.
struct Track {
  LocustEntry cumulative;
  std::map<std::size_t, LocustTimes> interval_times;  // history index -> that interval
  std::map<std::size_t, std::uint64_t> interval_requests;
};

// Merge of the interval dicts inside [begin, end]: the "current" response times.
std::pair<LocustTimes, std::uint64_t> window_times(const Track& t, std::size_t begin,
                                                   std::size_t end) {
  LocustTimes times;
  std::uint64_t requests = 0;
  for (auto it = t.interval_times.lower_bound(begin); it != t.interval_times.end() && it->first <= end;
       ++it) {
    times.merge(it->second);
    requests += t.interval_requests.at(it->first);
  }
  return {times, requests};
}

std::vector<std::string> history_row(const results::HistoryPoint& p, const Track& t,
                                     const WindowRates& rates, bool use_current,
                                     std::size_t begin, std::size_t end) {
  const LocustEntry& e = t.cumulative;
  std::int64_t timestamp_s = p.unix_ms / 1000;  // int(time.time())
  if (p.unix_ms < 0 && p.unix_ms % 1000 != 0) --timestamp_s;
  std::vector<std::string> row = {std::to_string(timestamp_s), std::to_string(p.users), e.method,
                                  e.name, fixed(rates.requests_per_s(), 6),
                                  fixed(rates.failures_per_s(), 6)};
  if (use_current) {
    // Locust passes use_current=full_history: with --csv-full-history every row (the
    // Aggregated one included) shows the last-10-s percentiles, otherwise whole-run ones.
    auto [times, requests] = window_times(t, begin, end);
    append(row, e.percentile_cells(times, requests));
  } else {
    append(row, e.percentile_cells());
  }
  append(row, {std::to_string(e.num_requests), std::to_string(e.num_failures), e.median_cell(),
               e.average_cell(), e.min_cell(), e.max_cell(), e.average_content_cell()});
  return row;
}

void add_interval(Track& t, std::size_t index, const results::IntervalEndpoint& interval) {
  t.cumulative.add(interval);
  LocustTimes times;
  times.add(interval.latency);
  t.interval_times[index].merge(times);
  t.interval_requests[index] += interval.requests;
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
      add_interval(it->second, i, interval);
      add_interval(total, i, interval);
    }
    const std::size_t begin = window_begin(history, i);
    if (full_history) {
      for (const auto& [key, track] : endpoints) {
        out += csv_row(history_row(point, track, window_rates(history, begin, i, key), true,
                                   begin, i));
      }
    }
    out += csv_row(history_row(point, total, window_rates(history, begin, i), full_history,
                               begin, i));
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
