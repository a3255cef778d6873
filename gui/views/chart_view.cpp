#include "gui/views/chart_view.h"

#include <QContextMenuEvent>
#include <QCursor>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QFileDialog>
#include <QGraphicsSimpleTextItem>
#include <QMenu>
#include <QPainter>
#include <QToolTip>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarLegendMarker>
#include <QtCharts/QBarSet>
#include <QtCharts/QLegendMarker>
#include <algorithm>
#include <cmath>
#include <QtCharts/QXYSeries>

namespace stampede::gui {

namespace {
constexpr const char* kMarkerProperty = "stampede_marker";
constexpr const char* kMarkerLabelProperty = "stampede_marker_label";
constexpr qsizetype kMaxLabelledBars = 8;
constexpr const char* kHiddenProperty = "stampede_hidden";
constexpr const char* kColourProperty = "stampede_colour";
}  // namespace

ChartView::ChartView(const QString& title, QWidget* parent) : QChartView(new QChart, parent), base_title_(title) {
  chart()->setTitle(title);
  chart()->legend()->setAlignment(Qt::AlignBottom);
  chart()->setAnimationOptions(QChart::NoAnimation);
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::RectangleRubberBand);
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(320, 220);
  // QGraphicsView takes drags (its scene accepts every DragEnter, then refuses the move):
  // folders dropped on a chart would be lost instead of reaching the window, which opens them.
  setAcceptDrops(false);
  viewport()->setAcceptDrops(false);
}

void ChartView::clearChart() {
  // A fresh QChart rather than removing axes: Qt Charts 6.4 leaves the removed axes' labels
  // painted over the new ones.
  QChart* old = chart();
  auto* fresh = new QChart;
  fresh->legend()->setAlignment(Qt::AlignBottom);
  fresh->setAnimationOptions(QChart::NoAnimation);
  setChart(fresh);
  old->deleteLater();
  home_.clear();
  placeholder_.clear();
  updateTitle();
}

void ChartView::updateTitle() {
  QString title = subject_.isEmpty() ? base_title_ : subject_ + QStringLiteral(": ") + base_title_;
  if (!placeholder_.isEmpty()) title += QStringLiteral(" — ") + placeholder_;
  chart()->setTitle(title);
}

void ChartView::setTitle(const QString& title) {
  base_title_ = title;
  updateTitle();
}

void ChartView::setSubject(const QString& subject) {
  subject_ = subject;
  updateTitle();
}

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

QValueAxis* ChartView::addValueAxis(Qt::Alignment alignment, const QString& title) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setLabelFormat(QStringLiteral("%g"));
  chart()->addAxis(axis, alignment);
  return axis;
}

QLineSeries* ChartView::addLine(const SeriesData& data, QAbstractAxis* x, QAbstractAxis* y) {
  auto* series = new QLineSeries;
  series->setName(data.name);
  series->append(data.points);
  chart()->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);
  connect(series, &QXYSeries::hovered, this, [this, series](const QPointF& p, bool state) {
    if (!state) {
      QToolTip::hideText();
      return;
    }
    QToolTip::showText(QCursor::pos(), QStringLiteral("%1: x %2, y %3")
                                           .arg(series->name())
                                           .arg(p.x(), 0, 'g', 5)
                                           .arg(p.y(), 0, 'g', 5), this);
  });
  return series;
}

