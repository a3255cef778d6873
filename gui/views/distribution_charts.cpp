#include "gui/views/distribution_charts.h"

#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <algorithm>

#include "gui/views/run_charts.h"

namespace stampede::gui {
namespace {

QLogValueAxis* add_log_axis(ChartView* view, Qt::Alignment alignment, const QString& title) {
  auto* axis = new QLogValueAxis;
  axis->setBase(10);
  axis->setLabelFormat(QStringLiteral("%g"));
  axis->setMinorTickCount(8);
  axis->setTitleText(title);
  view->chart()->addAxis(axis, alignment);
  return axis;
}

}  // namespace

void draw_percentile_curves(ChartView* view, const QList<SeriesData>& curves, bool log_y, const QString& x_title) {
  // x = 1/(1-p) on a log axis, so the tail gets the room it deserves.
  QLogValueAxis* x = add_log_axis(view, Qt::AlignBottom, x_title);
  x->setRange(1, percentile_axis_end(curves));
  QAbstractAxis* y = nullptr;
  if (log_y) {
    const AxisRange range = log_axis_range(curves);
    QLogValueAxis* axis = add_log_axis(view, Qt::AlignLeft, QObject::tr("ms (log)"));
    axis->setRange(range.min, range.max);
    y = axis;
    for (const SeriesData& c : curves) {
      view->addLine({c.name, on_log_axis(c.points, range.min)}, x, y)->setPointsVisible(true);
    }
    return;
  }
  QValueAxis* axis = view->addValueAxis(Qt::AlignLeft, QObject::tr("ms"));
  fit_y_from_zero(axis, curves);
  for (const SeriesData& c : curves) view->addLine(c, x, axis)->setPointsVisible(true);
}

DrawnHistogram draw_histogram(ChartView* view, const results::Histogram& hist, const QString& name, bool log_y) {
  DrawnHistogram drawn;
  drawn.bins = latency_bins(hist);
  quint64 top = 0;
  for (const HistogramBin& b : drawn.bins) top = std::max(top, b.count);
  // Steps over the bins: bar widths match the log-spaced bins. On a log axis an empty bin
  // (and the foot of every bar) stands on the floor, where 0 cannot be drawn.
  const double floor = log_y ? kLogCountFloor : 0.0;
  const auto count = [floor](quint64 n) { return std::max(floor, static_cast<double>(n)); };
  auto* upper = new QLineSeries;
  auto* lower = new QLineSeries;
  for (const HistogramBin& b : drawn.bins) {
    upper->append(b.lo_ms, floor);
    upper->append(b.lo_ms, count(b.count));
    upper->append(b.hi_ms, count(b.count));
    upper->append(b.hi_ms, floor);
  }
  if (!drawn.bins.isEmpty()) {
    lower->append(drawn.bins.front().lo_ms, floor);
    lower->append(drawn.bins.back().hi_ms, floor);
  }
  auto* area = new QAreaSeries(upper, lower);
  // QAreaSeries does not own its boundary series; tie their lifetime to it.
  upper->setParent(area);
  lower->setParent(area);
  area->setName(name);
  view->chart()->addSeries(area);
  drawn.area = area;

  QLogValueAxis* x = add_log_axis(view, Qt::AlignBottom, QObject::tr("ms"));
  if (!drawn.bins.isEmpty()) {
    x->setRange(drawn.bins.front().lo_ms, std::max(drawn.bins.back().hi_ms, drawn.bins.front().lo_ms * 1.01));
  }
  area->attachAxis(x);
  QAbstractAxis* y = nullptr;
  if (log_y) {
    const AxisRange range = log_count_range(top);
    QLogValueAxis* axis = add_log_axis(view, Qt::AlignLeft, QObject::tr("count"));
    axis->setRange(range.min, range.max);
    y = axis;
  } else {
    QValueAxis* axis = view->addValueAxis(Qt::AlignLeft, QObject::tr("count"));
    axis->setRange(0, top > 0 ? static_cast<double>(top) * 1.1 : 1.0);
    axis->applyNiceNumbers();
    y = axis;
  }
  area->attachAxis(y);
  // Where p50, p95, p99 and the max fall: a tail of a few slow requests is too short a bar
  // to see on a linear count axis, but its marker is not.
  if (hist.empty()) return drawn;
  QList<double> xs;
  QStringList names;
  const auto mark = [&](std::uint64_t us, const QString& label) {
    if (!xs.isEmpty() && xs.back() == us_to_ms(us)) {  // p99 = max with few requests
      names.back() += QStringLiteral(" = ") + label;
      return;
    }
    xs.append(us_to_ms(us));
    names.append(label);
  };
  for (double p : {50.0, 95.0, 99.0}) mark(hist.value_at_percentile(p), QStringLiteral("p%1").arg(p));
  mark(hist.max(), QObject::tr("max"));
  view->addMarkers(xs, x, y, names);
  return drawn;
}

}  // namespace stampede::gui
