// The Compare page: runs overlaid per metric, and a lab's shards side by side.
#include <QtCharts/QBarLegendMarker>
#include <QtCharts/QLegendMarker>
#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(ComparePage, CompareShowsALabsShardsSideBySide) {
  ComparePage page;
  page.resize(1500, 1000);
  page.show();
  page.setRuns({load(testing::lab_run("hash")), load(testing::lab_run("range")), load(testing::lab_run("time"))});
  ChartView* writes = page.charts()[3];
  ChartView* rows = page.charts()[4];
  const ShardCompareModel* m = page.shardModel();
  ASSERT_EQ(m->shardCount(), 4);
  ASSERT_EQ(m->runCount(), 3);
  for (int run = 0; run < 3; ++run) {
    const QString name = m->names()[run];
    QList<double> w, r;
    for (int k = 0; k < 4; ++k) {
      w.append(100.0 * *m->writeShare(run, k));
      r.append(static_cast<double>(*m->resultRows(run, k)));
    }
    EXPECT_EQ(writes->barValues(name), w) << name.toStdString();
    EXPECT_EQ(rows->barValues(name), r) << name.toStdString();
  }
  EXPECT_EQ(m->names(), (QStringList{"hash", "range", "time"}));
  QList<double> range_rows;
  for (auto v : testing::server_rows(testing::lab_run("range"))) range_rows.append(static_cast<double>(v));
  EXPECT_EQ(rows->barValues(QStringLiteral("range")), range_rows);
  // Clicking a run in a bar chart's legend hides its bars (and brings them back).
  QBarLegendMarker* time_marker = nullptr;
  for (QLegendMarker* lm : writes->chart()->legend()->markers()) {
    if (lm->label() == QStringLiteral("time")) time_marker = qobject_cast<QBarLegendMarker*>(lm);
  }
  ASSERT_NE(time_marker, nullptr);
  QApplication::processEvents();
  const QImage before = writes->grab().toImage();
  emit time_marker->clicked();
  EXPECT_EQ(time_marker->barset()->brush().style(), Qt::NoBrush);
  QApplication::processEvents();
  EXPECT_NE(writes->grab().toImage(), before);
  emit time_marker->clicked();
  EXPECT_EQ(time_marker->barset()->brush().style(), Qt::SolidPattern);
  QApplication::processEvents();
  EXPECT_EQ(writes->grab().toImage(), before);
  expect_drawn(writes, QStringLiteral("compare-shard-writes"), 3);
  expect_drawn(rows, QStringLiteral("compare-shard-rows"), 3);
  QApplication::processEvents();
  page.grab().save(screenshot_dir() + QStringLiteral("/compare-page-lab.png"));

  // Runs made by hand: write shares still compared, rows say why they are missing.
  page.setRuns({load(testing::hash_run()), load(testing::range_run())});
  EXPECT_EQ(writes->barValues(QStringLiteral("coupon-range")).size(), 4);
  EXPECT_TRUE(rows->chart()->series().isEmpty());
  EXPECT_TRUE(rows->chart()->title().contains(QStringLiteral("no server report")));
}

TEST(ComparePage, CompareOverlaysTwoRuns) {
  ComparePage page;
  page.resize(1200, 900);
  page.setRuns({load(testing::hash_run()), load(testing::range_run())});
  page.show();
  for (ChartView* c : page.charts().mid(0, 3)) {
    EXPECT_EQ(c->seriesNames(), (QStringList{"coupon-hash", "coupon-range"}));
  }
  EXPECT_EQ(page.charts()[2]->pointCount(QStringLiteral("coupon-range")),
            percentile_curve(load(testing::range_run())->result().aggregated.latency, {}).points.size());
  // The metric pickers redraw their chart: users over time, then p99.
  const auto range = load(testing::range_run());
  page.throughputMetric()->setCurrentIndex(page.throughputMetric()->findText(QStringLiteral("Users")));
  EXPECT_EQ(page.charts()[0]->chart()->title(), QStringLiteral("Users"));
  EXPECT_EQ(page.charts()[0]->pointCount(QStringLiteral("coupon-range")), range->users_series().points.size());
  page.latencyMetric()->setCurrentIndex(page.latencyMetric()->findText(QStringLiteral("p99 response time")));
  EXPECT_EQ(page.charts()[1]->pointCount(QStringLiteral("coupon-range")), range->latency_series(99).points.size());
  page.throughputMetric()->setCurrentIndex(0);
  page.latencyMetric()->setCurrentIndex(1);
  expect_drawn(page.charts()[0], QStringLiteral("compare-rps"));
  expect_drawn(page.charts()[1], QStringLiteral("compare-p95"));
  expect_drawn(page.charts()[2], QStringLiteral("compare-percentiles"));
  QApplication::processEvents();
  page.grab().save(screenshot_dir() + QStringLiteral("/compare-page.png"));
  EXPECT_EQ(page.model()->columnCount(), 4);
}

}  // namespace
}  // namespace stampede::gui
