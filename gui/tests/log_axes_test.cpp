// The log-scale toggles of the latency distribution charts (Endpoints: percentile curve and
// histogram; Compare: percentile curves), rendered offscreen: the y axis turns logarithmic
// and back, every point is still drawn (0 on the axis' bottom, empty histogram bins on the
// floor below 1 request), and the picture changes.
#include <QtCharts/QAreaSeries>
#include <QtCharts/QLogValueAxis>
#include <gtest/gtest.h>

#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

QAbstractAxis* y_axis(ChartView* view) { return view->chart()->axes(Qt::Vertical).value(0); }

// The first endpoint of `run` whose histogram, as drawn, has an empty bin between its
// first and last (what a linear axis shows as nothing and a log axis must still place).
QString endpoint_with_a_gap(const RunModel& run) {
  for (const QString& key : run.endpoint_keys()) {
    const QList<HistogramBin> bins = latency_bins(run.latency_histogram(key));
    for (const HistogramBin& b : bins) {
      if (b.count == 0) return key;
    }
  }
  return {};
}

TEST(LogAxes, HistogramCountsOnALogAxisKeepEmptyBinsOnTheFloor) {
  const auto run = load(overload_run());
  EndpointsPage page;
  show_run(page, 1300, 900, run);
  QApplication::processEvents();
  const QString key = endpoint_with_a_gap(*run);
  ASSERT_FALSE(key.isEmpty()) << "some endpoint of run-overload has an empty bin";
  page.selectEndpoint(key);
  ChartView* histogram = page.charts()[1];
  // Counts start on a log axis (a tail of a few requests is readable); unchecked, linear.
  ASSERT_TRUE(page.logHistogram()->isChecked());
  page.logHistogram()->setChecked(false);
  EXPECT_NE(qobject_cast<QValueAxis*>(y_axis(histogram)), nullptr);
  EXPECT_EQ(histogram_total(histogram), run->latency_histogram(key).count());
  const QImage linear = settled_grab(histogram);

  page.logHistogram()->setChecked(true);
  auto* log = qobject_cast<QLogValueAxis*>(y_axis(histogram));
  ASSERT_NE(log, nullptr);
  EXPECT_DOUBLE_EQ(log->min(), kLogCountFloor);
  const QList<HistogramBin> bins = latency_bins(run->latency_histogram(key));
  quint64 top = 0;
  for (const HistogramBin& b : bins) top = std::max(top, b.count);
  EXPECT_GT(log->max(), static_cast<double>(top));
  const auto* area = qobject_cast<QAreaSeries*>(histogram->chart()->series().value(0));
  ASSERT_NE(area, nullptr);
  ASSERT_EQ(area->upperSeries()->count(), 4 * bins.size());  // every bin still drawn
  double total = 0;
  int on_floor = 0;
  for (int i = 0; i < area->upperSeries()->count(); ++i) {
    const double y = area->upperSeries()->at(i).y();
    EXPECT_GE(y, kLogCountFloor) << "point " << i;  // nothing at 0, which a log axis cannot place
    if (i % 4 == 1) {
      const quint64 count = bins[i / 4].count;
      EXPECT_DOUBLE_EQ(y, count ? static_cast<double>(count) : kLogCountFloor) << "bin " << i / 4;
      total += count ? y : 0;
      on_floor += count ? 0 : 1;
    }
  }
  EXPECT_GT(on_floor, 0);
  EXPECT_EQ(static_cast<std::uint64_t>(total), run->latency_histogram(key).count());
  // The markers span the log axis too.
  EXPECT_EQ(histogram->markerLabels().size() > 0, true);
  const QImage logged = settled_grab(histogram);
  EXPECT_NE(logged, linear);
  expect_drawn(histogram, QStringLiteral("log-histogram"), 3);

  // Another endpoint keeps the choice; unchecking goes back to a linear axis from 0.
  page.selectEndpoint({});
  EXPECT_NE(qobject_cast<QLogValueAxis*>(y_axis(histogram)), nullptr);
  page.logHistogram()->setChecked(false);
  auto* linear_axis = qobject_cast<QValueAxis*>(y_axis(histogram));
  ASSERT_NE(linear_axis, nullptr);
  EXPECT_DOUBLE_EQ(linear_axis->min(), 0.0);
}

TEST(LogAxes, PercentileCurvesOnALogMsAxis) {
  const auto run = load(overload_run());
  EndpointsPage page;
  show_run(page, 1300, 900, run);
  QApplication::processEvents();
  page.selectEndpoint({});
  ChartView* curve = page.charts()[0];
  ASSERT_FALSE(page.logPercentiles()->isChecked()) << "the x axis already spreads the tail";
  EXPECT_NE(qobject_cast<QValueAxis*>(y_axis(curve)), nullptr);
  const QImage linear = settled_grab(curve);
  page.logPercentiles()->setChecked(true);
  auto* log = qobject_cast<QLogValueAxis*>(y_axis(curve));
  ASSERT_NE(log, nullptr);
  const SeriesData expected = percentile_curve(run->latency_histogram(), {});
  const QLineSeries* line = line_named(curve, QStringLiteral("all endpoints"));
  ASSERT_NE(line, nullptr);
  ASSERT_EQ(line->count(), expected.points.size());
  for (int i = 0; i < line->count(); ++i) {
    EXPECT_GE(line->at(i).y(), log->min()) << i;
    EXPECT_LE(line->at(i).y(), log->max()) << i;
    if (expected.points[i].y() > 0) {
      EXPECT_DOUBLE_EQ(line->at(i).y(), expected.points[i].y()) << i;
    }
  }
  EXPECT_NE(settled_grab(curve), linear);
  expect_drawn(curve, QStringLiteral("log-percentiles"), 3);
  // The histogram's axis is its own choice.
  page.logHistogram()->setChecked(false);
  EXPECT_NE(qobject_cast<QValueAxis*>(y_axis(page.charts()[1])), nullptr);
  page.logPercentiles()->setChecked(false);
  EXPECT_NE(qobject_cast<QValueAxis*>(y_axis(curve)), nullptr);
}

TEST(LogAxes, ComparePercentileCurvesOnALogMsAxis) {
  ComparePage page;
  page.resize(1400, 900);
  page.show();
  page.setRuns({load(hash_run()), load(overload_run())});
  QApplication::processEvents();
  ChartView* curves = page.charts()[2];
  const QStringList names = curves->seriesNames();
  page.logPercentiles()->setChecked(true);
  auto* log = qobject_cast<QLogValueAxis*>(y_axis(curves));
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(curves->seriesNames(), names);
  for (const QString& name : names) {
    const QLineSeries* line = line_named(curves, name);
    ASSERT_NE(line, nullptr);
    for (int i = 0; i < line->count(); ++i) EXPECT_GE(line->at(i).y(), log->min()) << name.toStdString();
  }
  expect_drawn(curves, QStringLiteral("log-compare-percentiles"), 3);
}

}  // namespace
}  // namespace stampede::gui
