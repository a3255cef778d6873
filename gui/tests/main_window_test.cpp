// The main window: the run list, opening and following folders, remembering layout and
// recent folders.
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QMimeData>
#include <QDragEnterEvent>
#include <QUrl>
#include <QProcess>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"
#include "gui/tests/reference_server.h"

namespace stampede::gui {
namespace {

using namespace testing;

// The following-a-run tests' window: 1400 × 900, shown, on the Overview page.
void show_on_overview(MainWindow& window) {
  window.resize(1400, 900);
  window.show();
  window.tabs()->setCurrentWidget(window.overview());
}

TEST(MainWindow, MainWindowRemembersRecentFolders) {
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

TEST(MainWindow, MainWindowRemembersItsLayout) {
  QList<int> sizes;
  {
    MainWindow window;
    window.show();
    window.resize(1234, 876);
    window.tabs()->setCurrentIndex(2);
    auto* splitter = window.findChild<QSplitter*>(QStringLiteral("endpointsSplitter"));
    ASSERT_NE(splitter, nullptr);
    window.tabs()->setCurrentIndex(1);
    QApplication::processEvents();
    splitter->setSizes({500, 200});
    sizes = splitter->sizes();
    window.tabs()->setCurrentIndex(2);
    QApplication::processEvents();
    window.close();  // closeEvent saves geometry, dock state, splitters and the page
  }
  MainWindow again;
  again.show();
  QApplication::processEvents();
  EXPECT_EQ(again.tabs()->currentIndex(), 2);
  EXPECT_EQ(again.size(), QSize(1234, 876));
  again.tabs()->setCurrentIndex(1);
  QApplication::processEvents();
  EXPECT_EQ(again.findChild<QSplitter*>(QStringLiteral("endpointsSplitter"))->sizes(), sizes);
  again.tabs()->setCurrentIndex(0);
  again.close();
}

// Opening a run that is still being written also puts it on the Live page.
TEST(MainWindow, OpeningARunningRunFollowsItOnLive) {
  MainWindow window;
  window.openFolder(testing::hash_run());  // complete: Live stays as it was
  EXPECT_EQ(window.live()->follower(), nullptr);
  window.openFolder(testing::live_run());
  ASSERT_NE(window.live()->follower(), nullptr);
  EXPECT_EQ(QFileInfo(window.live()->follower()->dir()).canonicalFilePath(),
            QFileInfo(testing::live_run()).canonicalFilePath());
  EXPECT_GT(window.live()->charts()[0]->pointCount(QStringLiteral("req/s")), 0);
}

// Live draws a followed run's new lines while it is in view, and catches up when shown.
TEST(MainWindow, LiveBehindAnotherTabCatchesUpWhenShown) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/20261205-100000-behind");
  const auto writer = begin_run_folder(dir, "behind");
  MainWindow window;
  show_on_overview(window);
  window.openFolder(dir);
  ASSERT_NE(window.live()->follower(), nullptr);
  ChartView* live_users = window.live()->charts()[0];
  EXPECT_EQ(live_users->pointCount(QStringLiteral("users")), -1);  // no series: not drawn behind Overview
  for (int t = 2; t <= 4; ++t) writer->append_history(history_line(t, 4));
  ASSERT_TRUE(QTest::qWaitFor([&] { return window.live()->follower()->points().size() == 4; }, 5000));
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.overview()->charts()[0]->pointCount(QStringLiteral("users")) == 4; }, 5000));
  EXPECT_EQ(live_users->pointCount(QStringLiteral("users")), -1);
  window.tabs()->setCurrentWidget(window.live());
  EXPECT_EQ(live_users->pointCount(QStringLiteral("users")), 4);
  writer->append_history(history_line(5, 4));  // in view: drawn as it arrives
  EXPECT_TRUE(QTest::qWaitFor([&] { return live_users->pointCount(QStringLiteral("users")) == 5; }, 5000));
}

