// The Compare page: runs overlaid per metric, and a lab's shards side by side.
#include <QGraphicsRectItem>
#include <QGraphicsTextItem>
#include <QHeaderView>
#include <QRegularExpression>
#include <QtCharts/QBarLegendMarker>
#include <QtCharts/QLegendMarker>
#include <cmath>
#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

// A main window of the size the README's screenshots have, showing Compare for `dirs`.
struct CompareWindow {
  MainWindow window;
  explicit CompareWindow(const QStringList& dirs) {
    window.resize(1500, 1000);
    window.show();
    QList<int> rows;
    for (const QString& dir : dirs) rows += window.openPath(dir);
    window.selectRuns(rows);
    for (int tab = 0; tab < window.tabs()->count(); ++tab) {
      if (window.tabs()->widget(tab) == window.compare()) window.tabs()->setCurrentIndex(tab);
    }
    QApplication::processEvents();
  }
  ComparePage* page() const { return window.compare(); }
};

// Every row and column of `table` is inside its viewport: nothing to scroll to.
void expect_whole(QTableView* table, const char* what) {
  ASSERT_GT(table->model()->rowCount(), 0) << what;
  EXPECT_GE(table->viewport()->height(), table->verticalHeader()->length()) << what;
  EXPECT_GE(table->viewport()->width(), table->horizontalHeader()->length()) << what;
  const int last = table->model()->rowCount() - 1;
  EXPECT_LE(table->rowViewportPosition(last) + table->rowHeight(last), table->viewport()->height()) << what;
  EXPECT_EQ(table->rowViewportPosition(0), 0) << what;  // not scrolled either
}

// A value label Qt Charts drew on a bar chart, with the bar it belongs to, in scene
// coordinates; `ink` is the text itself (the item's box has a margin around it).
struct BarLabel {
  QString text;
  QRectF ink;
  QRectF bar;
};

// The bars are the rect items standing on the plot's bottom edge; their labels are the
// visible text items beside them under the same chart item.
QList<BarLabel> bar_labels(ChartView* view) {
  const QRectF plot = view->chart()->mapRectToScene(view->chart()->plotArea());
  QList<QRectF> bars;
  QGraphicsItem* parent = nullptr;
  for (QGraphicsItem* item : view->scene()->items()) {
    auto* rect = dynamic_cast<QGraphicsRectItem*>(item);
    if (!rect || !rect->isVisible()) continue;
    const QRectF r = rect->sceneBoundingRect();
    if (r.height() < 1 || !plot.adjusted(-2, -2, 2, 2).contains(r) || std::abs(r.bottom() - plot.bottom()) > 2) continue;
    bars.append(r);
    parent = item->parentItem();
  }
  QList<BarLabel> labels;
  if (!parent) return labels;
  for (QGraphicsItem* child : parent->childItems()) {
    auto* text = dynamic_cast<QGraphicsTextItem*>(child);
    if (!text || !text->isVisible()) continue;
    const QFontMetricsF metrics(text->font());
    BarLabel label{text->toPlainText(), {}, {}};
    const QPointF centre = text->sceneBoundingRect().center();
    label.ink = QRectF(0, 0, metrics.horizontalAdvance(label.text), metrics.height());
    label.ink.moveCenter(centre);
    for (const QRectF& bar : bars) {
      if (bar.left() <= centre.x() && centre.x() <= bar.right()) label.bar = bar;
    }
    labels.append(label);
  }
  return labels;
}

