// What a user does to a ChartView (chart_view.h): wheel and rubber-band zoom, key and
// middle-drag pan, reset, series hidden from the legend, all carried across a redraw
// (view/restoreView), and the context menu's PNG export.
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QtCharts/QBarLegendMarker>
#include <QtCharts/QBarSet>

#include "gui/views/chart_view.h"

namespace stampede::gui {

bool ChartView::exportPng(const QString& path) { return grab().save(path, "PNG"); }

ChartView::View ChartView::view() const {
  View v;
  v.zoomed = chart()->isZoomed() || !home_.isEmpty();
  for (QAbstractAxis* axis : chart()->axes()) v.ranges.append({axis->property("min"), axis->property("max")});
  for (QLegendMarker* marker : chart()->legend()->markers()) {
    if (marker->series()->property(kMarkerProperty).toBool()) continue;
    auto* bar_marker = qobject_cast<QBarLegendMarker*>(marker);
    const bool hidden = bar_marker ? bar_marker->barset()->property(kHiddenProperty).toBool()
                                   : !marker->series()->isVisible();
    if (hidden) v.hidden.append(marker->label());
  }
  return v;
}

void ChartView::restoreView(const View& v) {
  const QList<QAbstractAxis*> axes = chart()->axes();
  if (v.zoomed && v.ranges.size() == axes.size()) {
    QList<std::pair<QVariant, QVariant>> home;
    for (QAbstractAxis* axis : axes) home.append({axis->property("min"), axis->property("max")});
    for (qsizetype i = 0; i < axes.size(); ++i) axes[i]->setRange(v.ranges[i].first, v.ranges[i].second);
    home_ = home;
  }
  for (const QString& name : v.hidden) setSeriesHidden(name, true);
}

void ChartView::resetZoom() {
  chart()->zoomReset();
  const QList<QAbstractAxis*> axes = chart()->axes();
  if (home_.size() == axes.size()) {
    for (qsizetype i = 0; i < axes.size(); ++i) axes[i]->setRange(home_[i].first, home_[i].second);
  }
  home_.clear();
}

void ChartView::setSeriesHidden(const QString& name, bool hidden) {
  for (QLegendMarker* marker : chart()->legend()->markers()) {
    if (marker->label() != name || marker->series()->property(kMarkerProperty).toBool()) continue;
    auto* bar_marker = qobject_cast<QBarLegendMarker*>(marker);
    const bool now = bar_marker ? bar_marker->barset()->property(kHiddenProperty).toBool()
                                : !marker->series()->isVisible();
    if (now != hidden) emit marker->clicked();  // the legend's own toggle (finishChart)
  }
}

void ChartView::wheelEvent(QWheelEvent* event) {
  // Around the point under the cursor, which stays where it is; from outside the plot,
  // around its centre.
  const QRectF area = chart()->plotArea();
  const QPointF at = chart()->mapFromScene(mapToScene(event->position().toPoint()));
  const QPointF centre = area.contains(at) ? at : area.center();
  const double size = event->angleDelta().y() > 0 ? 0.8 : 1.25;
  chart()->zoomIn(QRectF(centre.x() - (centre.x() - area.left()) * size, centre.y() - (centre.y() - area.top()) * size,
                         area.width() * size, area.height() * size));
  event->accept();
}

void ChartView::keyPressEvent(QKeyEvent* event) {
  constexpr qreal kStep = 20;
  switch (event->key()) {
    case Qt::Key_Left: chart()->scroll(-kStep, 0); break;
    case Qt::Key_Right: chart()->scroll(kStep, 0); break;
    case Qt::Key_Up: chart()->scroll(0, kStep); break;
    case Qt::Key_Down: chart()->scroll(0, -kStep); break;
    case Qt::Key_Plus: chart()->zoomIn(); break;
    case Qt::Key_Minus: chart()->zoomOut(); break;
    case Qt::Key_0: resetZoom(); break;
    default: QChartView::keyPressEvent(event); return;
  }
  event->accept();
}

void ChartView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::MiddleButton) {
    panning_ = true;
    pan_from_ = event->pos();
    event->accept();
    return;
  }
  QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
  if (panning_) {
    const QPoint d = event->pos() - pan_from_;
    chart()->scroll(-d.x(), d.y());
    pan_from_ = event->pos();
    event->accept();
    return;
  }
  QChartView::mouseMoveEvent(event);
}

void ChartView::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::MiddleButton) {
    panning_ = false;
    event->accept();
    return;
  }
  QChartView::mouseReleaseEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
  resetZoom();
  event->accept();
}

void ChartView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Reset zoom"), this, [this] { resetZoom(); });
  menu.addAction(tr("Export PNG…"), this, [this] {
    // The title names the file; a '/' in it ("requests/s") would make it a folder.
    QString name = chart()->title();
    name.replace(QLatin1Char('/'), QStringLiteral(" per "));
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), name + QStringLiteral(".png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty()) exportPng(path);
  });
  menu.exec(event->globalPos());
}

}  // namespace stampede::gui
