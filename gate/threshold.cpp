// The Threshold's own behaviour: comparing a measured value, its metric's name, values and
// limits written in the expression's unit (threshold.h). The grammar is threshold_parser.cpp.
#include "gate/threshold.h"

#include <cstdio>
#include <cstdlib>

#include "gate/threshold_detail.h"

namespace stampede::gate {

namespace detail {

std::string format_number(double v) {
  char buf[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find('e') != std::string::npos) {
    std::snprintf(buf, sizeof buf, "%.6f", v);
    s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string_view prefix_of(LatencyOf of) {
  for (const FigurePrefix& f : kFigures)
    if (f.of == of) return f.name;
  return "";
}

}  // namespace detail

using detail::format_number;
using detail::prefix_of;

std::string_view to_string(Comparison c) {
  switch (c) {
    case Comparison::kLess: return "<";
    case Comparison::kLessEqual: return "<=";
    case Comparison::kGreater: return ">";
    case Comparison::kGreaterEqual: return ">=";
  }
  return "?";
}

bool Threshold::passes(double measured) const {
  switch (comparison) {
    case Comparison::kLess: return measured < limit;
    case Comparison::kLessEqual: return measured <= limit;
    case Comparison::kGreater: return measured > limit;
    case Comparison::kGreaterEqual: return measured >= limit;
  }
  return false;
}

std::string Threshold::metric_name() const {
  switch (metric) {
    case Metric::kPercentile:
    case Metric::kAvg:
    case Metric::kMin:
    case Metric::kMax: break;
    case Metric::kRps: return "rps";
    case Metric::kErrorRate: return "error_rate";
    case Metric::kCount: return "count";
    case Metric::kDropped: return "dropped";
    case Metric::kCacheHitRatio: return "cache_hit_ratio";
    case Metric::kRateLimited: return "rate_limited";
  }
  const std::string_view prefix = prefix_of(of);
  const std::string name = metric == Metric::kPercentile ? "p" + format_number(percentile)
                           : metric == Metric::kAvg      ? "avg"
                           : metric == Metric::kMin      ? "min"
                                                         : "max";
  return prefix.empty() ? name : std::string(prefix) + "." + name;
}

std::string Threshold::format_value(double value) const {
  auto fixed = [](double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return std::string(buf);
  };
  switch (unit) {
    case Unit::kMicroseconds: return fixed(value, 0) + "us";
    // A value too small for the limit's unit drops to a finer one rather than print 0.
    case Unit::kMilliseconds:
      return value > 0 && value < 50 ? fixed(value, 0) + "us" : fixed(value / 1e3, 1) + "ms";
    case Unit::kSeconds:
      return value > 0 && value < 500 ? fixed(value / 1e3, 3) + "ms" : fixed(value / 1e6, 3) + "s";
    case Unit::kPercent: return fixed(value * 100, 2) + "%";
    case Unit::kNone: break;
  }
  if (metric == Metric::kCount || metric == Metric::kDropped || metric == Metric::kRateLimited) return fixed(value, 0);
  if (metric == Metric::kErrorRate || metric == Metric::kCacheHitRatio) return fixed(value, 4);
  return fixed(value, 1);
}

std::string Threshold::format_limit() const {
  std::string v;
  switch (unit) {
    case Unit::kMicroseconds: v = format_number(limit) + "us"; break;
    case Unit::kMilliseconds: v = format_number(limit / 1e3) + "ms"; break;
    case Unit::kSeconds: v = format_number(limit / 1e6) + "s"; break;
    case Unit::kPercent: v = format_number(limit * 100) + "%"; break;
    case Unit::kNone: v = format_number(limit); break;
  }
  return std::string(to_string(comparison)) + " " + v;
}

}  // namespace stampede::gate