// The real engine killed mid-run (SIGKILL to the PID this test started) leaves run.json at
// "running": the window stops following it, its row says "engine gone", and so does Live.
TEST(MainWindow, AKilledEngineIsShownAsGoneAndNotFollowed) {
  const EndToEnd e2e = end_to_end();
  if (!e2e.skip_reason.empty()) GTEST_SKIP() << e2e.skip_reason;
  ASSERT_FALSE(e2e.host.isEmpty()) << e2e.error;
  QTemporaryDir out;
  const QString dir = out.path() + QStringLiteral("/killed");
  QProcess engine;
  engine.setProcessChannelMode(QProcess::MergedChannels);
  engine.start(e2e.engine, {QStringLiteral("run"), QStringLiteral("-f"), fixture("scenarios/coupon.json"),
                            QStringLiteral("-H"), e2e.host, QStringLiteral("-u"), QStringLiteral("2"),
                            QStringLiteral("-r"), QStringLiteral("2"), QStringLiteral("-t"), QStringLiteral("60s"),
                            QStringLiteral("--out"), dir, QStringLiteral("-q")});
  ASSERT_TRUE(engine.waitForStarted(5000));
  const bool wrote_a_line = QTest::qWaitFor([&] { return QFileInfo(dir + QStringLiteral("/history.jsonl")).size() > 0; }, 15000);
  if (!wrote_a_line) engine.kill();
  ASSERT_TRUE(wrote_a_line) << engine.readAll().toStdString();

  MainWindow window;
  window.resize(1400, 900);
  window.show();
  const int row = window.openFolder(dir);
  const auto status = [&] { return window.runs()->index(row, RunListModel::Status).data().toString(); };
  EXPECT_EQ(status(), QStringLiteral("running"));
  EXPECT_EQ(window.followedRuns().size(), 1);
  ASSERT_NE(window.live()->follower(), nullptr);

  ::kill(static_cast<pid_t>(engine.processId()), SIGKILL);
  ASSERT_TRUE(engine.waitForFinished(5000));  // reaped: its pid is free
  EXPECT_TRUE(QTest::qWaitFor([&] { return status() == QStringLiteral("engine gone"); }, 5000)) << status().toStdString();
  EXPECT_TRUE(window.followedRuns().isEmpty());
  EXPECT_EQ(window.live()->follower()->status(), QStringLiteral("engine gone"));
  EXPECT_FALSE(window.live()->follower()->isFollowing());
  EXPECT_TRUE(window.runs()->run(row)->ok());
  EXPECT_FALSE(window.runs()->run(row)->result().history.empty());  // what it measured stays
}

// In a fresh checkout results/runs does not exist yet; the first run made there still shows.
TEST(MainWindow, ARootCreatedAfterStartIsRescanned) {
  QTemporaryDir tmp;
  const QString root = tmp.path() + QStringLiteral("/results/runs");
  MainWindow window;
  window.addRoot(root);
  EXPECT_EQ(window.runs()->rowCount(), 0);
  ASSERT_TRUE(testing::copy_run(testing::hash_run(), root + QStringLiteral("/first")));
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.runs()->rowCount() == 1; }, 5000));
  EXPECT_GE(window.runs()->rowOf(root + QStringLiteral("/first")), 0);
}

TEST(MainWindow, RunsDockStartsAtAFewRowsAndLeavesTheRestToTheCharts) {
  QSettings(QStringLiteral("stampede"), QStringLiteral("stampede-gui")).remove(QStringLiteral("windowState"));
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  QApplication::processEvents();
  const int row = window.runTable()->verticalHeader()->defaultSectionSize();
  EXPECT_LE(window.runTable()->height(), 9 * row) << "rows of " << row << " px";
  EXPECT_GE(window.runTable()->height(), 4 * row) << "rows of " << row << " px";
  EXPECT_GE(window.tabs()->height(), 700);
}

TEST(MainWindow, MainWindowOpensALabFolderForCompare) {
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
    const QImage image = settled_grab(&window);
    image.save(screenshot_dir() + QStringLiteral("/lab-window-%1.png").arg(window.tabs()->tabText(tab).toLower()));
    EXPECT_GE(measure(image, image.rect()).colours, 6);
  }
  // The overloaded run's failures (docs/failures.png is a copy).
  window.selectRuns({window.runs()->rowOf(testing::overload_run())});
  window.tabs()->setCurrentWidget(window.endpoints());
  window.endpoints()->tableTabs()->setCurrentIndex(1);
  const QImage failures = settled_grab(&window);
  failures.save(screenshot_dir() + QStringLiteral("/window-failures.png"));
  EXPECT_GT(window.endpoints()->failuresTable()->model()->rowCount(), 0);
  window.endpoints()->tableTabs()->setCurrentIndex(0);
  window.tabs()->setCurrentIndex(0);
  EXPECT_EQ(window.openPath(testing::lab_run("hash")), QList<int>{rows[0]});  // a run folder opens as before

  // results/labs as a root, as main() does it from a checkout.
  MainWindow fresh;
  fresh.addLabsRoot(testing::fixture("gui/tests/fixtures"));
  EXPECT_EQ(fresh.runs()->rowCount(), 3);
  EXPECT_EQ(fresh.runs()->index(0, RunListModel::Lab).data().toString(), QLatin1String(testing::kLabName));
}

