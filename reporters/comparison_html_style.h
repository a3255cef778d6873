// The comparison page's look: one colour per run (the same in every chart and legend) and
// the inline stylesheet. Kept apart so tests can find the run colours in a screenshot.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace stampede::reporters {

// Run i's colour as "#rrggbb"; the palette repeats after 8 runs.
std::string run_colour(std::size_t run_index);
inline constexpr std::size_t kRunColourCount = 8;

inline constexpr std::string_view kComparisonCss = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2430;
       background: #ffffff; margin: 0 auto; padding: 16px 24px 48px; max-width: 1060px; line-height: 1.45; }
h1 { font-size: 1.6em; margin: 0.4em 0 0.2em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; padding-bottom: 4px; border-bottom: 2px solid #d8dde6; }
h3 { font-size: 1.0em; margin: 1.0em 0 0.3em; }
nav a { margin-right: 12px; color: #2a5db0; text-decoration: none; font-size: 0.92em; }
.runs-legend { font-size: 1.05em; }
.swatch { display: inline-block; width: 14px; height: 14px; margin: 0 6px 0 10px; vertical-align: -2px; border-radius: 2px; }
.warning { background: #fff4ce; border-left: 4px solid #b58900; padding: 6px 10px; margin: 6px 0; }
li.met::marker, li.met { color: #1a6e2e; }
li.not-met, li.not-met::marker { color: #a3261b; font-weight: 600; }
li.not-checked { color: #6b7280; }
.note { color: #4b5563; font-size: 0.9em; }
figure { margin: 14px 0; overflow-x: auto; }
svg.chart { max-width: 100%; height: auto; font-size: 13px; }
svg .chart-title { font-weight: 600; font-size: 15px; fill: #1d2430; }
svg .legend, svg .group { fill: #1d2430; }
svg .value, svg .tick { fill: #4b5563; font-size: 12px; }
svg .nodata { fill: #9ca3af; font-style: italic; font-size: 12px; }
svg .grid { stroke: #e5e7eb; stroke-width: 1; }
svg .reference { stroke: #111827; stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .reference-label { fill: #111827; font-size: 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 0.88em; }
th, td { border: 1px solid #d8dde6; padding: 3px 8px; text-align: left; white-space: nowrap; }
th { background: #f3f5f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 2em; color: #6b7280; font-size: 0.85em; }
)css";

}  // namespace stampede::reporters
