// The Live page: following a folder as it grows, and starting, following and stopping a
// real run.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QLegendMarker>
#include <gtest/gtest.h>

#include "gui/tests/page_test_support.h"
#include "gui/tests/reference_server.h"

namespace stampede::gui {
namespace {

using namespace testing;


QString run_json_status(const QString& dir) {
  QFile f(dir + QStringLiteral("/run.json"));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("status")).toString();
}

TEST(LivePage, LivePageFollowsAGrowingFolder) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/live");
  results::ResultWriter writer(dir.toStdString());
  results::RunInfo info;
  info.started_unix_ms = 1795000000000;
  writer.write_run_info(info);
  writer.append_history(history_line(1, 2));
  LivePage page;
  page.resize(1200, 700);
  page.show();
  page.follow(dir);
  ChartView* throughput = page.charts()[0];
  EXPECT_EQ(throughput->pointCount(QStringLiteral("req/s")), 1);
  QSignalSpy appended(page.follower(), &LiveRunFollower::pointsAppended);
  for (int t = 2; t <= 5; ++t) writer.append_history(history_line(t, 4));
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

TEST(LivePage, LivePageReportsAnEngineThatCannotStart) {
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

TEST(LivePage, LiveChartsKeepZoomAndHiddenSeriesAsTheRunGrows) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/live");
  const auto writer = begin_run_folder(dir, "growing", 2);
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
  for (int t = 3; t <= 12; ++t) writer->append_history(history_line(t, t <= 6 ? 2 * t : 12));
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

// Starts a real 4 s run of scenarios/coupon.json from the Live page and follows it to the end.
TEST(LivePage, LivePageStartsAndFollowsARealRun) {
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
TEST(LivePage, LivePageStopInterruptsARealRun) {
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

// Quitting while a run started here is going stops it as Stop does and waits for the engine
// to finish the folder: it must not stay "running" (and followed) in every later session.
TEST(LivePage, QuittingDuringARunLeavesItInterruptedNotRunning) {
  const EndToEnd e2e = end_to_end();
  if (!e2e.skip_reason.empty()) GTEST_SKIP() << e2e.skip_reason;
  ASSERT_FALSE(e2e.host.isEmpty()) << e2e.error;
  QTemporaryDir out;
  QString dir;
  QElapsedTimer clock;
  {
    LivePage page;
    dir = page.startRun(e2e.engine, QStringLiteral("scenarios/coupon.json"), e2e.host, 2, 2, QStringLiteral("60s"),
                        out.path());
    for (int i = 0; i < 200 && page.follower()->points().isEmpty(); ++i) QTest::qWait(50);
    ASSERT_FALSE(page.follower()->points().isEmpty());
    ASSERT_TRUE(page.running());
    clock.start();
  }  // the window closes
  EXPECT_LT(clock.elapsed(), 15000);
  EXPECT_EQ(run_json_status(dir), QStringLiteral("interrupted"));
  const RunModel run = RunModel::load(dir);
  ASSERT_TRUE(run.ok()) << run.error().toStdString();
  EXPECT_GT(run.result().aggregated.requests, 0u);
}

// An engine that exits before writing a folder (a bad flag, a missing scenario) is reported
// with its own last words, and the page stops waiting for the folder.
TEST(LivePage, AnEngineThatExitsAtOnceIsReportedNotAwaited) {
  QTemporaryDir out;
  LivePage page;
  QSignalSpy finished(&page, &LivePage::runFinished);
  page.startRun(QStringLiteral("/bin/false"), QStringLiteral("scenarios/coupon.json"), QStringLiteral("http://127.0.0.1:9"),
                1, 1, QStringLiteral("1s"), out.path());
  EXPECT_TRUE(QTest::qWaitFor([&] { return !page.running(); }, 5000));
  QApplication::processEvents();
  EXPECT_TRUE(page.statusText().contains(QStringLiteral("exited with code 1 before writing a result folder")))
      << page.statusText().toStdString();
  EXPECT_FALSE(page.follower()->isFollowing());

  const EndToEnd e2e = end_to_end();
  if (!e2e.skip_reason.empty()) GTEST_SKIP() << e2e.skip_reason;
  ASSERT_FALSE(e2e.host.isEmpty()) << e2e.error;
  page.startRun(e2e.engine, QStringLiteral("scenarios/coupon.json"), e2e.host, 1, 1, QStringLiteral("abc"), out.path());
  EXPECT_TRUE(QTest::qWaitFor([&] { return !page.running(); }, 5000));
  QApplication::processEvents();
  EXPECT_TRUE(page.statusText().contains(QStringLiteral("exited with code 2 before writing a result folder: ")))
      << page.statusText().toStdString();
  EXPECT_TRUE(page.statusText().contains(QStringLiteral("run-time"))) << page.statusText().toStdString();
  EXPECT_FALSE(page.follower()->isFollowing());
}

// An engine killed mid-run is said to be, not reported as one that "could not run".
TEST(LivePage, AKilledEngineIsToldApart) {
  QTemporaryDir out;
  const QString killed = out.path() + QStringLiteral("/killed-engine");
  QFile script(killed);
  ASSERT_TRUE(script.open(QIODevice::WriteOnly));
  script.write("#!/bin/sh\nkill -9 $$\n");
  script.close();
  script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  LivePage page;
  QSignalSpy finished(&page, &LivePage::runFinished);
  page.startRun(killed, QStringLiteral("scenarios/coupon.json"), QStringLiteral("http://127.0.0.1:9"), 1, 1,
                QStringLiteral("1s"), out.path());
  ASSERT_TRUE(finished.wait(5000));
  EXPECT_TRUE(page.statusText().startsWith(QStringLiteral("stampede was killed or crashed"))) << page.statusText().toStdString();
  EXPECT_FALSE(page.follower()->isFollowing());
  EXPECT_FALSE(page.running());
}

// Before anything is followed the charts say how to get a run, rather than showing empty axes.
TEST(LivePage, SaysHowToStartBeforeFollowingARun) {
  LivePage page;
  page.resize(1200, 700);
  page.show();
  QApplication::processEvents();
  for (ChartView* c : page.charts()) {
    EXPECT_TRUE(c->placeholder().contains(QStringLiteral("Start run"))) << c->placeholder().toStdString();
    EXPECT_TRUE(c->seriesNames().isEmpty());
  }
  render(page.charts()[0], QStringLiteral("live-no-run"));
  page.follow(testing::live_run());
  for (ChartView* c : page.charts()) EXPECT_TRUE(c->placeholder().isEmpty()) << c->placeholder().toStdString();
  EXPECT_GT(page.charts()[0]->pointCount(QStringLiteral("req/s")), 0);
}

}  // namespace
}  // namespace stampede::gui
