// ChartView, the one chart widget every page uses: legend toggling, PNG export, zoom, pan
// and hover.
#include <QTemporaryDir>
#include <QtCharts/QLegendMarker>
#include <gtest/gtest.h>

#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(ChartView, LegendClickTogglesASeriesAndPngExportWritesTheChart) {
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

}  // namespace
}  // namespace stampede::gui
