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
// log axis), y = latency at p in ms. One point per level; empty for an empty histogram.
SeriesData percentile_curve(const results::Histogram& latency_us, const QString& name);

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
