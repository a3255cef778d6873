// The Endpoints page: the selected endpoint's percentile curve, histogram and latency over
// time.
#include <QToolTip>
#include <QtCharts/QAreaSeries>
#include <gtest/gtest.h>

#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(EndpointsPage, EndpointsDrawsDistributionOfTheSelectedEndpoint) {
  const auto run = load(testing::hash_run());
  EndpointsPage page;
  page.resize(1100, 900);
  page.setRun(run);
  page.show();
  QApplication::processEvents();  // showing may make row 0 current: select after that
  const QString key = QStringLiteral("POST /api/coupon/grab [Hot Room]");
  page.selectEndpoint(key);
  ChartView* curve = page.charts()[0];
  ChartView* histogram = page.charts()[1];
  ChartView* over_time = page.charts()[2];
  EXPECT_EQ(curve->pointCount(key), percentile_curve(run->latency_histogram(key), key).points.size());
  EXPECT_GE(curve->pointCount(key), 5);
  // p50, p95, p99 and the max are marked; equal ones share a marker.
  const results::Histogram& h = run->latency_histogram(key);
  QStringList marks{"p50", "p95", "p99", "max"};
  if (h.value_at_percentile(99) == h.max()) marks = {"p50", "p95", "p99 = max"};
  if (h.value_at_percentile(95) == h.max()) marks = {"p50", "p95 = p99 = max"};
  EXPECT_EQ(histogram->markerLabels(), marks);
  const auto* area = qobject_cast<QAreaSeries*>(histogram->chart()->series().value(0));
  ASSERT_NE(area, nullptr);
  const QList<HistogramBin> bins = latency_bins(run->latency_histogram(key));
  ASSERT_EQ(area->upperSeries()->count(), 4 * bins.size());  // one step per bin
  qreal total = 0;
  for (int i = 1; i < area->upperSeries()->count(); i += 4) total += area->upperSeries()->at(i).y();
  EXPECT_EQ(static_cast<std::uint64_t>(total), run->latency_histogram(key).count());
  EXPECT_EQ(over_time->pointCount(QStringLiteral("p50")), run->latency_series(50, key).points.size());
  expect_drawn(curve, QStringLiteral("endpoints-percentiles"), 3);
  expect_drawn(histogram, QStringLiteral("endpoints-histogram"), 3);
  expect_drawn(over_time, QStringLiteral("endpoints-over-time"));

  // Selecting a table row switches the charts to that endpoint.
  page.table()->selectRow(2);
  EXPECT_EQ(curve->seriesNames().join(QLatin1Char('|')).toStdString(), page.model()->endpointKey(2).toStdString());
}

TEST(EndpointsPage, EndpointsHistogramHoverShowsTheBin) {
  EndpointsPage page;
  page.resize(1200, 800);
  page.show();
  const auto run = load(testing::hash_run());
  page.setRun(run);
  const double median_ms = us_to_ms(run->latency_histogram().value_at_percentile(50));
  const QString tip = page.histogramTipAt(median_ms);
  EXPECT_TRUE(tip.contains(QStringLiteral("requests"))) << tip.toStdString();
  EXPECT_TRUE(page.histogramTipAt(1e9).isEmpty());
  QAreaSeries* area = nullptr;
  for (QAbstractSeries* s : page.charts()[1]->chart()->series()) area = area ? area : qobject_cast<QAreaSeries*>(s);
  ASSERT_NE(area, nullptr);
  emit area->hovered(QPointF(median_ms, 1), true);
  EXPECT_EQ(QToolTip::text(), tip);
  emit area->hovered(QPointF(median_ms, 1), false);
}

// Following a run re-reads its folder every second: the endpoint picked, the zoom and the
// series hidden stay as the user left them; another run starts afresh.
TEST(EndpointsPage, AFollowedRunKeepsTheZoomAndHiddenSeries) {
  EndpointsPage page;
  page.resize(1200, 800);
  page.show();
  page.setRun(load(testing::live_run()));
  QApplication::processEvents();
  page.table()->selectRow(1);
  const QString key = page.model()->endpointKey(1);
  ChartView* over_time = page.charts()[2];
  over_time->chart()->zoom(2.0);
  over_time->setSeriesHidden(QStringLiteral("p99"), true);
  const ChartView::View before = over_time->view();
  ASSERT_TRUE(before.zoomed);

  page.setRun(load(testing::live_run()));  // what the follower does on new lines
  EXPECT_EQ(page.model()->endpointKey(page.table()->currentIndex().row()), key);
  const ChartView::View after = page.charts()[2]->view();
  EXPECT_TRUE(after.zoomed);
  EXPECT_EQ(after.ranges, before.ranges);
  EXPECT_EQ(after.hidden, QStringList{QStringLiteral("p99")});

  page.setRun(load(testing::hash_run()));
  EXPECT_FALSE(page.charts()[2]->view().zoomed);
  EXPECT_TRUE(page.charts()[2]->view().hidden.isEmpty());
}

}  // namespace
}  // namespace stampede::gui
