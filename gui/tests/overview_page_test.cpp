// The Overview page: the run's series over time, its stages marked, and a clear word for a
// run with nothing to draw.
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(OverviewPage, OverviewDrawsTheRunsSeries) {
  const auto run = load(testing::hash_run());
  ASSERT_TRUE(run->ok());
  OverviewPage page;
  show_run(page, 1000, 800, run);
  const int lines = static_cast<int>(run->result().history.size());
  ChartView* throughput = page.charts()[0];
  ChartView* latency = page.charts()[1];
  EXPECT_EQ(throughput->seriesNames(), (QStringList{"req/s", "failures/s", "users"}));
  EXPECT_EQ(throughput->pointCount(QStringLiteral("req/s")), lines);
  EXPECT_EQ(throughput->pointCount(QStringLiteral("users")), lines);
  EXPECT_EQ(latency->pointCount(QStringLiteral("p95")), busy_intervals(*run));
  expect_drawn(throughput, QStringLiteral("overview-throughput"));
  expect_drawn(latency, QStringLiteral("overview-latency"));

  // Another run draws another picture.
  const QImage hash_image = render(latency, QStringLiteral("overview-latency-hash"));
  page.setRun(load(testing::range_run()));
  const QImage range_image = render(latency, QStringLiteral("overview-latency-range"));
  EXPECT_NE(hash_image, range_image);
}

TEST(OverviewPage, OverviewMarksTheDeclaredStagesOfAStagedRun) {
  const auto run = load(testing::stages_run());
  ASSERT_TRUE(run->ok());
  OverviewPage page;
  show_run(page, 1000, 800, run);
  for (ChartView* chart : page.charts()) {
    QList<double> marker_x;
    for (QAbstractSeries* s : chart->chart()->series()) {
      auto* line = qobject_cast<QLineSeries*>(s);
      if (line && line->name() == QStringLiteral("marker") && line->count() == 2) marker_x.append(line->at(0).x());
    }
    EXPECT_EQ(marker_x, (QList<double>{3, 6}));
    // Each stage is labelled with the users it goes to (coupon-stages.json: 8, then 2).
    EXPECT_EQ(chart->markerLabels(), (QStringList{"→ 8 users", "→ 2 users"}));
  }
  expect_drawn(page.charts()[0], QStringLiteral("overview-stages"));
  // The labels are drawn at the top of the plot: without them that strip differs.
  ChartView* chart = page.charts()[0];
  const QRect top = chart->chart()->plotArea().toRect().adjusted(0, 0, 0, -chart->chart()->plotArea().toRect().height() + 40);
  const QImage labelled = chart->grab().toImage().copy(top);
  chart->setMarkers({3, 6}, chart->chart()->axes(Qt::Horizontal).value(0),
                    qobject_cast<QValueAxis*>(chart->chart()->axes(Qt::Vertical).value(0)));
  QApplication::processEvents();
  EXPECT_TRUE(chart->markerLabels() == (QStringList{QString(), QString()}));
  EXPECT_NE(chart->grab().toImage().copy(top), labelled);
}

TEST(OverviewPage, OverviewShowsWhyABrokenRunHasNoChart) {
  OverviewPage page;
  show_run(page, 800, 600, load(testing::corrupt_run()));
  QApplication::processEvents();
  EXPECT_TRUE(page.charts()[0]->chart()->title().contains(QStringLiteral("stats.json")));
  EXPECT_TRUE(page.charts()[0]->seriesNames().isEmpty());
}

