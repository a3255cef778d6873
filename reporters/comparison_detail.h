// Internal to the comparison report: the steps of build_comparison that live in their own
// files. Not part of the library's public API.
#pragma once

#include "reporters/comparison.h"

namespace stampede::reporters::detail {

// Endpoint p95 ratios below this are not worth a sentence in the reading.
inline constexpr double kNotableRatio = 1.25;
// kMinRequestsForReading and kNotableSkewPoints: comparison.h.

// Fills Comparison::reading from the numbers already in the model.
void add_reading(Comparison& c);

}  // namespace stampede::reporters::detail