// Labels, when there are any, are short numbers above their own bar, no wider than it,
// inside the plot and clear of each other.
void expect_readable_labels(ChartView* view, const char* what) {
  const QRectF plot = view->chart()->mapRectToScene(view->chart()->plotArea());
  const QList<BarLabel> labels = bar_labels(view);
  static const QRegularExpression number(QStringLiteral("^\\d+(\\.\\d)?$"));
  for (qsizetype i = 0; i < labels.size(); ++i) {
    const BarLabel& l = labels[i];
    const std::string at = std::string(what) + " label " + l.text.toStdString();
    EXPECT_TRUE(number.match(l.text).hasMatch()) << at;
    ASSERT_FALSE(l.bar.isNull()) << at;
    EXPECT_LE(l.ink.width(), l.bar.width()) << at;
    EXPECT_LE(l.ink.bottom(), l.bar.top() + 1) << at;  // above the bar, not over its colour
    EXPECT_TRUE(plot.adjusted(-1, -1, 1, 1).contains(l.ink)) << at;
    for (qsizetype j = 0; j < i; ++j) EXPECT_FALSE(l.ink.intersects(labels[j].ink)) << at;
  }
}

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
      w.append(std::round(1000.0 * *m->writeShare(run, k)) / 10);  // to the table's one decimal
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

  EXPECT_FALSE(rows->isHidden());
}

// Without any server.json the rows chart is not drawn at all (no chart slot spent on "no
// data"): one line of text says why, the rows columns leave the shard table, and the four
// other charts take the room. With one run's server.json it is back, with that run only.
TEST(ComparePage, RowsChartOnlyWhenARunHasAServerReport) {
  ComparePage page;
  page.resize(1480, 700);
  page.show();
  ChartView* rows = page.charts()[4];
  page.setRuns({load(testing::lab_run("hash")), load(testing::lab_run("range")), load(testing::lab_run("time"))});
  QApplication::processEvents();
  ASSERT_FALSE(rows->isHidden());
  for (const char* name : {"hash", "range", "time"}) EXPECT_EQ(rows->barValues(QLatin1String(name)).size(), 4) << name;
  const int narrow = page.charts()[0]->width();
  EXPECT_FALSE(page.shardNote()->text().contains(QStringLiteral("server.json")));

  page.setRuns({load(testing::hash_run()), load(testing::range_run())});
  QApplication::processEvents();
  EXPECT_TRUE(rows->isHidden());
  EXPECT_TRUE(rows->chart()->series().isEmpty());
  EXPECT_EQ(page.charts()[3]->barValues(QStringLiteral("coupon-range")).size(), 4);
  const QString said = page.shardNote()->text().section(QLatin1Char('\n'), 0, 0);  // one line
  EXPECT_TRUE(said.contains(QStringLiteral("server.json")) && said.contains(QStringLiteral("stampede lab")))
      << said.toStdString();
  EXPECT_TRUE(page.shardNote()->isVisible());
  EXPECT_GT(page.charts()[0]->width(), narrow * 1.3);  // two charts a row instead of three
  const ShardCompareModel* m = page.shardModel();
  for (int run = 0; run < m->runCount(); ++run) {
    EXPECT_FALSE(page.shardTable()->isColumnHidden(1 + run));  // write shares stay
    EXPECT_TRUE(page.shardTable()->isColumnHidden(1 + m->runCount() + run));  // rows would all be "—"
  }

  page.setRuns({load(testing::lab_run("hash")), load(testing::range_run())});
  QApplication::processEvents();
  EXPECT_FALSE(rows->isHidden());
  EXPECT_EQ(rows->barValues(QStringLiteral("hash")).size(), 4);
  EXPECT_TRUE(rows->barValues(QStringLiteral("coupon-range")).isEmpty());
  EXPECT_TRUE(page.shardNote()->text().contains(QStringLiteral("coupon-range")));
  EXPECT_FALSE(page.shardTable()->isColumnHidden(4));  // coupon-range rows: "—" beside hash's
}

// At the README's 1500×1000 window every diff and shard row is on screen, and the shard
// table of a three-run lab is not cut on the right.
TEST(ComparePage, TablesShowEveryRowInTheWindow) {
  {
    CompareWindow lab({testing::lab_folder()});
    ASSERT_EQ(lab.page()->model()->runs().size(), 3);
    EXPECT_EQ(lab.page()->diffTable()->model()->rowCount(), CompareModel::Average + 1);
    expect_whole(lab.page()->diffTable(), "lab diff table");
    expect_whole(lab.page()->shardTable(), "lab shard table");
  }
  CompareWindow by_hand({testing::hash_run(), testing::range_run()});
  ASSERT_EQ(by_hand.page()->model()->runs().size(), 2);
  expect_whole(by_hand.page()->diffTable(), "diff table");
  expect_whole(by_hand.page()->shardTable(), "shard table");
}

