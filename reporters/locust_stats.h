// LocustEntry: one statistics row seen through Locust 2.12.1's eyes (locust/stats.py
// StatsEntry), so that CSV numbers are computed with Locust's own rules:
//
//  * response times are milliseconds (we hold microseconds);
//  * the percentile/median dict keeps response times rounded like Locust does: < 100 ms to
//    1 ms, < 1 s to 10 ms, < 10 s to 100 ms, above to 1 s ("147 becomes 150");
//  * the median is taken from that dict and clamped to [min, max]; percentiles are not;
//  * values keep Python's types (an int key below 100 ms, a float key above, float
//    averages), which decides whether Locust prints "3" or "150.0".
//
// Our histograms have buckets at most v/1024 wide; each bucket is fed to the rounded dict
// at its midpoint (exact below 2048 µs), so the rounding step dominates the error.
//
// Pure value types, no I/O; not thread-safe (use one per thread).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "results/histogram.h"
#include "results/run_result.h"

namespace stampede::reporters {

// Locust's PERCENTILES_TO_REPORT and their column titles (get_readable_percentiles).
inline constexpr double kLocustPercentiles[] = {0.50, 0.66, 0.75, 0.80, 0.90, 0.95,
                                                0.98, 0.99, 0.999, 0.9999, 1.0};
inline constexpr const char* kLocustPercentileTitles[] = {
    "50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"};
// Locust's CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW: "current" figures cover the last 10 s.
inline constexpr double kCurrentWindowS = 10.0;

// A Python number as Locust would hold it: an int or a float. Formats like str()/repr().
struct PyNumber {
  double value = 0;
  bool is_int = true;
  std::string str() const;
};

// Locust's StatsEntry.response_times: {rounded ms -> count}.
class LocustTimes {
 public:
  void add_ms(double ms, std::uint64_t count = 1);
  void add(const results::Histogram& latency_us);  // every bucket at its midpoint
  void merge(const LocustTimes& other);
  // this - older, dropping zero counts (Locust's diff_response_time_dicts).
  LocustTimes minus(const LocustTimes& older) const;
  // In place: removes counts that `part` (previously merged in) holds.
  void subtract(const LocustTimes& part);

  bool empty() const { return counts_.empty(); }
  // calculate_response_time_percentile: percent in 0..1; 0 when empty.
  PyNumber percentile(std::uint64_t num_requests, double percent) const;
  // median_from_dict (before the clamp); 0 when empty.
  PyNumber median(std::uint64_t total) const;

 private:
  struct Key {
    std::uint64_t count = 0;
    bool is_int = true;  // the type of the first value that landed on this key
  };
  std::map<double, Key> counts_;
};

// One row's accumulated state, mirroring StatsEntry's fields.
struct LocustEntry {
  std::string method;
  std::string name;
  std::uint64_t num_requests = 0;
  std::uint64_t num_failures = 0;
  std::uint64_t total_content_length = 0;  // bytes
  std::uint64_t latency_samples = 0;       // requests with a response time
  std::uint64_t total_response_time_us = 0;
  std::uint64_t min_response_time_us = 0;  // valid when latency_samples > 0
  std::uint64_t max_response_time_us = 0;
  LocustTimes response_times;

  static LocustEntry from(const results::EndpointStats& stats);
  void add(const results::IntervalEndpoint& interval);  // extend() with one interval
  // Same, when the caller already converted interval.latency into `times`.
  void add(const results::IntervalEndpoint& interval, const LocustTimes& times);

  // The CSV cells, formatted as Locust writes them.
  std::string median_cell() const;           // median_response_time
  std::string average_cell() const;          // avg_response_time (always a float)
  std::string min_cell() const;              // min_response_time or 0
  std::string max_cell() const;              // max_response_time
  std::string average_content_cell() const;  // avg_content_length
  // _percentile_fields: "N/A" x 11 without requests, else int() of each percentile.
  std::vector<std::string> percentile_cells() const;
  // Same, but over `window` (the "current" response times); "N/A" when num_requests == 0.
  std::vector<std::string> percentile_cells(const LocustTimes& window,
                                            std::uint64_t window_requests) const;

 private:
  void add_counters(const results::IntervalEndpoint& interval);
  void add_extremes(const results::Histogram& latency_us);
};

// The Locust key for a (method, name) row: entries are sorted by (name, method).
bool locust_order(const LocustEntry& a, const LocustEntry& b);

}  // namespace stampede::reporters
