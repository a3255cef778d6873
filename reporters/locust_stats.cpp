#include "reporters/locust_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "reporters/python_format.h"

namespace stampede::reporters {

namespace {

constexpr double kUsPerMs = 1000.0;

double to_ms(std::uint64_t us) { return static_cast<double>(us) / kUsPerMs; }

// StatsEntry._log_response_time's rounding. Python's round() is round-half-even, which is
// what nearbyint does in the default rounding mode.
PyNumber locust_round(double ms) {
  if (ms < 100) return {std::nearbyint(ms), true};
  if (ms < 1000) return {std::nearbyint(ms / 10) * 10, false};
  if (ms < 10000) return {std::nearbyint(ms / 100) * 100, false};
  return {std::nearbyint(ms / 1000) * 1000, false};
}

}  // namespace

std::string PyNumber::str() const {
  if (!is_int) return py_float_repr(value);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", value);
  return buf;
}

void LocustTimes::add_ms(double ms, std::uint64_t count) {
  if (count == 0) return;
  const PyNumber key = locust_round(ms);
  auto [it, inserted] = counts_.try_emplace(key.value, Key{0, key.is_int});
  it->second.count += count;
}

void LocustTimes::add(const results::Histogram& latency_us) {
  latency_us.for_each_bucket([this](std::uint64_t lo, std::uint64_t hi, std::uint64_t count) {
    add_ms((static_cast<double>(lo) + static_cast<double>(hi)) / 2 / kUsPerMs, count);
  });
}

void LocustTimes::merge(const LocustTimes& other) {
  for (const auto& [key, k] : other.counts_) {
    auto [it, inserted] = counts_.try_emplace(key, Key{0, k.is_int});
    it->second.count += k.count;
  }
}

LocustTimes LocustTimes::minus(const LocustTimes& older) const {
  LocustTimes out = *this;
  out.subtract(older);
  return out;
}

void LocustTimes::subtract(const LocustTimes& part) {
  for (const auto& [key, k] : part.counts_) {
    auto it = counts_.find(key);
    if (it == counts_.end()) continue;
    if (it->second.count > k.count) {
      it->second.count -= k.count;
    } else {
      counts_.erase(it);
    }
  }
}

PyNumber LocustTimes::percentile(std::uint64_t num_requests, double percent) const {
  // num_of_request = int(num_requests * percent), then walk from the slowest key down.
  const auto n = static_cast<std::int64_t>(num_requests);
  const auto wanted = static_cast<std::int64_t>(static_cast<double>(num_requests) * percent);
  std::int64_t processed = 0;
  for (auto it = counts_.rbegin(); it != counts_.rend(); ++it) {
    processed += static_cast<std::int64_t>(it->second.count);
    if (n - processed <= wanted) return {it->first, it->second.is_int};
  }
  return {0, true};
}

PyNumber LocustTimes::median(std::uint64_t total) const {
  if (counts_.empty()) return {0, true};
  double pos = (static_cast<double>(total) - 1) / 2;
  for (const auto& [key, k] : counts_) {
    if (pos < static_cast<double>(k.count)) return {key, k.is_int};
    pos -= static_cast<double>(k.count);
  }
  const auto& last = *counts_.rbegin();
  return {last.first, last.second.is_int};
}

LocustEntry LocustEntry::from(const results::EndpointStats& stats) {
  LocustEntry e;
  e.method = stats.method;
  e.name = stats.name;
  e.num_requests = stats.requests;
  e.num_failures = stats.failures + stats.rate_limited;  // Locust fails a 429 (locust_csv.h)
  e.total_content_length = stats.content_bytes;
  e.add_extremes(stats.latency);
  e.response_times.add(stats.latency);
  return e;
}

void LocustEntry::add(const results::IntervalEndpoint& interval) {
  add_counters(interval);
  response_times.add(interval.latency);
}

void LocustEntry::add(const results::IntervalEndpoint& interval, const LocustTimes& times) {
  add_counters(interval);
  response_times.merge(times);
}

void LocustEntry::add_counters(const results::IntervalEndpoint& interval) {
  num_requests += interval.requests;
  num_failures += interval.failures + interval.rate_limited;
  total_content_length += interval.content_bytes;
  add_extremes(interval.latency);
}

void LocustEntry::add_extremes(const results::Histogram& latency_us) {
  if (latency_us.empty()) return;
  min_response_time_us =
      latency_samples == 0 ? latency_us.min() : std::min(min_response_time_us, latency_us.min());
  max_response_time_us = std::max(max_response_time_us, latency_us.max());
  latency_samples += latency_us.count();
  total_response_time_us += latency_us.sum();
}

std::string LocustEntry::median_cell() const {
  // StatsEntry.median_response_time: 0 without data, else clamped to [min, max].
  if (response_times.empty()) return "0";
  PyNumber median = response_times.median(latency_samples);
  const double max_ms = to_ms(max_response_time_us);
  const double min_ms = to_ms(min_response_time_us);
  if (median.value > max_ms) {
    median = {max_ms, max_response_time_us == 0};
  } else if (median.value < min_ms) {
    median = {min_ms, false};
  }
  return median.str();
}

std::string LocustEntry::average_cell() const {
  if (latency_samples == 0) return "0.0";
  return py_float_repr(to_ms(total_response_time_us) / static_cast<double>(latency_samples));
}

std::string LocustEntry::min_cell() const {
  // "min_response_time or 0": None and 0.0 both print as the int 0.
  if (latency_samples == 0 || min_response_time_us == 0) return "0";
  return py_float_repr(to_ms(min_response_time_us));
}

std::string LocustEntry::max_cell() const {
  if (max_response_time_us == 0) return "0";  // still the int it was initialised with
  return py_float_repr(to_ms(max_response_time_us));
}

std::string LocustEntry::average_content_cell() const {
  if (num_requests == 0) return "0";  // ZeroDivisionError -> int 0
  return py_float_repr(static_cast<double>(total_content_length) /
                       static_cast<double>(num_requests));
}

std::vector<std::string> LocustEntry::percentile_cells() const {
  return percentile_cells(response_times, num_requests);
}

std::vector<std::string> LocustEntry::percentile_cells(const LocustTimes& window,
                                                       std::uint64_t window_requests) const {
  std::vector<std::string> cells;
  for (double p : kLocustPercentiles) {
    if (num_requests == 0) {
      cells.emplace_back("N/A");
    } else {
      // int(value or 0): floats are truncated to their integer part.
      const double v = window.percentile(window_requests, p).value;
      cells.push_back(PyNumber{std::trunc(v), true}.str());
    }
  }
  return cells;
}

bool locust_order(const LocustEntry& a, const LocustEntry& b) {
  return std::tie(a.name, a.method) < std::tie(b.name, b.method);
}

}  // namespace stampede::reporters
