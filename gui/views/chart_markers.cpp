// ChartView's stage markers: dashed vertical lines without a legend entry, their labels
// written at the top of the plot (chart_view.h).
#include <QPainter>
#include <QtCharts/QLegendMarker>
#include <algorithm>

#include "gui/views/chart_view.h"

namespace stampede::gui {

void ChartView::drawMarkerLabels(QPainter* painter) {
  const QRectF area = chart()->plotArea();
  const QFontMetricsF metrics(painter->font());
  QList<std::pair<double, QString>> at;  // scene x, label
  for (const auto& [line, label] : markers()) {
    if (label.isEmpty() || !line->isVisible()) continue;
    const QPointF p = chart()->mapToScene(chart()->mapToPosition(line->at(0), line));
    if (p.x() < area.left() - 0.5 || p.x() > area.right() + 0.5) continue;  // zoomed out of view
    at.append({p.x(), label});
  }
  painter->save();
  painter->setPen(QColor(0x50, 0x50, 0x50));
  QList<double> row_end;  // per text line: where it is free again
  for (const auto& [x, label] : at) {
    const double width = metrics.horizontalAdvance(label);
    double left = x + 3;
    if (left + width > area.right()) left = x - 3 - width;  // no room right of the line
    qsizetype row = 0;
    while (row < row_end.size() && left < row_end[row]) ++row;
    if (row == row_end.size()) row_end.append(0);
    row_end[row] = left + width + 6;
    painter->drawText(QPointF(left, area.top() + metrics.ascent() + 2 + static_cast<double>(row) * metrics.height()),
                      label);
  }
  painter->restore();
}

void ChartView::drawForeground(QPainter* painter, const QRectF& rect) {
  QChartView::drawForeground(painter, rect);
  drawMarkerLabels(painter);
  if (placeholder_.isEmpty()) return;
  // Across the plot too: a chart without data must not look like one with zeros.
  painter->save();
  painter->setPen(QColor(0x60, 0x60, 0x60));
  QRectF area = chart()->plotArea();
  if (area.width() < 50 || area.height() < 30) area = sceneRect();
  painter->drawText(area.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
  painter->restore();
}

void ChartView::addMarkers(const QList<double>& xs, QAbstractAxis* x, QAbstractAxis* y, const QStringList& labels) {
  // Both value axes and log axes have these properties.
  const double y_min = y->property("min").toDouble(), y_max = y->property("max").toDouble();
  for (qsizetype i = 0; i < xs.size(); ++i) {
    const double at = xs[i];
    auto* line = new QLineSeries;
    line->setName(QStringLiteral("marker"));
    line->setProperty(kMarkerProperty, true);
    line->setProperty(kMarkerLabelProperty, labels.value(i));
    line->append(at, y_min);
    line->append(at, y_max);
    QPen pen(Qt::gray);
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    chart()->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    for (QLegendMarker* m : chart()->legend()->markers(line)) m->setVisible(false);
  }
}

void ChartView::setMarkers(const QList<double>& xs, QAbstractAxis* x, QAbstractAxis* y, const QStringList& labels) {
  for (QAbstractSeries* s : chart()->series()) {
    if (!s->property(kMarkerProperty).toBool()) continue;
    chart()->removeSeries(s);
    delete s;
  }
  addMarkers(xs, x, y, labels);
}

QList<std::pair<QLineSeries*, QString>> ChartView::markers() const {
  QList<std::pair<QLineSeries*, QString>> found;
  for (QAbstractSeries* s : chart()->series()) {
    auto* line = qobject_cast<QLineSeries*>(s);
    if (line && s->property(kMarkerProperty).toBool() && line->count() > 0)
      found.append({line, s->property(kMarkerLabelProperty).toString()});
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first->at(0).x() < b.first->at(0).x(); });
  return found;
}

QStringList ChartView::markerLabels() const {
  QStringList labels;
  for (const auto& marker : markers()) labels.append(marker.second);
  return labels;
}

}  // namespace stampede::gui
