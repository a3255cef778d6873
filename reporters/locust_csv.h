// Locust-compatible CSV output: the four files `locust --csv <prefix>` writes, with the
// headers, columns, quoting (csv.writer, "\r\n" line ends), number formats and row order of
// Locust 2.12.1 (python3-locust in Debian 12). See reporters/README.md for each column
// and where our value comes from; the captured real-Locust files are in
// reporters/tests/fixtures/locust-2.12.1/.
//
//   <prefix>_stats.csv          one row per (method, name), sorted by (name, method), then
//                               the Aggregated row; whole-run figures.
//   <prefix>_stats_history.csv  one row per HistoryPoint (Aggregated only), or with
//                               full_history every endpoint seen so far and then Aggregated.
//   <prefix>_failures.csv       Method,Name,Error,Occurrences.
//   <prefix>_exceptions.csv     the header only (we never record Python exceptions).
//
// The open model (docs/open-model.md): the headers stay Locust's; the response-time columns
// are EndpointStats::latency, which there is measured from each request's intended start.
// The service time and the dropped arrivals have no Locust column (they are in the result
// folder); an endpoint that only dropped arrivals is a row with 0 requests.
//
// Rate limited (results/README.md): Locust counts an HTTP 429 as a failure, so here it is
// one: in Failure Count and Failures/s (failures + rate_limited), and a failures row
// "HTTP 429" per endpoint with its rate_limited count. Stampede's own figures (stats.json,
// console, gate) keep 429s apart from failures.
//
// The *_csv functions are pure formatters. write_locust_csv writes each file atomically
// (results::write_file_atomically) and throws std::runtime_error naming the path on failure.
// Thread-safety: the functions share no state; a LocustHistoryCsv belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "results/run_result.h"

namespace stampede::reporters {

struct LocustCsvOptions {
  bool full_history = false;  // Locust's --csv-full-history
};

std::string locust_stats_csv(const results::RunResult& result);
std::string locust_stats_history_csv(const results::RunResult& result, bool full_history);
std::string locust_failures_csv(const results::RunResult& result);
std::string locust_exceptions_csv(const results::RunResult& result);

void write_locust_csv(const std::string& prefix, const results::RunResult& result,
                      const LocustCsvOptions& options = {});

// _stats_history.csv row by row, as a run goes (Locust appends it every second too): keeps
// only the running totals and the last ~10 s window, so memory does not grow with the run.
// add() returns the rows for one more point; the header comes first, from
// locust_stats_history_header(). locust_stats_history_csv() is header + add() per point.
std::string locust_stats_history_header();
// Locust's first history row, written when the run starts (0 users, N/A percentiles);
// locust_stats_history_csv() includes it for a result that knows its start time.
std::string locust_stats_history_start_row(std::int64_t started_unix_ms);

class LocustHistoryCsv {
 public:
  explicit LocustHistoryCsv(bool full_history);
  ~LocustHistoryCsv();
  LocustHistoryCsv(const LocustHistoryCsv&) = delete;
  LocustHistoryCsv& operator=(const LocustHistoryCsv&) = delete;

  std::string add(const results::HistoryPoint& point);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The other three files (_stats, _failures, _exceptions), each atomically: the end of a
// run whose history file was written with LocustHistoryCsv.
void write_locust_final_csv(const std::string& prefix, const results::RunResult& result);

}  // namespace stampede::reporters
