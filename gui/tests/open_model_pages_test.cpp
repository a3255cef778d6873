// An open-model run on the pages, rendered offscreen: the service time beside the latency
// from the intended start (table columns, percentile curves, histogram picker, dashed lines
// over time), dropped/s beside failures/s, the run summary on Overview; a closed-model run
// looks as before (no open-model columns, one curve, no summary).
#include <QHeaderView>
#include <QtCharts/QAreaSeries>
#include <gtest/gtest.h>

#include "gui/model/run_summary.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(OpenModelPages, EndpointsShowServiceTimeBesideTheLatencyFromTheIntendedStart) {
  const auto run = load(open_run());
  EndpointsPage page;
  show_run(page, 1400, 950, run);
  QApplication::processEvents();
  page.selectEndpoint({});
  // Every open-model column shown; the rest as the run has them (no 429s, skips or cookies).
  for (int col = 0; col < EndpointTableModel::ColumnCount; ++col) {
    EXPECT_EQ(page.table()->isColumnHidden(col), !page.model()->columnShown(col)) << col;
    if (EndpointTableModel::isOpenModelColumn(col)) {
      EXPECT_FALSE(page.table()->isColumnHidden(col)) << col;
    }
  }
  EXPECT_TRUE(page.openModelNote()->isVisible());
  EXPECT_TRUE(page.openModelNote()->text().contains(QStringLiteral("intended start")));
  EXPECT_TRUE(page.histogramOf()->isVisible());

  ChartView* curve = page.charts()[0];
  ChartView* histogram = page.charts()[1];
  ChartView* over_time = page.charts()[2];
  const QString latency = QStringLiteral("latency (from intended start)"), service = QStringLiteral("service time");
  EXPECT_EQ(curve->seriesNames(), (QStringList{latency, service}));
  EXPECT_EQ(curve->pointCount(latency), percentile_curve(run->latency_histogram(), {}).points.size());
  EXPECT_EQ(curve->pointCount(service), percentile_curve(run->service_histogram(), {}).points.size());
  // The histogram shows the latency, or the service time once picked.
  EXPECT_TRUE(histogram->chart()->title().contains(QStringLiteral("from intended start")));
  EXPECT_EQ(histogram_total(histogram), run->latency_histogram().count());
  const QImage latency_picture = histogram->grab().toImage();
  page.histogramOf()->setCurrentIndex(EndpointsPage::ServiceHistogram);
  EXPECT_TRUE(histogram->chart()->title().contains(QStringLiteral("Service time")));
  EXPECT_EQ(histogram_total(histogram), run->service_histogram().count());
  QApplication::processEvents();
  EXPECT_NE(histogram->grab().toImage(), latency_picture);
  // Over time: p50/p95/p99 of both, the service lines dashed in their latency line's colour.
  EXPECT_EQ(over_time->seriesNames(),
            (QStringList{"p50", "p95", "p99", "p50 service", "p95 service", "p99 service"}));
  EXPECT_EQ(over_time->pointCount(QStringLiteral("p95 service")), run->service_series(95).points.size());
  const QLineSeries* p95 = line_named(over_time, QStringLiteral("p95"));
  const QLineSeries* p95_service = line_named(over_time, QStringLiteral("p95 service"));
  ASSERT_TRUE(p95 && p95_service);
  EXPECT_EQ(p95_service->pen().style(), Qt::DashLine);
  EXPECT_EQ(p95_service->color(), p95->color());
  EXPECT_TRUE(over_time->chart()->title().contains(QStringLiteral("service time (dashed)")));
  expect_drawn(curve, QStringLiteral("open-endpoints-percentiles"), 3);
  expect_drawn(histogram, QStringLiteral("open-endpoints-histogram"), 3);
  expect_drawn(over_time, QStringLiteral("open-endpoints-over-time"));
  page.grab().save(screenshot_dir() + QStringLiteral("/open-endpoints-page.png"));

  // A closed-model run: the table and charts as before.
  page.setRun(load(hash_run()));
  QApplication::processEvents();
  for (int col = 0; col < EndpointTableModel::ColumnCount; ++col) {
    EXPECT_EQ(page.table()->isColumnHidden(col), !page.model()->columnShown(col)) << col;
    if (EndpointTableModel::isOpenModelColumn(col)) {
      EXPECT_TRUE(page.table()->isColumnHidden(col)) << col;
    }
  }
  EXPECT_FALSE(page.openModelNote()->isVisible());
  EXPECT_FALSE(page.histogramOf()->isVisible());
  EXPECT_EQ(curve->seriesNames(), QStringList{QStringLiteral("all endpoints")});
  EXPECT_EQ(over_time->seriesNames(), (QStringList{"p50", "p95", "p99"}));
  EXPECT_EQ(histogram->chart()->title(), QStringLiteral("coupon-hash: Latency histogram"));
  EXPECT_EQ(histogram_total(histogram), load(hash_run())->latency_histogram().count());
}

