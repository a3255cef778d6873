// The Shards page: share bars, p95 per shard, rows per shard and the shard x endpoint heat
// map.
#include <QTemporaryDir>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <gtest/gtest.h>

#include <algorithm>

#include "gui/tests/lab_fixture.h"
#include "results/shard_metrics.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(ShardsPage, ShardsDrawsBarsAndHeatMap) {
  ShardsPage page;
  show_run(page, 1200, 900, load(testing::hash_run()));
  ASSERT_EQ(page.model()->rowCount(), 4);
  const auto* shares = qobject_cast<QBarSeries*>(page.charts()[0]->chart()->series().value(0));
  ASSERT_NE(shares, nullptr);
  ASSERT_EQ(shares->barSets().size(), 2);
  EXPECT_EQ(shares->barSets()[0]->count(), 4);
  expect_drawn(page.charts()[0], QStringLiteral("shards-shares"));
  expect_drawn(page.charts()[1], QStringLiteral("shards-p95"), 3);
  QApplication::processEvents();
  const QImage heat = page.heatMap()->grab().toImage();
  heat.save(screenshot_dir() + QStringLiteral("/shards-heatmap.png"));
  const Ink ink = measure(heat, heat.rect());
  EXPECT_GE(ink.colours, 6);  // a range of cell colours, grey gaps, text
  EXPECT_GT(ink.inked, 0.2);
}

// The Shards page of a lab run (server.json) draws rows per shard; the same run without
// its server.json says why instead of drawing zeros, and the pictures differ.
TEST(ShardsPage, ShardsDrawsRowsPerShardOnlyWithServerJson) {
  testing::LabRunCopy stripped("hash");
  ASSERT_TRUE(stripped.ok);
  ASSERT_TRUE(QFile::remove(stripped.dir + QStringLiteral("/server.json")));
  const auto rows_on_server = testing::server_rows(testing::lab_run("hash"));
  ASSERT_EQ(rows_on_server.size(), 4u);
  ShardsPage page;
  page.resize(1200, 1000);
  page.show();
  page.setRun(load(testing::lab_run("hash")));
  ChartView* rows = page.charts()[2];
  QList<double> expected;
  for (auto v : rows_on_server) expected.append(static_cast<double>(v));
  EXPECT_EQ(rows->barValues(QStringLiteral("result rows")), expected);
  EXPECT_FALSE(rows->chart()->title().contains(QStringLiteral("no server report")));
  EXPECT_TRUE(page.balanceLabel()->text().contains(
      QStringLiteral("rows %1").arg(results::balance_score(testing::as_doubles(rows_on_server)), 0, 'f', 1)));
  EXPECT_TRUE(page.balanceLabel()->text().contains(QStringLiteral("Server: hash strategy, sqlite store, 4 shards")));
  EXPECT_TRUE(page.balanceLabel()->text().contains(QStringLiteral("Resharding estimate")));
  expect_drawn(rows, QStringLiteral("shards-rows"), 3);
  QApplication::processEvents();
  const QImage with = page.grab().toImage();
  with.save(screenshot_dir() + QStringLiteral("/shards-page-with-server-json.png"));

  page.setRun(load(stripped.dir));
  EXPECT_TRUE(rows->barValues(QStringLiteral("result rows")).isEmpty());
  EXPECT_TRUE(rows->chart()->series().isEmpty());
  EXPECT_TRUE(rows->chart()->title().contains(QStringLiteral("no server report (run made without `stampede lab`)")));
  EXPECT_TRUE(page.balanceLabel()->text().contains(QStringLiteral("rows — (no server report")));
  EXPECT_EQ(page.charts()[0]->barValues(QStringLiteral("write share %")).size(), 4);  // client side still drawn
  QApplication::processEvents();
  const QImage without = page.grab().toImage();
  without.save(screenshot_dir() + QStringLiteral("/shards-page-without-server-json.png"));
  ASSERT_EQ(with.size(), without.size());
  EXPECT_NE(with, without);
  // The rows chart's plot area is where they differ: bars versus an empty plot.
  const QRect plot = rows->geometry();
  EXPECT_GT(measure(with, plot).inked, measure(without, plot).inked + 0.01);
}

