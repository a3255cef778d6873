// Renders every page offscreen for real result folders (QWidget::grab on the offscreen
// platform draws exactly what a screen would) and checks the pictures are not blank, that
// series carry the expected points, and that different runs draw differently. The images
// are saved to $STAMPEDE_GUI_SCREENSHOTS (default <tmp>/stampede-gui-screenshots).
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarLegendMarker>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QBarSet>
#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "gui/tests/reference_server.h"
#include "gui/views/main_window.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

QString screenshot_dir() {
  const QByteArray env = qgetenv("STAMPEDE_GUI_SCREENSHOTS");
  const QString dir = env.isEmpty() ? QDir::tempPath() + QStringLiteral("/stampede-gui-screenshots")
                                    : QString::fromLocal8Bit(env);
  QDir().mkpath(dir);
  return dir;
}

struct Ink {
  int colours = 0;  // distinct colours (4 bits per channel) covering ≥ 20 pixels
  double inked = 0;  // share of pixels that are not near-white
};

Ink measure(const QImage& image, QRect area) {
  area = area.intersected(image.rect());
  QHash<QRgb, int> counts;
  qint64 inked = 0;
  for (int y = area.top(); y <= area.bottom(); ++y) {
    for (int x = area.left(); x <= area.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      counts[qRgb(c.red() & 0xf0, c.green() & 0xf0, c.blue() & 0xf0)]++;
      if (c.red() < 235 || c.green() < 235 || c.blue() < 235) ++inked;
    }
  }
  Ink ink;
  for (int n : counts) ink.colours += n >= 20 ? 1 : 0;
  ink.inked = area.isEmpty() ? 0.0 : static_cast<double>(inked) / (area.width() * area.height());
  return ink;
}

QImage render(ChartView* view, const QString& name) {
  QApplication::processEvents();
  const QImage image = view->grab().toImage();
  image.save(screenshot_dir() + QLatin1Char('/') + name + QStringLiteral(".png"));
  return image;
}

// The plot area must show drawn series in several colours, not just background and grid.
void expect_drawn(ChartView* view, const QString& name, int min_colours = 4) {
  const QImage image = render(view, name);
  ASSERT_FALSE(image.isNull());
  const QRect plot = view->chart()->plotArea().toRect();
  ASSERT_GT(plot.width(), 100) << name.toStdString();
  ASSERT_GT(plot.height(), 50) << name.toStdString();
  const Ink ink = measure(image, plot);
  EXPECT_GE(ink.colours, min_colours) << name.toStdString();
  EXPECT_GT(ink.inked, 0.005) << name.toStdString();
}

std::shared_ptr<const RunModel> load(const QString& dir) {
  return std::make_shared<const RunModel>(RunModel::load(dir));
}

// One history line of a made-up run: `users` users, 20 + t requests of GET / in 0.8-4 ms.
results::HistoryPoint history_line(double t, int users) {
  results::HistoryPoint p;
  p.elapsed_s = t;
  p.users = users;
  results::IntervalEndpoint e;
  e.method = "GET";
  e.name = "/";
  e.requests = 20 + static_cast<std::uint64_t>(t);
  for (std::uint64_t i = 0; i < e.requests; ++i) e.latency.record(800 + 150 * i);
  p.endpoints.push_back(std::move(e));
  return p;
}

results::RunInfo live_info(const std::string& label, const std::string& status = "running") {
  results::RunInfo info;
  info.started_unix_ms = 1795000000000;
  info.label = label;
  info.status = status;
  info.target_host = "http://127.0.0.1:18500";
  return info;
}

QLineSeries* line_named(ChartView* view, const QString& name) {
  for (QAbstractSeries* s : view->chart()->series()) {
    if (s->name() == name) return qobject_cast<QLineSeries*>(s);
  }
  return nullptr;
}

int busy_intervals(const RunModel& run) {
  int n = 0;
  for (const auto& p : run.result().history) n += p.total().requests > 0 ? 1 : 0;
  return n;
}

