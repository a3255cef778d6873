// stats_entry: one (method, name)'s statistics as a Locust 2.x worker reports them to its
// master: the StatsEntry dict of Locust's stats.py, a delta since the last report.
//
// Units are Locust's: response times in milliseconds (real numbers, as HttpUser logs
// them), timestamps in Unix seconds. The response-time distribution is Locust's, not ours:
// each time is rounded into a bucket as StatsEntry._log_response_time does (whole ms below
// 100 ms, 10 ms steps below 1 s, 100 ms steps below 10 s, whole seconds above; Python's
// round(), halves to even), so the master's percentiles are what Python workers would give.
// Our own exact histograms stay in the worker's result folder.
//
// Thread-safety: a value type; one owner.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace stampede::locust {

// The bucket Locust files a response time under (milliseconds in, milliseconds out).
std::int64_t locust_bucket_ms(double response_time_ms);

struct StatsEntry {
  std::string name;
  std::string method;
  std::optional<double> last_request_timestamp;  // Unix s; none before the first request
  double start_time = 0;                         // Unix s, when this delta began
  std::uint64_t num_requests = 0;                // successes and failures
  std::uint64_t num_none_requests = 0;           // requests logged without a time (never by us)
  std::uint64_t num_failures = 0;
  double total_response_time = 0;                // ms, summed
  double max_response_time = 0;                  // ms
  std::optional<double> min_response_time;       // ms; none before the first request
  std::uint64_t total_content_length = 0;        // bytes
  std::map<std::int64_t, std::uint64_t> response_times;    // bucket ms -> count
  std::map<std::int64_t, std::uint64_t> num_reqs_per_sec;  // Unix second -> requests
  std::map<std::int64_t, std::uint64_t> num_fail_per_sec;  // Unix second -> failures

  // `count` requests of one response time that completed at `unix_s`, with
  // `content_length` bytes of response bodies between them.
  void log(double response_time_ms, std::uint64_t content_length, double unix_s, std::uint64_t count = 1);
  // `count` of those requests failed (call beside log(), as Locust's log_error).
  void log_error(double unix_s, std::uint64_t count = 1);
  // Adds another delta of the same entry, as the master's StatsEntry.extend does.
  void extend(const StatsEntry& other);
  bool empty() const { return num_requests == 0 && num_failures == 0; }
};

// One row of Locust's failures table, keyed in a report by error_key().
struct StatsErrorEntry {
  std::string method;
  std::string name;
  std::string error;
  std::uint64_t occurrences = 0;
};

// A key stable per (method, name, error) across workers and runs: the SHA-256 hex digest
// of "METHOD.name.error", shaped like Locust's StatsError.create_key (which hashes Python
// reprs; the master only compares keys, so two stampede workers' same error is one row).
std::string error_key(const std::string& method, const std::string& name, const std::string& error);

}  // namespace stampede::locust
