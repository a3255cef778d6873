// A horizontal grouped bar chart as inline SVG: one group per row label (an endpoint, a
// shard, a metric), one bar per series (a run) in the series' colour, a legend, a value
// at the end of each bar and a native <title> tooltip on each bar (no JavaScript).
// Absent values show "no data" instead of a bar. Every text is HTML-escaped.
// Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stampede::reporters {

struct BarSeries {
  std::string label;                         // legend text, e.g. the run label
  std::string colour;                        // CSS colour, e.g. "#1f77b4"
  std::vector<std::optional<double>> values; // one per group; nullopt = no data
};

struct BarChart {
  std::string title;
  std::string unit;                          // after each value: "ms", "%", "" ...
  int decimals = 1;
  std::vector<std::string> groups;
  std::vector<BarSeries> series;
  std::optional<double> reference;           // a dashed vertical line (e.g. the even share 1/N)
  std::string reference_label;
  std::optional<double> axis_max;            // fixed axis end (e.g. 100 for scores); else a rounded maximum
};

inline constexpr int kChartWidth = 960;

std::string render_bar_chart_svg(const BarChart& chart);

// A "nice" axis end >= v: 1, 2, 2.5 or 5 times a power of ten (1 for v <= 0).
double nice_ceiling(double v);

}  // namespace stampede::reporters