TEST(Views, OverviewDrawsTheRunsSeries) {
  const auto run = load(testing::hash_run());
  ASSERT_TRUE(run->ok());
  OverviewPage page;
  page.resize(1000, 800);
  page.setRun(run);
  page.show();
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

TEST(Views, OverviewMarksTheDeclaredStagesOfAStagedRun) {
  const auto run = load(testing::stages_run());
  ASSERT_TRUE(run->ok());
  OverviewPage page;
  page.resize(1000, 800);
  page.setRun(run);
  page.show();
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

TEST(Views, LegendClickTogglesASeriesAndPngExportWritesTheChart) {
  OverviewPage page;
  page.resize(900, 700);
  page.setRun(load(testing::hash_run()));
  page.show();
  QApplication::processEvents();
  ChartView* chart = page.charts()[1];
  QLegendMarker* p99 = nullptr;
  for (QLegendMarker* m : chart->chart()->legend()->markers()) {
    if (m->label() == QStringLiteral("p99")) p99 = m;
  }
  ASSERT_NE(p99, nullptr);
  const QImage before = chart->grab().toImage();
  emit p99->clicked();
  EXPECT_FALSE(p99->series()->isVisible());
  EXPECT_TRUE(p99->isVisible());  // stays in the legend to be clicked back
  QApplication::processEvents();
  EXPECT_NE(chart->grab().toImage(), before);
  emit p99->clicked();
  EXPECT_TRUE(p99->series()->isVisible());

  QTemporaryDir tmp;
  const QString png = tmp.path() + QStringLiteral("/chart.png");
  ASSERT_TRUE(chart->exportPng(png));
  const QImage saved(png);
  EXPECT_EQ(saved.size(), chart->grab().size());
  EXPECT_GE(measure(saved, saved.rect()).colours, 4);
}

TEST(Views, MainWindowRemembersRecentFolders) {
  QSettings(QStringLiteral("stampede"), QStringLiteral("stampede-gui")).remove(QStringLiteral("recentFolders"));
  {
    MainWindow window;
    window.openFolder(testing::range_run());
    window.openFolder(testing::hash_run());
    window.openFolder(testing::corrupt_run());  // not remembered: it does not read
  }
  const QStringList recent =
      QSettings(QStringLiteral("stampede"), QStringLiteral("stampede-gui")).value(QStringLiteral("recentFolders")).toStringList();
  ASSERT_EQ(recent.size(), 2);
  EXPECT_TRUE(recent[0].endsWith(QStringLiteral("run-hash")));
  EXPECT_TRUE(recent[1].endsWith(QStringLiteral("run-range")));
}

TEST(Views, MainWindowRemembersItsLayout) {
  {
    MainWindow window;
    window.show();
    window.resize(1234, 876);
    window.tabs()->setCurrentIndex(2);
    QApplication::processEvents();
    window.close();  // closeEvent saves geometry, dock state and the page
  }
  MainWindow again;
  again.show();
  QApplication::processEvents();
  EXPECT_EQ(again.tabs()->currentIndex(), 2);
  EXPECT_EQ(again.size(), QSize(1234, 876));
  again.tabs()->setCurrentIndex(0);
  again.close();
}

TEST(Views, OverviewShowsWhyABrokenRunHasNoChart) {
  OverviewPage page;
  page.resize(800, 600);
  page.setRun(load(testing::corrupt_run()));
  page.show();
  QApplication::processEvents();
  EXPECT_TRUE(page.charts()[0]->chart()->title().contains(QStringLiteral("stats.json")));
  EXPECT_TRUE(page.charts()[0]->seriesNames().isEmpty());
}

TEST(Views, EndpointsDrawsDistributionOfTheSelectedEndpoint) {
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

TEST(Views, ShardsDrawsBarsAndHeatMap) {
  ShardsPage page;
  page.resize(1200, 900);
  page.setRun(load(testing::hash_run()));
  page.show();
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
TEST(Views, ShardsDrawsRowsPerShardOnlyWithServerJson) {
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
      QStringLiteral("rows %1").arg(balance_score(testing::as_doubles(rows_on_server)), 0, 'f', 1)));
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

TEST(Views, CompareShowsALabsShardsSideBySide) {
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

TEST(Views, MainWindowOpensALabFolderForCompare) {
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  window.openFolder(testing::overload_run());
  const QList<int> rows = window.openPath(testing::lab_folder());
  ASSERT_EQ(rows.size(), 3);
  EXPECT_EQ(window.runs()->run(rows[0])->dir(), QFileInfo(testing::lab_run("hash")).canonicalFilePath());
  ASSERT_EQ(window.compare()->model()->runs().size(), 3);  // all selected, hash the baseline
  EXPECT_EQ(window.compare()->model()->names(), (QStringList{"hash", "range", "time"}));
  EXPECT_EQ(window.shards()->charts()[2]->barValues(QStringLiteral("result rows")).size(), 4);
  EXPECT_TRUE(window.statusBar()->currentMessage().contains(QLatin1String(testing::kLabName)));
  // The README's screenshots of a lab (docs/lab-*.png are copies of these).
  window.selectRuns(rows);
  for (int tab = 0; tab < window.tabs()->count(); ++tab) {
    window.tabs()->setCurrentIndex(tab);
    QApplication::processEvents();
    const QImage image = window.grab().toImage();
    image.save(screenshot_dir() + QStringLiteral("/lab-window-%1.png").arg(window.tabs()->tabText(tab).toLower()));
    EXPECT_GE(measure(image, image.rect()).colours, 6);
  }
  window.tabs()->setCurrentIndex(0);
  EXPECT_EQ(window.openPath(testing::lab_run("hash")), QList<int>{rows[0]});  // a run folder opens as before

  // results/labs as a root, as main() does it from a checkout.
  MainWindow fresh;
  fresh.addLabsRoot(testing::fixture("gui/tests/fixtures"));
  EXPECT_EQ(fresh.runs()->rowCount(), 3);
  EXPECT_EQ(fresh.runs()->index(0, RunListModel::Lab).data().toString(), QLatin1String(testing::kLabName));
}

TEST(Views, CompareOverlaysTwoRuns) {
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

TEST(Views, LivePageFollowsAGrowingFolder) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/live");
  results::ResultWriter writer(dir.toStdString());
  results::RunInfo info;
  info.started_unix_ms = 1795000000000;
  writer.write_run_info(info);
  const auto line = [](double t, int users) {
    results::HistoryPoint p;
    p.elapsed_s = t;
    p.users = users;
    results::IntervalEndpoint e;
    e.method = "GET";
    e.name = "/";
    e.requests = 20 + static_cast<std::uint64_t>(t);
    for (std::uint64_t i = 0; i < e.requests; ++i) e.latency.record(800 + 150 * i);
    p.endpoints.push_back(std::move(e));
    return p;
  };
  writer.append_history(line(1, 2));
  LivePage page;
  page.resize(1200, 700);
  page.show();
  page.follow(dir);
  ChartView* throughput = page.charts()[0];
  EXPECT_EQ(throughput->pointCount(QStringLiteral("req/s")), 1);
  QSignalSpy appended(page.follower(), &LiveRunFollower::pointsAppended);
  for (int t = 2; t <= 5; ++t) writer.append_history(line(t, 4));
  while (page.follower()->points().size() < 5 && appended.wait(3000)) {}
  EXPECT_EQ(throughput->pointCount(QStringLiteral("req/s")), 5);
  EXPECT_EQ(page.charts()[1]->pointCount(QStringLiteral("p99")), 5);
  expect_drawn(throughput, QStringLiteral("live-throughput"));
  EXPECT_TRUE(page.statusText().contains(QStringLiteral("running")));
  const QStringList args = page.runArguments(QStringLiteral("/tmp/out"));
  EXPECT_EQ(args.front(), QStringLiteral("run"));
  EXPECT_EQ(args.mid(args.indexOf(QStringLiteral("--out")), 2), (QStringList{"--out", "/tmp/out"}));
  EXPECT_EQ(args[args.indexOf(QStringLiteral("-u")) + 1], QStringLiteral("10"));
}

TEST(Views, LivePageReportsAnEngineThatCannotStart) {
  QTemporaryDir out;
  LivePage page;
  QSignalSpy started(&page, &LivePage::runStarted);
  page.startRun(out.path() + QStringLiteral("/no-such-stampede"), QStringLiteral("scenarios/coupon.json"),
                QStringLiteral("http://127.0.0.1:9"), 1, 1, QStringLiteral("1s"), out.path());
  ASSERT_EQ(started.count(), 1);
  for (int i = 0; i < 50 && !page.statusText().startsWith(QStringLiteral("Could not run")); ++i) {
    QTest::qWait(20);
  }
  EXPECT_TRUE(page.statusText().startsWith(QStringLiteral("Could not run"))) << page.statusText().toStdString();
  EXPECT_FALSE(page.follower()->isFollowing());
}

TEST(Views, LiveChartsKeepZoomAndHiddenSeriesAsTheRunGrows) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/live");
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(live_info("growing"));
  writer.append_history(history_line(1, 2));
  writer.append_history(history_line(2, 2));
  LivePage page;
  page.resize(1200, 700);
  page.show();
  page.follow(dir);
  ChartView* throughput = page.charts()[0];
  ChartView* latency = page.charts()[1];
  ASSERT_EQ(latency->pointCount(QStringLiteral("p95")), 2);
  QLineSeries* p95 = line_named(latency, QStringLiteral("p95"));
  ASSERT_NE(p95, nullptr);
  for (QLegendMarker* m : latency->chart()->legend()->markers(p95)) emit m->clicked();
  ASSERT_FALSE(p95->isVisible());
  throughput->chart()->zoomIn(QRectF(throughput->chart()->plotArea().center(), QSizeF(60, 40)));
  auto* x = qobject_cast<QValueAxis*>(throughput->chart()->axes(Qt::Horizontal).value(0));
  ASSERT_NE(x, nullptr);
  const double zoomed_min = x->min(), zoomed_max = x->max();

  QSignalSpy appended(page.follower(), &LiveRunFollower::pointsAppended);
  for (int t = 3; t <= 12; ++t) writer.append_history(history_line(t, t <= 6 ? 2 * t : 12));
  while (page.follower()->points().size() < 12 && appended.wait(3000)) {}
  ASSERT_EQ(latency->pointCount(QStringLiteral("p95")), 12);
  // Same series, still hidden; the zoomed chart kept its range, the other one refit.
  EXPECT_EQ(line_named(latency, QStringLiteral("p95")), p95);
  EXPECT_FALSE(p95->isVisible());
  EXPECT_EQ(throughput->chart()->axes(Qt::Horizontal).value(0), x);
  EXPECT_DOUBLE_EQ(x->min(), zoomed_min);
  EXPECT_DOUBLE_EQ(x->max(), zoomed_max);
  EXPECT_EQ(throughput->pointCount(QStringLiteral("req/s")), 12);
  auto* lx = qobject_cast<QValueAxis*>(latency->chart()->axes(Qt::Horizontal).value(0));
  ASSERT_NE(lx, nullptr);
  EXPECT_GE(lx->max(), 12);
  // Stage marks: the users ramp from 2 s to 6 s (series beyond the legend's are markers).
  EXPECT_GT(latency->chart()->series().size(), latency->seriesNames().size());
  expect_drawn(latency, QStringLiteral("live-latency-p95-hidden"));
}

TEST(Views, MainWindowFollowsARunThatIsStillWrittenAndFindsNewFolders) {
  QTemporaryDir tmp;
  const QString root = tmp.path() + QStringLiteral("/runs");
  const QString dir = root + QStringLiteral("/20261203-100000-growing");
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(live_info("growing"));
  writer.append_history(history_line(1, 2));
  MainWindow window;
  window.resize(1400, 900);
  window.show();
  window.addRoot(root);
  ASSERT_EQ(window.runs()->rowCount(), 1);
  window.selectRuns({0});
  EXPECT_EQ(window.followedRuns().size(), 1);
  ChartView* users = window.overview()->charts()[0];
  EXPECT_EQ(users->pointCount(QStringLiteral("users")), 1);
  const auto status = [&] { return window.runs()->index(0, RunListModel::Status).data().toString(); };
  EXPECT_EQ(status(), QStringLiteral("running"));

  window.endpoints()->table()->selectRow(0);
  // Zoomed before the run grows: the Overview keeps the range and its series.
  QLineSeries* users_line = line_named(users, QStringLiteral("users"));
  ASSERT_NE(users_line, nullptr);
  users->chart()->zoomIn(QRectF(users->chart()->plotArea().center(), QSizeF(60, 40)));
  auto* x = qobject_cast<QValueAxis*>(users->chart()->axes(Qt::Horizontal).value(0));
  ASSERT_NE(x, nullptr);
  const double zoomed_max = x->max();
  ASSERT_EQ(window.endpoints()->model()->endpointKey(0), QStringLiteral("GET /"));
  for (int t = 2; t <= 4; ++t) writer.append_history(history_line(t, 4));
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.overview()->charts()[0]->pointCount(QStringLiteral("users")) == 4; }, 5000));
  EXPECT_EQ(window.endpoints()->charts()[2]->pointCount(QStringLiteral("p50")), 4);
  EXPECT_EQ(line_named(users, QStringLiteral("users")), users_line);
  EXPECT_DOUBLE_EQ(x->max(), zoomed_max);
  // The endpoint picked before the refresh is still the one drawn.
  EXPECT_TRUE(window.endpoints()->charts()[2]->chart()->title().contains(QStringLiteral("(GET /)")))
      << window.endpoints()->charts()[2]->chart()->title().toStdString();

  // A folder that appears under the root later is listed by the rescan.
  results::ResultWriter later((root + QStringLiteral("/20261203-100100-later")).toStdString());
  later.write_run_info(live_info("later", "complete"));
  later.append_history(history_line(1, 1));
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.runs()->rowCount() == 2; }, 6000));

  // The engine finishes: the row says so and following stops.
  writer.append_history(history_line(5, 4));
  writer.write_run_info(live_info("growing", "complete"));
  EXPECT_TRUE(QTest::qWaitFor([&] { return status() == QStringLiteral("complete"); }, 5000)) << status().toStdString();
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.followedRuns().isEmpty(); }, 2000));
  EXPECT_EQ(window.overview()->charts()[0]->pointCount(QStringLiteral("users")), 5);
}

