// ChartView, the one chart widget every page uses: legend toggling, PNG export, zoom, pan
// and hover.
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QWheelEvent>
#include <QtCharts/QLegendMarker>
#include <gtest/gtest.h>

#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(ChartView, LegendClickTogglesASeriesAndPngExportWritesTheChart) {
  OverviewPage page;
  show_run(page, 900, 700, load(testing::hash_run()));
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

// The latency chart of the Overview page of a real run, shown at a fixed size.
struct Shown {
  OverviewPage page;
  ChartView* chart;
  QValueAxis* x;
  Shown() {
    page.resize(900, 700);
    page.setRun(load(testing::hash_run()));
    page.show();
    QApplication::processEvents();
    chart = page.charts()[1];
    x = qobject_cast<QValueAxis*>(chart->chart()->axes(Qt::Horizontal).value(0));
  }
  // Where the x value `at` is drawn, in viewport pixels (halfway down the plot).
  QPoint pixel(double at) const {
    const QRectF area = chart->chart()->plotArea();
    const double share = (at - x->min()) / (x->max() - x->min());
    return chart->mapFromScene(chart->chart()->mapToScene(
        QPointF(area.left() + share * area.width(), area.center().y())));
  }
};

void wheel(ChartView* chart, QPoint at, int delta) {
  QWheelEvent event(at, chart->viewport()->mapToGlobal(at), {}, {0, delta}, Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(chart->viewport(), &event);
}

TEST(ChartView, WheelZoomsAroundTheCursorAndDoubleClickResets) {
  Shown s;
  ASSERT_NE(s.x, nullptr);
  const double min = s.x->min(), max = s.x->max();
  const double under = min + 0.25 * (max - min);  // a quarter of the way along
  const QPoint at = s.pixel(under);
  wheel(s.chart, at, 120);
  EXPECT_LT(s.x->max() - s.x->min(), 0.9 * (max - min)) << "zoomed in";
  EXPECT_GT(s.x->min(), min);
  EXPECT_LT(s.x->max(), max);
  // The value under the cursor stays under it (within a pixel's worth).
  const double per_pixel = (s.x->max() - s.x->min()) / s.chart->chart()->plotArea().width();
  EXPECT_NEAR(s.x->min() + (s.x->max() - s.x->min()) * 0.25, under, 2 * per_pixel);
  wheel(s.chart, at, -120);
  EXPECT_NEAR(s.x->max() - s.x->min(), max - min, 0.01 * (max - min)) << "zoomed back out";

  wheel(s.chart, at, 120);
  QTest::mouseDClick(s.chart->viewport(), Qt::LeftButton, {}, at);
  EXPECT_DOUBLE_EQ(s.x->min(), min);
  EXPECT_DOUBLE_EQ(s.x->max(), max);
}

TEST(ChartView, ArrowKeysAndMiddleDragPanAndKeyZeroResets) {
  Shown s;
  const double min = s.x->min(), max = s.x->max();
  s.chart->setFocus();
  QTest::keyClick(s.chart, Qt::Key_Plus);
  const double width = s.x->max() - s.x->min();
  ASSERT_LT(width, max - min);
  const double zoomed_min = s.x->min();
  QTest::keyClick(s.chart, Qt::Key_Right);
  EXPECT_GT(s.x->min(), zoomed_min) << "the view moves right";
  EXPECT_NEAR(s.x->max() - s.x->min(), width, 1e-9 * width);

  // Dragging with the middle button left by 50 px moves the view right by 50 px of data.
  const double before = s.x->min();
  const QPoint from = s.pixel(s.x->min() + 0.5 * width);
  QTest::mousePress(s.chart->viewport(), Qt::MiddleButton, {}, from);
  QMouseEvent move(QEvent::MouseMove, from - QPoint(50, 0), s.chart->viewport()->mapToGlobal(from - QPoint(50, 0)),
                   Qt::NoButton, Qt::MiddleButton, Qt::NoModifier);
  QApplication::sendEvent(s.chart->viewport(), &move);
  QTest::mouseRelease(s.chart->viewport(), Qt::MiddleButton, {}, from - QPoint(50, 0));
  const double per_pixel = width / s.chart->chart()->plotArea().width();
  EXPECT_NEAR(s.x->min() - before, 50 * per_pixel, 2 * per_pixel);

  QTest::keyClick(s.chart, Qt::Key_0);
  EXPECT_DOUBLE_EQ(s.x->min(), min);
  EXPECT_DOUBLE_EQ(s.x->max(), max);
}

TEST(ChartView, HoveringALineShowsItsNameAndValues) {
  Shown s;
  auto* p95 = line_named(s.chart, QStringLiteral("p95"));
  ASSERT_NE(p95, nullptr);
  ASSERT_GT(p95->count(), 2);
  const QPointF point = p95->at(2);
  emit p95->hovered(point, true);
  const QString tip = QToolTip::text();
  EXPECT_TRUE(tip.startsWith(QStringLiteral("p95: "))) << tip.toStdString();
  EXPECT_TRUE(tip.contains(QString::number(point.x(), 'g', 5))) << tip.toStdString();
  EXPECT_TRUE(tip.contains(QString::number(point.y(), 'g', 5))) << tip.toStdString();
  emit p95->hovered(point, false);
  EXPECT_TRUE(QTest::qWaitFor([] { return !QToolTip::isVisible(); }, 2000));
}

// A page that rebuilds a chart for the same data carries over the zoom and hidden series;
// resetting then returns to the rebuilt chart's ranges, not the zoomed ones.
TEST(ChartView, RestoredViewKeepsZoomAndHiddenSeriesAndResetsToTheNewRanges) {
  Shown s;
  const double min = s.x->min(), max = s.x->max();
  wheel(s.chart, s.pixel(min + 0.5 * (max - min)), 120);
  s.chart->setSeriesHidden(QStringLiteral("p99"), true);
  const ChartView::View view = s.chart->view();
  EXPECT_TRUE(view.zoomed);
  EXPECT_EQ(view.hidden, QStringList{QStringLiteral("p99")});

  ChartView rebuilt(QStringLiteral("rebuilt"));
  QValueAxis* x = rebuilt.addValueAxis(Qt::AlignBottom, QStringLiteral("s"));
  QValueAxis* y = rebuilt.addValueAxis(Qt::AlignLeft, QStringLiteral("ms"));
  x->setRange(0, 20);
  y->setRange(0, 5);
  for (const char* name : {"p50", "p95", "p99"}) rebuilt.addLine({QLatin1String(name), {{1, 1}, {2, 2}}}, x, y);
  rebuilt.finishChart();
  rebuilt.restoreView(view);
  EXPECT_DOUBLE_EQ(x->min(), view.ranges[0].first.toDouble());
  EXPECT_DOUBLE_EQ(x->max(), view.ranges[0].second.toDouble());
  EXPECT_FALSE(line_named(&rebuilt, QStringLiteral("p99"))->isVisible());
  EXPECT_TRUE(line_named(&rebuilt, QStringLiteral("p95"))->isVisible());
  EXPECT_TRUE(rebuilt.view().zoomed) << "still zoomed for the next rebuild";
  rebuilt.resetZoom();
  EXPECT_DOUBLE_EQ(x->min(), 0);
  EXPECT_DOUBLE_EQ(x->max(), 20);
  EXPECT_FALSE(rebuilt.view().zoomed);
}

}  // namespace
}  // namespace stampede::gui
