// ChartView: the one chart widget every page uses. Adds to QChartView what the dashboard
// promises everywhere: rubber-band zoom, wheel zoom, middle-drag / arrow-key pan,
// double-click to reset, values on hover, series toggled by clicking their legend entry,
// and "Export PNG…" in the context menu. Views only; fed from model SeriesData.
// chart_view.cpp builds the chart (series, bars, legend toggles, title), chart_markers.cpp
// draws the stage markers, chart_interaction.cpp is what a user does to it (zoom, pan,
// reset, hidden series kept across redraws, export).
#pragma once

#include <QtCharts/QBarSeries>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include "gui/model/series.h"

namespace stampede::gui {

// One bar set: a name (legend) and one value per category.
struct BarSetData {
  QString name;
  QList<double> values;
};

class ChartView : public QChartView {
  Q_OBJECT
 public:
  explicit ChartView(const QString& title, QWidget* parent = nullptr);

  // Removes every series and axis (keeps the title).
  void clearChart();
  QValueAxis* addValueAxis(Qt::Alignment alignment, const QString& title);
  // Adds a line series attached to both axes; hover shows "name: x, y".
  QLineSeries* addLine(const SeriesData& data, QAbstractAxis* x, QAbstractAxis* y);
  // Grouped bars: one set per entry of `sets` over `categories`, y from 0 with room above
  // the tallest bar, values printed on the bars (up to 8 bars); hover shows "set, category:
  // value".
  // `y_cap` > 0 caps the axis (e.g. 100 for percentages).
  QBarSeries* addBars(const QStringList& categories, const QList<BarSetData>& sets, const QString& y_title,
                      double y_cap = 0);
  // Vertical dashed markers at each x (e.g. stage changes) spanning y's current range (y: a
  // QValueAxis or a QLogValueAxis);
  // they have no legend entry. `labels` (one per x, or none) are written at the top of the
  // plot beside each marker, stepped down a line when they would overlap.
  void addMarkers(const QList<double>& xs, QAbstractAxis* x, QAbstractAxis* y, const QStringList& labels = {});
  // Replaces the markers added before (live charts redraw them as the run grows).
  void setMarkers(const QList<double>& xs, QAbstractAxis* x, QAbstractAxis* y, const QStringList& labels = {});
  // The markers' labels, in order of x (for tests).
  QStringList markerLabels() const;
  // Wires the legend toggles (a line series hides; a bar set turns transparent); call after
  // the last series is added.
  void finishChart();
  // Message shown in the title and across the empty plot (e.g. "no shard data in this
  // run"); empty clears it. clearChart() clears it too.
  void setPlaceholder(const QString& text);
  // What the chart shows (e.g. the run's label), put in front of the title; kept by
  // clearChart(). Empty removes it.
  void setSubject(const QString& subject);
  // The title itself (without subject or placeholder).
  void setTitle(const QString& title);
  QString placeholder() const { return placeholder_; }

  bool exportPng(const QString& path);

  // What a user changed on the chart: the axes' ranges once zoomed or panned, and the
  // series (or bar sets) hidden from the legend. A page that rebuilds a chart for the same
  // data (a followed run's new lines) carries it over with restoreView(); a reset zoom
  // then goes back to the rebuilt chart's own ranges.
  struct View {
    bool zoomed = false;
    QList<std::pair<QVariant, QVariant>> ranges;  // per axis, in chart()->axes() order
    QStringList hidden;
  };
  View view() const;
  void restoreView(const View& view);
  // Back to the ranges the chart was drawn with (double-click, key 0, "Reset zoom").
  void resetZoom();
  // As clicking the legend entry of the series or bar set named `name`.
  void setSeriesHidden(const QString& name, bool hidden);

  // For tests and export: names of series shown in the legend, and a series' point count
  // (-1 when there is no such series); a bar set's values (empty when there is none).
  QStringList seriesNames() const;
  int pointCount(const QString& series_name) const;
  QList<double> barValues(const QString& set_name) const;

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  void updateTitle();
  void drawMarkerLabels(QPainter* painter);
  // The marker lines with their labels, left to right.
  QList<std::pair<QLineSeries*, QString>> markers() const;

  // Dynamic properties: a series that is a stage marker (and its label), a bar set hidden
  // from the legend (and the colours it had).
  static constexpr const char* kMarkerProperty = "stampede_marker";
  static constexpr const char* kMarkerLabelProperty = "stampede_marker_label";
  static constexpr const char* kHiddenProperty = "stampede_hidden";
  static constexpr const char* kColourProperty = "stampede_colour";

  QString base_title_;
  QString subject_;
  QString placeholder_;
  QPoint pan_from_;
  bool panning_ = false;
  QList<std::pair<QVariant, QVariant>> home_;  // ranges before restoreView() zoomed
};

}  // namespace stampede::gui