TEST(ShardsPage, HeatMapHasAColourScaleAndExportsPng) {
  ShardsPage page;
  page.resize(1400, 900);
  page.show();
  page.setRun(load(testing::hash_run()));
  QApplication::processEvents();
  HeatMapWidget* heat = page.heatMap();
  const QRectF scale = heat->scaleRect();
  ASSERT_FALSE(scale.isEmpty());
  EXPECT_LE(scale.right(), heat->width());
  const QImage image = heat->grab().toImage();
  image.save(screenshot_dir() + QStringLiteral("/shards-heatmap-scale.png"));
  const QColor top = image.pixelColor(scale.center().x(), scale.top() + 3);
  const QColor bottom = image.pixelColor(scale.center().x(), scale.bottom() - 3);
  EXPECT_LT(top.valueF(), bottom.valueF());  // slow = dark at the top, fast = pale below
  EXPECT_GT(bottom.valueF(), 0.9);
  QTemporaryDir tmp;
  const QString png = tmp.path() + QStringLiteral("/heat.png");
  ASSERT_TRUE(heat->exportPng(png));
  EXPECT_EQ(QImage(png).size(), heat->size());
}

// The heat map's columns are endpoints: each label names the method too (GET and POST of
// one name would otherwise read alike), kept whole however narrow the column, with the
// name elided in the middle to fit under it.
TEST(ShardsPage, HeatMapLabelsNameTheMethod) {
  ShardsPage page;
  page.resize(1500, 1000);
  page.show();
  page.setRun(load(testing::hash_run()));
  QApplication::processEvents();
  HeatMapWidget* heat = page.heatMap();
  const QStringList keys = heat->matrix().endpoints;
  ASSERT_GE(keys.size(), 2);
  // The fixture has a POST and GETs: labels without the method would not show which.
  QStringList methods;
  for (const QString& key : keys) methods.append(key.section(QLatin1Char(' '), 0, 0));
  methods.removeDuplicates();
  ASSERT_GE(methods.size(), 2) << keys.join(QLatin1Char('|')).toStdString();

  const auto check = [&](const HeatMapWidget& map, const char* what) {
    const QStringList labels = map.columnLabels();
    ASSERT_EQ(labels.size(), keys.size()) << what;
    for (int c = 0; c < keys.size(); ++c) {
      const QString method = keys[c].section(QLatin1Char(' '), 0, 0);
      EXPECT_TRUE(labels[c].startsWith(method + QLatin1Char(' '))) << what << ": " << labels[c].toStdString();
      EXPECT_GT(labels[c].size(), method.size() + 1) << what << ": some of the name too";
      EXPECT_LE(labels[c].size(), keys[c].size()) << what;
    }
  };
  check(*heat, "the page at 1500 x 1000");
  heat->grab().toImage().save(screenshot_dir() + QStringLiteral("/shards-heatmap-labels.png"));

  // Wide enough, a label is the whole key; narrow, names are elided ("…") in the middle and
  // the method stays whole.
  HeatMapWidget map;
  map.setMatrix(heat->matrix());
  map.resize(3000, 400);
  check(map, "3000 px wide");
  EXPECT_EQ(map.columnLabels(), keys);
  map.resize(420, 300);
  check(map, "420 px wide");
  const QStringList narrow = map.columnLabels();
  EXPECT_TRUE(std::all_of(narrow.begin(), narrow.end(), [](const QString& l) { return l.contains(QChar(0x2026)); }))
      << narrow.join(QLatin1Char('|')).toStdString();
  map.grab().toImage().save(screenshot_dir() + QStringLiteral("/shards-heatmap-labels-narrow.png"));
}

TEST(ShardsPage, AFollowedRunKeepsHiddenBarSetsAndZoom) {
  ShardsPage page;
  page.resize(1200, 900);
  page.show();
  page.setRun(load(testing::live_run()));
  QApplication::processEvents();
  ChartView* shares = page.charts()[0];
  ASSERT_FALSE(shares->barValues(QStringLiteral("write share %")).isEmpty());
  shares->setSeriesHidden(QStringLiteral("write share %"), true);
  page.charts()[1]->chart()->zoom(1.5);
  const auto before = page.charts()[1]->view().ranges;

  page.setRun(load(testing::live_run()));
  EXPECT_EQ(page.charts()[0]->view().hidden, QStringList{QStringLiteral("write share %")});
  EXPECT_TRUE(page.charts()[1]->view().zoomed);
  EXPECT_EQ(page.charts()[1]->view().ranges, before);

  page.setRun(load(testing::hash_run()));
  EXPECT_TRUE(page.charts()[0]->view().hidden.isEmpty());
  EXPECT_FALSE(page.charts()[1]->view().zoomed);
}

}  // namespace
}  // namespace stampede::gui