TEST(OverviewPage, EmptyHistorySaysNoDataAndTitlesFit) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/empty");
  begin_run_folder(dir, "empty", /*lines=*/0, /*users=*/0, "failed");  // closed at once
  OverviewPage overview;
  overview.resize(1200, 800);
  overview.show();
  const auto run = load(dir);
  ASSERT_TRUE(run->ok()) << run->error().toStdString();
  overview.setRun(run);
  for (ChartView* c : overview.charts()) {
    EXPECT_TRUE(c->placeholder().startsWith(QStringLiteral("no data"))) << c->chart()->title().toStdString();
  }
  const QImage image = render(overview.charts()[0], QStringLiteral("overview-no-data"));
  EXPECT_GT(measure(image, overview.charts()[0]->chart()->plotArea().toRect()).inked, 0.001);
  // A finished run without its history.jsonl says which file is missing.
  const QString no_history = tmp.path() + QStringLiteral("/no-history");
  ASSERT_TRUE(testing::copy_run(testing::hash_run(), no_history));
  ASSERT_TRUE(QFile::remove(no_history + QStringLiteral("/history.jsonl")));
  const auto bare = load(no_history);
  ASSERT_TRUE(bare->ok()) << bare->error().toStdString();
  EXPECT_TRUE(bare->warnings().join(QString()).contains(QStringLiteral("history.jsonl: missing")));
  overview.setRun(bare);
  for (ChartView* c : overview.charts()) {
    EXPECT_EQ(c->placeholder(), QStringLiteral("no data: this folder has no history.jsonl"));
  }
  // A run with data has no such message.
  overview.setRun(load(testing::hash_run()));
  for (ChartView* c : overview.charts()) EXPECT_TRUE(c->placeholder().isEmpty());

  // Every y-axis title on the Shards page fits beside its plot (Qt elides it otherwise).
  ShardsPage shards;
  shards.resize(1500, 700);  // about what a 1500 × 1000 window leaves it
  shards.show();
  shards.setRun(load(testing::hash_run()));
  QApplication::processEvents();
  expect_axis_titles_fit(shards.charts(), "Shards");
}

// The time axes end at the run's length (a "30s" run records 30.007 s), not at a rounder
// number that would leave a quarter of the chart empty.
TEST(OverviewPage, TimeAxesEndWithTheRun) {
  const auto run = load(testing::overload_run());
  ASSERT_TRUE(run->ok());
  OverviewPage page;
  page.setRun(run);
  for (ChartView* c : page.charts()) {
    auto* x = qobject_cast<QValueAxis*>(c->chart()->axes(Qt::Horizontal).value(0));
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->min(), 0.0);
    EXPECT_EQ(x->max(), std::ceil(run->duration_s() - 0.05)) << run->duration_s();
    EXPECT_EQ(x->tickType(), QValueAxis::TicksDynamic);
    // Between 3 and 9 ticks on a round step.
    const double ticks = x->max() / x->tickInterval();
    EXPECT_GE(ticks, 3.0);
    EXPECT_LE(ticks, 9.0);
    const double mantissa = x->tickInterval() / std::pow(10.0, std::floor(std::log10(x->tickInterval())));
    EXPECT_TRUE(mantissa == 1.0 || mantissa == 2.0 || mantissa == 5.0) << x->tickInterval();
  }
}

// The users axis on the right of the top chart must not shift its plot against the one
// below: a moment of the run is at the same x in both charts, whatever the runs' labels.
// (The charts align once both are laid out, a turn or two of the event loop later.)
bool plots_aligned(const OverviewPage& page) {
  const QRectF top = page.charts()[0]->chart()->plotArea();
  const QRectF bottom = page.charts()[1]->chart()->plotArea();
  return std::abs(top.left() - bottom.left()) <= 1.0 && std::abs(top.right() - bottom.right()) <= 1.0;
}

TEST(OverviewPage, BothChartsPlotTheSameSpanOfScreen) {
  OverviewPage page;
  page.resize(1100, 800);
  page.show();
  for (const QString& dir : {testing::hash_run(), testing::overload_run(), testing::stages_run()}) {
    page.setRun(load(dir));
    QTest::qWait(200);  // laid out, then aligned
    EXPECT_TRUE(plots_aligned(page)) << dir.toStdString();
    EXPECT_GT(page.charts()[1]->chart()->plotArea().width(), 800) << "aligned, not squeezed";
    const QRectF settled = page.charts()[0]->chart()->plotArea();
    QTest::qWait(100);
    EXPECT_EQ(page.charts()[0]->chart()->plotArea(), settled) << "and it stays put";
  }
  page.resize(800, 600);
  QTest::qWait(200);
  EXPECT_TRUE(plots_aligned(page)) << "still aligned after a resize";
}

}  // namespace
}  // namespace stampede::gui