TEST(OpenModelPages, OverviewShowsDroppedArrivalsAndTheRunSummary) {
  const auto run = load(open_run());
  OverviewPage page;
  show_run(page, 1200, 800, run);
  QApplication::processEvents();
  ChartView* throughput = page.charts()[0];
  ChartView* latency = page.charts()[1];
  const auto lines = static_cast<int>(run->result().history.size());
  EXPECT_EQ(throughput->seriesNames(), (QStringList{"req/s", "failures/s", "dropped/s", "users"}));
  EXPECT_EQ(throughput->pointCount(QStringLiteral("dropped/s")), lines);
  EXPECT_EQ(latency->seriesNames(), (QStringList{"p50", "p95", "p99", "p50 service", "p95 service", "p99 service"}));
  EXPECT_EQ(latency->pointCount(QStringLiteral("p99 service")), run->service_series(99).points.size());
  EXPECT_TRUE(latency->chart()->title().contains(QStringLiteral("from intended start (solid), service time (dashed)")));
  EXPECT_TRUE(page.summary()->isVisible());
  EXPECT_EQ(page.summary()->text(), run_summary(*run).text);
  EXPECT_EQ(page.warning()->isVisible(), !run_summary(*run).warning.isEmpty());
  expect_drawn(throughput, QStringLiteral("open-overview-throughput"));
  expect_drawn(latency, QStringLiteral("open-overview-latency"));
  page.grab().save(screenshot_dir() + QStringLiteral("/open-overview-page.png"));

  // The same page for a closed-model run: as before, rebuilt without the open model's lines.
  page.setRun(load(hash_run()));
  QApplication::processEvents();
  EXPECT_EQ(throughput->seriesNames(), (QStringList{"req/s", "failures/s", "users"}));
  EXPECT_EQ(latency->seriesNames(), (QStringList{"p50", "p95", "p99"}));
  EXPECT_EQ(latency->chart()->title(), QStringLiteral("coupon-hash: Response time percentiles"));
  EXPECT_FALSE(page.summary()->isVisible());
  EXPECT_FALSE(page.warning()->isVisible());
}

// A generator that fell behind its schedule: the warning is shown, in red, above the charts.
TEST(OpenModelPages, OverviewWarnsWhenTheGeneratorFellBehind) {
  const auto open = load(open_run());
  results::RunResult late = open->result();
  late.info.open_model->late_arrivals = 12;
  late.info.open_model->max_schedule_lag_ms = 40;
  OverviewPage page;
  show_run(page, 1200, 800, std::make_shared<const RunModel>(RunModel::from_result(open->dir(), late)));
  QApplication::processEvents();
  ASSERT_TRUE(page.warning()->isVisible());
  EXPECT_TRUE(page.warning()->text().contains(QStringLiteral("fell behind"))) << page.warning()->text().toStdString();
  const QImage image = page.warning()->grab().toImage();
  bool red = false;
  for (int y = 0; y < image.height() && !red; ++y) {
    for (int x = 0; x < image.width() && !red; ++x) {
      const QColor c = image.pixelColor(x, y);
      red = c.red() > 150 && c.green() < 110 && c.blue() < 110;
    }
  }
  EXPECT_TRUE(red) << "the warning is drawn in red";
}

TEST(OpenModelPages, CompareTableListsDroppedAndServiceRowsInTheWindow) {
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  QList<int> rows = window.openPath(open_run());
  rows += window.openPath(hash_run());
  window.selectRuns(rows);
  window.tabs()->setCurrentWidget(window.compare());
  QApplication::processEvents();
  QTableView* table = window.compare()->diffTable();
  ASSERT_EQ(table->model()->rowCount(), CompareModel::Average + 1 + 4);
  const int last = table->model()->rowCount() - 1;
  EXPECT_EQ(table->model()->index(last, 0).data().toString(), QStringLiteral("p99 service (ms)"));
  EXPECT_LE(table->rowViewportPosition(last) + table->rowHeight(last), table->viewport()->height())
      << "every row on screen";
}

}  // namespace
}  // namespace stampede::gui
