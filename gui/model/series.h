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

inline double us_to_ms(std::uint64_t us) { return static_cast<double>(us) / 1000.0; }

}  // namespace stampede::gui
