#include "reporters/history_window.h"

namespace stampede::reporters {

namespace {
// Elapsed times are doubles that went through JSON; don't let 10.000000001 vs 10 decide.
constexpr double kEpsilonS = 1e-6;
}  // namespace

std::size_t window_begin(const std::vector<results::HistoryPoint>& history, std::size_t end,
                         double window_s) {
  const double start = history[end].elapsed_s - window_s + kEpsilonS;
  std::size_t begin = end;
  while (begin > 0 && history[begin - 1].elapsed_s > start) --begin;
  return begin;
}

WindowRates window_rates(const std::vector<results::HistoryPoint>& history, std::size_t begin,
                         std::size_t end, const std::optional<EndpointKey>& only) {
  WindowRates rates;
  for (std::size_t i = begin; i <= end && i < history.size(); ++i) {
    rates.seconds += history[i].interval_s;
    for (const auto& e : history[i].endpoints) {
      if (only && (e.name != only->name || e.method != only->method)) continue;
      rates.requests += e.requests;
      rates.failures += e.failures;
      rates.rate_limited += e.rate_limited;
    }
  }
  return rates;
}

WindowRates current_rates(const std::vector<results::HistoryPoint>& history,
                          const std::optional<EndpointKey>& only) {
  if (history.empty()) return {};
  const std::size_t end = history.size() - 1;
  return window_rates(history, window_begin(history, end), end, only);
}

}  // namespace stampede::reporters