TEST(MainWindow, MainWindowFollowsARunThatIsStillWrittenAndFindsNewFolders) {
  QTemporaryDir tmp;
  const QString root = tmp.path() + QStringLiteral("/runs");
  const QString dir = root + QStringLiteral("/20261203-100000-growing");
  const auto writer = begin_run_folder(dir, "growing");
  MainWindow window;
  show_on_overview(window);
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
  for (int t = 2; t <= 4; ++t) writer->append_history(history_line(t, 4));
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.overview()->charts()[0]->pointCount(QStringLiteral("users")) == 4; }, 5000));
  EXPECT_EQ(window.runs()->run(0)->result().history.size(), 4u);
  EXPECT_EQ(line_named(users, QStringLiteral("users")), users_line);
  EXPECT_DOUBLE_EQ(x->max(), zoomed_max);
  // Only the page in view follows; Endpoints catches up when it is shown.
  EXPECT_EQ(window.endpoints()->charts()[2]->pointCount(QStringLiteral("p50")), 1);
  window.tabs()->setCurrentWidget(window.endpoints());
  EXPECT_EQ(window.endpoints()->charts()[2]->pointCount(QStringLiteral("p50")), 4);
  // The endpoint picked before the refresh is still the one drawn.
  EXPECT_TRUE(window.endpoints()->charts()[2]->chart()->title().contains(QStringLiteral("(GET /)")))
      << window.endpoints()->charts()[2]->chart()->title().toStdString();

  // A folder that appears under the root later is listed by the rescan.
  const auto later = begin_run_folder(root + QStringLiteral("/20261203-100100-later"), "later", 1, 1, "complete");
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.runs()->rowCount() == 2; }, 6000));

  // The engine finishes: the row says so and following stops.
  writer->append_history(history_line(5, 4));
  writer->write_run_info(live_info("growing", "complete"));
  EXPECT_TRUE(QTest::qWaitFor([&] { return status() == QStringLiteral("complete"); }, 5000)) << status().toStdString();
  EXPECT_TRUE(QTest::qWaitFor([&] { return window.followedRuns().isEmpty(); }, 2000));
  EXPECT_EQ(window.overview()->charts()[0]->pointCount(QStringLiteral("users")), 5);
}

TEST(MainWindow, PagesNameTheRunTheyShow) {
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

TEST(MainWindow, RunListShowsWholeTargetsAndDates) {
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

TEST(MainWindow, MainWindowOpensRunsComparesAndSurvivesACorruptOne) {
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
    const QImage image = settled_grab(&window);
    EXPECT_EQ(image.width(), 1500);
    const QList<QList<ChartView*>> page_charts{window.overview()->charts(), window.endpoints()->charts(),
                                               window.shards()->charts(), window.compare()->charts(),
                                               window.live()->charts()};
    expect_axis_titles_fit(page_charts.value(tab), window.tabs()->tabText(tab).toStdString());
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

// A run started from the Live page joins the run list once its engine has written run.json
// (the folder may not exist yet when the start is announced) and is followed while running.
TEST(MainWindow, ARunStartedFromLiveJoinsTheListAndIsFollowed) {
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

// Dropping folders from a file manager: several at once are listed and selected together
// (Compare); a drag of plain files is refused.
TEST(MainWindow, DroppedFoldersAreOpenedAndComparedAndFilesAreRefused) {
  MainWindow window;
  window.resize(1200, 800);
  window.show();
  QMimeData folders;
  folders.setUrls({QUrl::fromLocalFile(testing::hash_run()), QUrl::fromLocalFile(testing::range_run()),
                   QUrl::fromLocalFile(testing::hash_run() + QStringLiteral("/run.json"))});
  const QPoint at(600, 400);
  QDragEnterEvent enter(at, Qt::CopyAction, &folders, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &enter);
  EXPECT_TRUE(enter.isAccepted());
  QDropEvent drop(at, Qt::CopyAction, &folders, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &drop);
  EXPECT_TRUE(drop.isAccepted());
  EXPECT_EQ(window.runs()->rowCount(), 2) << "the file is not a run";
  EXPECT_EQ(window.compare()->model()->runs().size(), 2);
  EXPECT_GE(window.runs()->rowOf(QFileInfo(testing::range_run()).canonicalFilePath()), 0);

  QMimeData files;
  files.setUrls({QUrl::fromLocalFile(testing::hash_run() + QStringLiteral("/stats.json")),
                 QUrl(QStringLiteral("https://example.com/run"))});
  QDragEnterEvent refused(at, Qt::CopyAction, &files, Qt::LeftButton, Qt::NoModifier);
  refused.setAccepted(false);
  QApplication::sendEvent(&window, &refused);
  EXPECT_FALSE(refused.isAccepted());
}

}  // namespace
}  // namespace stampede::gui
