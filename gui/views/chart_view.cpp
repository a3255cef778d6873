#include "gui/views/chart_view.h"

#include <QCursor>
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
constexpr qsizetype kMaxLabelledBars = 8;
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

}  // namespace stampede::gui
