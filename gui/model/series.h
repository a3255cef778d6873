// Plain series data that models hand to views: named lists of (x, y) points, plus the two
// ways a latency histogram is drawn. Qt Core only; no chart types here.
//
// Units: x of time series is seconds since run start; latencies are milliseconds.
#pragma once

#include <QList>
#include <QPointF>
#include <QString>

#include "results/histogram.h"

namespace stampede::gui {

struct SeriesData {
  QString name;
  QList<QPointF> points;
};

// Percentile levels used for a percentile curve: 0, then five per decade of "nines"
// (90, 93.7, 96.0, 97.5, 98.4, 99, ...) up to 99.99 — 21 levels.
QList<double> percentile_levels();

// The HDR-style percentile curve: x = 1 / (1 - p/100) (1 at p=0, 100 at p99; draw on a
// log axis), y = latency at p in ms. One point per level the data resolves (x up to the
// request count N), then the max at x = N when the levels stop short of it: 94 requests
// end at (94, max), not in a flat line out to p99.99. Empty for an empty histogram.
SeriesData percentile_curve(const results::Histogram& latency_us, const QString& name);

// Right end of a log axis for these percentile curves: the next power of ten at or above
// their furthest x (at least 10), so the axis ends on a labelled decade.
double percentile_axis_end(const QList<SeriesData>& curves);

// Maps a percentile (0..100) to the x of percentile_curve and back.
double percentile_to_x(double p);

struct HistogramBin {
  double lo_ms = 0;
  double hi_ms = 0;
  quint64 count = 0;
};

// Re-bins a histogram into at most `bins` log-spaced bins spanning [min, max] (one bin when
// min == max). Counts sum to the histogram's count. Empty histogram → empty list.
QList<HistogramBin> latency_bins(const results::Histogram& latency_us, int bins = 30);

// Log axes have no place for 0. A y range for a log axis over these series' positive
// values: from the power of ten at or below the smallest to the one at or above the largest
// (at least a decade apart); {1, 10} when no value is positive. Points at or below the
// range's bottom are drawn on it (on_log_axis), never dropped.
struct AxisRange {
  double min = 0;
  double max = 0;
};
AxisRange log_axis_range(const QList<SeriesData>& series);
// A histogram's counts on a log axis: an empty bin sits at kLogCountFloor (half a request,
// under the axis' first decade, 1), so a bin of 1 still stands out from the empty ones.
inline constexpr double kLogCountFloor = 0.5;
// {kLogCountFloor, the power of ten above `top_count`} (10 for no counts at all).
AxisRange log_count_range(quint64 top_count);
// `points` with every y below `floor` raised to it.
QList<QPointF> on_log_axis(QList<QPointF> points, double floor);

inline double us_to_ms(std::uint64_t us) { return static_cast<double>(us) / 1000.0; }

}  // namespace stampede::gui