QBarSeries* ChartView::addBars(const QStringList& categories, const QList<BarSetData>& sets, const QString& y_title,
                               double y_cap) {
  auto* series = new QBarSeries;
  double top = 0;
  for (const BarSetData& data : sets) {
    auto* set = new QBarSet(data.name);
    for (double v : data.values) {
      set->append(v);
      top = std::max(top, v);
    }
    series->append(set);
  }
  chart()->addSeries(series);
  auto* x = new QBarCategoryAxis;
  x->append(categories);
  chart()->addAxis(x, Qt::AlignBottom);
  series->attachAxis(x);
  QValueAxis* y = addValueAxis(Qt::AlignLeft, y_title);
  y->setRange(0, top > 0 ? top * 1.1 : 1.0);
  y->applyNiceNumbers();
  if (y_cap > 0 && y->max() > y_cap) {
    y->setMax(y_cap);
    y->setTickCount(6);  // 0, 20, ... 100 rather than thirds
  }
  series->attachAxis(y);
  // Values on the bars while they are wide enough to hold them (hover and the page's table
  // give them otherwise); enough significant digits that 1010 does not print as 1.01e+03.
  series->setLabelsVisible(sets.size() * categories.size() <= kMaxLabelledBars);
  series->setLabelsFormat(QStringLiteral("@value"));
  series->setLabelsPrecision(std::max(3, top >= 1 ? static_cast<int>(std::floor(std::log10(top))) + 1 : 3));
  connect(series, &QBarSeries::hovered, this, [this, categories](bool state, int index, QBarSet* set) {
    if (!state) {
      QToolTip::hideText();
      return;
    }
    QToolTip::showText(QCursor::pos(), QStringLiteral("%1, %2: %3")
                                           .arg(set->label(), categories.value(index))
                                           .arg(set->at(index), 0, 'g', 6), this);
  });
  return series;
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

void ChartView::finishChart() {
  for (QLegendMarker* marker : chart()->legend()->markers()) {
    if (marker->series()->property(kMarkerProperty).toBool()) {
      marker->setVisible(false);
      continue;
    }
    if (auto* bar_marker = qobject_cast<QBarLegendMarker*>(marker)) {
      // A bar set cannot be hidden on its own (only its whole series): make it transparent.
      connect(bar_marker, &QLegendMarker::clicked, this, [bar_marker] {
        QBarSet* set = bar_marker->barset();
        const bool hide = !set->property(kHiddenProperty).toBool();
        set->setProperty(kHiddenProperty, hide);
        if (hide) {
          set->setProperty(kColourProperty, QVariantList{set->brush(), set->pen(), set->labelBrush()});
          set->setBrush(Qt::NoBrush);
          set->setPen(Qt::NoPen);
          set->setLabelBrush(Qt::NoBrush);
        } else {
          const QVariantList saved = set->property(kColourProperty).toList();
          set->setBrush(saved.value(0).value<QBrush>());
          set->setPen(saved.value(1).value<QPen>());
          set->setLabelBrush(saved.value(2).value<QBrush>());
        }
        bar_marker->setVisible(true);
        QColor label = bar_marker->labelBrush().color();
        label.setAlphaF(hide ? 0.4 : 1.0);
        bar_marker->setLabelBrush(label);
      });
      continue;
    }
    connect(marker, &QLegendMarker::clicked, this, [marker] {
      QAbstractSeries* series = marker->series();
      series->setVisible(!series->isVisible());
      marker->setVisible(true);  // hiding a series hides its marker: keep it to toggle back
      QColor label = marker->labelBrush().color();
      label.setAlphaF(series->isVisible() ? 1.0 : 0.4);
      marker->setLabelBrush(label);
    });
  }
}

void ChartView::setPlaceholder(const QString& text) {
  placeholder_ = text;
  updateTitle();
  viewport()->update();
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

bool ChartView::exportPng(const QString& path) { return grab().save(path, "PNG"); }

QStringList ChartView::seriesNames() const {
  QStringList names;
  for (QAbstractSeries* s : chart()->series()) {
    if (!s->property(kMarkerProperty).toBool()) names.append(s->name());
  }
  return names;
}

int ChartView::pointCount(const QString& series_name) const {
  for (QAbstractSeries* s : chart()->series()) {
    if (s->name() != series_name || s->property(kMarkerProperty).toBool()) continue;
    if (auto* xy = qobject_cast<QXYSeries*>(s)) return static_cast<int>(xy->count());
  }
  return -1;
}

QList<double> ChartView::barValues(const QString& set_name) const {
  for (QAbstractSeries* s : chart()->series()) {
    auto* bars = qobject_cast<QBarSeries*>(s);
    if (!bars) continue;
    for (QBarSet* set : bars->barSets()) {
      if (set->label() != set_name) continue;
      QList<double> values;
      for (int i = 0; i < set->count(); ++i) values.append(set->at(i));
      return values;
    }
  }
  return {};
}

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