TEST(Views, PagesNameTheRunTheyShow) {
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  const int hash = window.openFolder(testing::hash_run());
  const int range = window.openFolder(testing::range_run());
  const QString hash_name = window.runs()->run(hash)->display_name();
  const QString range_name = window.runs()->run(range)->display_name();
  ASSERT_NE(hash_name, range_name);
  window.selectRuns({range, hash});  // range is current: the single-run pages show it
  QList<ChartView*> single = window.overview()->charts() + window.endpoints()->charts() + window.shards()->charts();
  for (ChartView* c : single) {
    EXPECT_TRUE(c->chart()->title().startsWith(range_name + QStringLiteral(": "))) << c->chart()->title().toStdString();
  }
  EXPECT_TRUE(window.shards()->heatMap()->title().startsWith(range_name));
  window.selectRuns({hash, range});
  for (ChartView* c : single) EXPECT_TRUE(c->chart()->title().startsWith(hash_name)) << c->chart()->title().toStdString();
}

TEST(Views, EndpointsHistogramHoverShowsTheBin) {
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

TEST(Views, HeatMapHasAColourScaleAndExportsPng) {
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

TEST(Views, EmptyHistorySaysNoDataAndTitlesFit) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/empty");
  {
    results::ResultWriter writer(dir.toStdString());
    writer.write_run_info(live_info("empty", "failed"));
  }
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
  // A run with data has no such message.
  overview.setRun(load(testing::hash_run()));
  for (ChartView* c : overview.charts()) EXPECT_TRUE(c->placeholder().isEmpty());

  // Every y-axis title on the Shards page fits beside its plot (Qt elides it otherwise).
  ShardsPage shards;
  shards.resize(1500, 700);  // about what a 1500 × 1000 window leaves it
  shards.show();
  shards.setRun(load(testing::hash_run()));
  QApplication::processEvents();
  for (ChartView* c : shards.charts()) {
    for (QAbstractAxis* axis : c->chart()->axes(Qt::Vertical)) {
      const int needed = QFontMetrics(axis->titleFont()).horizontalAdvance(axis->titleText());
      EXPECT_LE(needed, c->chart()->plotArea().height()) << axis->titleText().toStdString();
    }
  }
}

TEST(Views, RunListShowsWholeTargetsAndDates) {
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  const int row = window.openFolder(testing::hash_run());
  QApplication::processEvents();
  QTableView* table = window.runTable();
  for (int column : {int(RunListModel::Target), int(RunListModel::Date)}) {
    const QString text = window.runs()->index(row, column).data().toString();
    ASSERT_FALSE(text.isEmpty());
    EXPECT_GE(table->columnWidth(column), table->fontMetrics().horizontalAdvance(text) + 6) << text.toStdString();
  }
}

// End to end: a real stampede-server (started here on a free port in 18500-18599, stopped
// by PID) and the real engine, both from this build; or STAMPEDE_GUI_E2E="<stampede>
// <http://127.0.0.1:port>" to use ones you started. Skips when neither is there.
struct EndToEnd {
  QString engine, host;
  std::string skip_reason, error;  // not in this build / could not start the server
  std::unique_ptr<testing::ReferenceServer> server;
};

EndToEnd end_to_end() {
  EndToEnd e;
  const QStringList env =
      QString::fromLocal8Bit(qgetenv("STAMPEDE_GUI_E2E")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
  if (env.size() == 2) {
    e.engine = env[0];
    e.host = env[1];
    return e;
  }
  if (testing::engine_exe().isEmpty() || testing::server_exe().isEmpty()) {
    e.skip_reason = "this build has no stampede / stampede-server (add generator;reference-server to STAMPEDE_FOLDERS)";
    return e;
  }
  e.engine = testing::engine_exe();
  e.server = std::make_unique<testing::ReferenceServer>();
  e.host = e.server->url();
  if (e.host.isEmpty()) e.error = e.server->error().toStdString();
  return e;
}

QString run_json_status(const QString& dir) {
  QFile f(dir + QStringLiteral("/run.json"));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("status")).toString();
}

// Starts a real 4 s run of scenarios/coupon.json from the Live page and follows it to the end.
TEST(Views, LivePageStartsAndFollowsARealRun) {
  const EndToEnd e2e = end_to_end();
  if (!e2e.skip_reason.empty()) GTEST_SKIP() << e2e.skip_reason;
  ASSERT_FALSE(e2e.host.isEmpty()) << e2e.error;
  QTemporaryDir out;
  LivePage page;
  page.resize(1200, 700);
  page.show();
  QSignalSpy finished(&page, &LivePage::runFinished);
  const QString dir = page.startRun(e2e.engine, QStringLiteral("scenarios/coupon.json"), e2e.host, 4, 4,
                                    QStringLiteral("4s"), out.path());
  ASSERT_TRUE(dir.startsWith(out.path()));
  ASSERT_TRUE(finished.wait(30000));
  EXPECT_EQ(finished.at(0).at(0).toString(), dir);
  QSignalSpy done(page.follower(), &LiveRunFollower::finished);
  if (page.follower()->isFollowing()) {
    ASSERT_TRUE(done.wait(5000));
  }
  EXPECT_EQ(page.follower()->status(), QStringLiteral("complete"));
  const int points = static_cast<int>(page.follower()->points().size());
  EXPECT_GE(points, 3);
  EXPECT_EQ(page.charts()[0]->pointCount(QStringLiteral("req/s")), points);
  expect_drawn(page.charts()[0], QStringLiteral("live-real-throughput"));
  expect_drawn(page.charts()[1], QStringLiteral("live-real-latency"));
  const RunModel run = RunModel::load(dir);
  ASSERT_TRUE(run.ok()) << run.error().toStdString();
  EXPECT_GT(run.result().aggregated.requests, 0u);
}

// Stop sends SIGINT: the engine stops early and still finishes the folder, "interrupted".
TEST(Views, LivePageStopInterruptsARealRun) {
  const EndToEnd e2e = end_to_end();
  if (!e2e.skip_reason.empty()) GTEST_SKIP() << e2e.skip_reason;
  ASSERT_FALSE(e2e.host.isEmpty()) << e2e.error;
  QTemporaryDir out;
  LivePage page;
  QSignalSpy finished(&page, &LivePage::runFinished);
  QElapsedTimer clock;
  clock.start();
  const QString dir = page.startRun(e2e.engine, QStringLiteral("scenarios/coupon.json"), e2e.host, 2, 2,
                                    QStringLiteral("60s"), out.path());
  // Stop once it is really running (a history line is there), as a user would.
  for (int i = 0; i < 200 && page.follower()->points().isEmpty(); ++i) QTest::qWait(50);
  ASSERT_FALSE(page.follower()->points().isEmpty());
  EXPECT_EQ(run_json_status(dir), QStringLiteral("running"));
  page.stopRun();
  ASSERT_TRUE(finished.wait(20000));
  EXPECT_LT(clock.elapsed(), 40000);  // well before the 60 s run time
  EXPECT_EQ(run_json_status(dir), QStringLiteral("interrupted"));
  const RunModel run = RunModel::load(dir);
  ASSERT_TRUE(run.ok()) << run.error().toStdString();
  EXPECT_EQ(run.result().info.status, "interrupted");
}

TEST(Views, MainWindowOpensRunsComparesAndSurvivesACorruptOne) {
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  const int hash = window.openFolder(testing::hash_run());
  const int range = window.openFolder(testing::range_run());
  window.selectRuns({hash, range});
  EXPECT_EQ(window.overview()->charts()[0]->pointCount(QStringLiteral("users")),
            static_cast<int>(window.runs()->run(hash)->result().history.size()));
  EXPECT_EQ(window.compare()->model()->runs().size(), 2);
  for (int tab = 0; tab < window.tabs()->count(); ++tab) {
    // No page may force the window wider than asked (e.g. a long error path in a label).
    EXPECT_LE(window.tabs()->widget(tab)->minimumSizeHint().width(), 1400) << tab;
    window.tabs()->setCurrentIndex(tab);
    QApplication::processEvents();
    const QImage image = window.grab().toImage();
    EXPECT_EQ(image.width(), 1500);
    image.save(screenshot_dir() + QStringLiteral("/window-%1.png").arg(window.tabs()->tabText(tab).toLower()));
    EXPECT_GE(measure(image, image.rect()).colours, 6);
  }

  // The pages themselves, not the window around them: each page but Live draws the selected
  // runs, so with nothing selected it is far emptier; Compare differs between one run and two.
  const auto page_image = [&](int tab) {
    window.tabs()->setCurrentIndex(tab);
    QApplication::processEvents();
    return window.tabs()->currentWidget()->grab().toImage();
  };
  QList<QImage> two_runs;
  for (int tab = 0; tab < window.tabs()->count(); ++tab) two_runs.append(page_image(tab));
  int compare_tab = -1, live_tab = -1;
  for (int tab = 0; tab < window.tabs()->count(); ++tab) {
    if (window.tabs()->tabText(tab) == QStringLiteral("Compare")) compare_tab = tab;
    if (window.tabs()->tabText(tab) == QStringLiteral("Live")) live_tab = tab;
  }
  ASSERT_GE(compare_tab, 0);
  window.selectRuns({hash});
  const QImage compare_one = page_image(compare_tab);
  EXPECT_NE(compare_one, two_runs[compare_tab]) << "one run vs two on Compare";
  EXPECT_GT(measure(two_runs[compare_tab], two_runs[compare_tab].rect()).colours,
            measure(compare_one, compare_one.rect()).colours)
      << "two runs' series add colours";
  window.selectRuns({});
  for (int tab = 0; tab < window.tabs()->count(); ++tab) {
    if (tab == live_tab) continue;
    const QImage empty = page_image(tab);
    EXPECT_GT(measure(two_runs[tab], two_runs[tab].rect()).inked, measure(empty, empty.rect()).inked + 0.01)
        << window.tabs()->tabText(tab).toStdString() << ": drawn runs, not a blank page";
  }
  window.selectRuns({hash, range});

  // A corrupt folder: its row, its message in the status bar, empty charts, no crash.
  const int corrupt = window.openFolder(testing::corrupt_run());
  EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("stats.json")));
  EXPECT_TRUE(window.overview()->charts()[0]->seriesNames().isEmpty());
  window.selectRuns({hash, range, corrupt});
  EXPECT_EQ(window.compare()->model()->runs().size(), 2);
  EXPECT_EQ(window.compare()->model()->skippedErrors().size(), 1);
  EXPECT_LE(window.compare()->minimumSizeHint().width(), 1400);  // the long message does not widen it
  // Back on a good run, the broken one's message goes.
  window.selectRuns({corrupt});
  EXPECT_TRUE(window.statusBar()->currentMessage().contains(QStringLiteral("stats.json")));
  window.selectRuns({hash});
  EXPECT_FALSE(window.statusBar()->currentMessage().contains(QStringLiteral("stats.json")))
      << window.statusBar()->currentMessage().toStdString();
}

}  // namespace
}  // namespace stampede::gui

namespace stampede::gui {
namespace {

// A run started from the Live page joins the run list once its engine has written run.json
// (the folder may not exist yet when the start is announced) and is followed while running.
TEST(Views, ARunStartedFromLiveJoinsTheListAndIsFollowed) {
  MainWindow window;
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/started-run");
  emit window.live()->runStarted(dir);
  QTest::qWait(300);
  EXPECT_LT(window.runs()->rowOf(dir), 0) << "nothing to list before run.json exists";
  // What the engine writes first: run.json (status running), scenario, history so far.
  QDir().mkpath(dir);
  for (const char* name : {"run.json", "scenario.json", "history.jsonl"})
    ASSERT_TRUE(QFile::copy(testing::live_run() + QLatin1Char('/') + QLatin1String(name),
                            dir + QLatin1Char('/') + QLatin1String(name)));
  for (int i = 0; i < 40 && window.runs()->rowOf(dir) < 0; ++i) QTest::qWait(50);
  ASSERT_GE(window.runs()->rowOf(dir), 0) << "listed once run.json is there";
  EXPECT_TRUE(window.followedRuns().contains(window.runs()->run(window.runs()->rowOf(dir))->dir()))
      << "followed while its status is running";
}

}  // namespace
}  // namespace stampede::gui