// The window's first size (1400 × 900, what it opens at without a saved layout), with a
// lab's three runs and an open-model run: all fourteen diff rows and every shard row are on
// screen.
TEST(ComparePage, TablesShowEveryRowAtTheFirstWindowSize) {
  MainWindow window;
  window.resize(1400, 900);
  window.show();
  QList<int> rows = window.openPath(testing::open_run());
  rows += window.openPath(testing::lab_folder());
  window.selectRuns(rows);
  window.tabs()->setCurrentWidget(window.compare());
  QApplication::processEvents();
  ComparePage* page = window.compare();
  ASSERT_EQ(page->model()->runs().size(), 4);
  EXPECT_EQ(page->diffTable()->model()->rowCount(), CompareModel::Average + 1 + 4);
  // Rows only: four runs' columns are wider than the tables' third of 1400 px (README, Known gaps).
  for (QTableView* table : {page->diffTable(), page->shardTable()}) {
    const int last = table->model()->rowCount() - 1;
    ASSERT_GE(last, 0);
    EXPECT_GE(table->viewport()->height(), table->verticalHeader()->length());
    EXPECT_LE(table->rowViewportPosition(last) + table->rowHeight(last), table->viewport()->height());
    EXPECT_EQ(table->rowViewportPosition(0), 0);
  }
}

// Bar values have one decimal at most, sit above their bar and fit it; when they would
// not (three runs' narrow bars), they are off rather than spilling over each other.
TEST(ComparePage, BarLabelsFitTheirBars) {
  {
    CompareWindow by_hand({testing::hash_run(), testing::range_run()});
    ChartView* writes = by_hand.page()->charts()[3];
    int bars = 0;
    for (double v : writes->barValues(QStringLiteral("coupon-hash")) + writes->barValues(QStringLiteral("coupon-range"))) {
      bars += v > 0 ? 1 : 0;
    }
    // Two runs' bars are wide enough at this size: every one carries its value.
    EXPECT_EQ(bar_labels(writes).size(), bars);
    expect_readable_labels(writes, "two runs' writes");
    // Narrower (a smaller window): the labels go rather than overflow.
    by_hand.window.resize(900, 700);
    QApplication::processEvents();
    expect_readable_labels(writes, "narrow writes");
  }
  CompareWindow lab({testing::lab_folder()});
  expect_readable_labels(lab.page()->charts()[3], "lab writes");
  expect_readable_labels(lab.page()->charts()[4], "lab rows");
  EXPECT_FALSE(bar_labels(lab.page()->charts()[4]).isEmpty());  // row counts are short enough
}

// A followed run is re-read about once a second: the same runs again keep what the user did
// to the charts; other runs start afresh.
TEST(ComparePage, TheSameRunsReReadKeepZoomAndHiddenSeries) {
  ComparePage page;
  page.resize(1500, 900);
  page.show();
  page.setRuns({load(testing::live_run()), load(testing::hash_run())});
  QApplication::processEvents();
  ChartView* rps = page.charts()[0];
  ChartView* p95 = page.charts()[1];
  const QStringList names = p95->seriesNames();
  ASSERT_EQ(names.size(), 2);
  p95->setSeriesHidden(names[1], true);
  rps->chart()->zoom(2.0);
  const auto zoomed = rps->view().ranges;

  page.setRuns({load(testing::live_run()), load(testing::hash_run())});
  EXPECT_EQ(page.charts()[1]->view().hidden, QStringList{names[1]});
  EXPECT_TRUE(page.charts()[0]->view().zoomed);
  EXPECT_EQ(page.charts()[0]->view().ranges, zoomed);

  page.setRuns({load(testing::hash_run()), load(testing::live_run())});  // another baseline
  EXPECT_TRUE(page.charts()[1]->view().hidden.isEmpty());
  EXPECT_FALSE(page.charts()[0]->view().zoomed);
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
