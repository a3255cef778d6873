// The "current" figures of a run: what happened in the last kCurrentWindowS seconds of
// history, the way Locust's current_rps / current_fail_per_sec and its current response
// time percentiles look back about 10 seconds.
//
// Locust averages whole seconds in [last-12, last-2) because its newest per-second buckets
// are still filling; our history points are closed intervals, so the window is simply the
// points whose end lies in (end - window, end], and rates divide by the seconds those
// points cover.
//
// Pure functions over the given history, no I/O, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reporters/locust_stats.h"
#include "results/run_result.h"

namespace stampede::reporters {

// (name, method): Locust's key order for statistics rows.
struct EndpointKey {
  std::string name;
  std::string method;
  friend auto operator<=>(const EndpointKey&, const EndpointKey&) = default;
};

struct WindowRates {
  double seconds = 0;  // sum of the interval_s of the points in the window
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t rate_limited = 0;  // HTTP 429 answers (not failures)
  double requests_per_s() const { return seconds > 0 ? requests / seconds : 0.0; }
  double failures_per_s() const { return seconds > 0 ? failures / seconds : 0.0; }
  // Locust's failures/s: a 429 is an HTTP error there (locust_csv.h).
  double locust_failures_per_s() const { return seconds > 0 ? (failures + rate_limited) / seconds : 0.0; }
};

// Index of the first point of the window that ends at point `end` (end < history.size()).
std::size_t window_begin(const std::vector<results::HistoryPoint>& history, std::size_t end,
                         double window_s = kCurrentWindowS);

// Requests and failures over points [begin, end], for one endpoint, or for all of them
// when `only` is empty. An empty history gives zeros.
WindowRates window_rates(const std::vector<results::HistoryPoint>& history, std::size_t begin,
                         std::size_t end, const std::optional<EndpointKey>& only = std::nullopt);

// The current rates at the end of the history (the live table's req/s and failures/s).
WindowRates current_rates(const std::vector<results::HistoryPoint>& history,
                          const std::optional<EndpointKey>& only = std::nullopt);

}  // namespace stampede::reporters
