// What the threshold parser (threshold_parser.cpp) and the Threshold's own formatting
// (threshold.cpp) share: the shortest decimal of a number, and the prefixes of a latency
// metric. Internal to the gate.
#pragma once

#include <string>
#include <string_view>

#include "gate/threshold.h"

namespace stampede::gate::detail {

// Shortest decimal that reads back the same, without exponent for usual magnitudes.
std::string format_number(double v);

// The prefixes of a latency metric and the histogram each reads.
struct FigurePrefix {
  std::string_view name;
  LatencyOf of;
};
inline constexpr FigurePrefix kFigures[] = {{"service", LatencyOf::kService},
                                            {"connect", LatencyOf::kConnect},
                                            {"tls", LatencyOf::kTls},
                                            {"ttfb", LatencyOf::kTtfb}};

// "service" for LatencyOf::kService ...; "" for kLatency.
std::string_view prefix_of(LatencyOf of);

}  // namespace stampede::gate::detail
