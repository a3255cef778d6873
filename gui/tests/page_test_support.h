// What the page tests share: they render pages offscreen (QWidget::grab on the offscreen
// platform draws exactly what a screen would) and check the pictures are not blank, that
// series carry the expected points, and that different runs draw differently. The images
// are saved to $STAMPEDE_GUI_SCREENSHOTS (default <tmp>/stampede-gui-screenshots).
#pragma once

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QTest>
#include <QtCharts/QAreaSeries>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "gui/tests/fixtures.h"
#include "gui/tests/run_folder_writing.h"
#include "gui/views/main_window.h"
#include "results/result_folder.h"

namespace stampede::gui::testing {

inline QString screenshot_dir() {
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

inline Ink measure(const QImage& image, QRect area) {
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

// A grab after the first paint has settled: charts lay out when first painted, and the
// Overview and Live pages align their two plot areas on the event loop turn after that.
inline QImage settled_grab(QWidget* widget) {
  QApplication::processEvents();
  widget->grab();
  QTest::qWait(50);
  return widget->grab().toImage();
}

inline QImage render(ChartView* view, const QString& name) {
  QApplication::processEvents();
  const QImage image = view->grab().toImage();
  image.save(screenshot_dir() + QLatin1Char('/') + name + QStringLiteral(".png"));
  return image;
}

// Every y-axis title of the shown charts fits beside its plot (Qt elides it otherwise).
inline void expect_axis_titles_fit(const QList<ChartView*>& charts, const std::string& where) {
  for (ChartView* c : charts) {
    if (!c->isVisible()) continue;
    for (QAbstractAxis* axis : c->chart()->axes(Qt::Vertical)) {
      const int needed = QFontMetrics(axis->titleFont()).horizontalAdvance(axis->titleText());
      EXPECT_LE(needed, c->chart()->plotArea().height()) << where << ": " << axis->titleText().toStdString();
    }
  }
}

// The plot area must show drawn series in several colours, not just background and grid.
inline void expect_drawn(ChartView* view, const QString& name, int min_colours = 4) {
  const QImage image = render(view, name);
  ASSERT_FALSE(image.isNull());
  const QRect plot = view->chart()->plotArea().toRect();
  ASSERT_GT(plot.width(), 100) << name.toStdString();
  ASSERT_GT(plot.height(), 50) << name.toStdString();
  const Ink ink = measure(image, plot);
  EXPECT_GE(ink.colours, min_colours) << name.toStdString();
  EXPECT_GT(ink.inked, 0.005) << name.toStdString();
}

inline std::shared_ptr<const RunModel> load(const QString& dir) {
  return std::make_shared<const RunModel>(RunModel::load(dir));
}

// How most page tests start: `page` at width × height with `run` set, then shown.
template <typename Page>
void show_run(Page& page, int width, int height, std::shared_ptr<const RunModel> run) {
  page.resize(width, height);
  page.setRun(std::move(run));
  page.show();
}

inline QLineSeries* line_named(ChartView* view, const QString& name) {
  for (QAbstractSeries* s : view->chart()->series()) {
    if (s->name() == name) return qobject_cast<QLineSeries*>(s);
  }
  return nullptr;
}

// The requests a histogram chart (a QAreaSeries of steps, four points per bin) shows: the
// sum of its bins' heights, on a linear axis or a log one (an empty bin then stands at
// kLogCountFloor, below one request, and counts nothing).
inline std::uint64_t histogram_total(ChartView* view) {
  const QAreaSeries* area = nullptr;
  for (QAbstractSeries* s : view->chart()->series()) area = area ? area : qobject_cast<QAreaSeries*>(s);
  if (!area) return 0;
  double total = 0;
  for (int i = 1; i < area->upperSeries()->count(); i += 4) {
    const double y = area->upperSeries()->at(i).y();
    total += y >= 1 ? y : 0;
  }
  return static_cast<std::uint64_t>(total);
}

inline int busy_intervals(const RunModel& run) {
  int n = 0;
  for (const auto& p : run.result().history) n += p.total().requests > 0 ? 1 : 0;
  return n;
}

}  // namespace stampede::gui::testing
