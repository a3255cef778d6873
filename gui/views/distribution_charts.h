// How a latency distribution is drawn on a ChartView (the Endpoints page; Compare's
// percentile chart): percentile curves on a log 1/(1-p) axis, and a histogram as steps over
// log-spaced bins on a log ms axis with p50/p95/p99/max marked. Either y axis is linear from
// 0 or logarithmic (`log_y`): a log axis shows a tail of a few slow requests, or a latency
// spread over decades, that a linear one flattens; values it cannot show (0) are drawn at
// its bottom (series.h: log_axis_range, kLogCountFloor), never left out.
#pragma once

#include <QtCharts/QAreaSeries>

#include "gui/model/series.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

// Adds `curves` (percentile_curve) with points: x from 1 to percentile_axis_end, y in ms.
// Call on a cleared chart; finishChart() is left to the caller.
void draw_percentile_curves(ChartView* view, const QList<SeriesData>& curves, bool log_y, const QString& x_title);

struct DrawnHistogram {
  QAreaSeries* area = nullptr;  // named `name` (without points for an empty histogram)
  QList<HistogramBin> bins;     // as drawn (latency_bins)
};
// Adds `latency_us` re-binned (latency_bins) as one area series named `name`, y = requests
// per bin, with dashed markers at p50, p95, p99 and the max (merged when equal: "p99 = max").
// Call on a cleared chart; finishChart() is left to the caller.
DrawnHistogram draw_histogram(ChartView* view, const results::Histogram& latency_us, const QString& name, bool log_y);

}  // namespace stampede::gui
