#include "gui/views/heat_map_widget.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QHelpEvent>
#include <QMenu>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace stampede::gui {

namespace {
constexpr int kLeftMargin = 70;
constexpr int kTopMargin = 24;
constexpr int kBottomMargin = 40;
constexpr int kRightMargin = 78;  // the colour scale and its labels
constexpr int kScaleWidth = 14;

// Pale yellow (fast, t = 0) to dark red (slow, t = 1).
QColor heat_colour(double t) { return QColor::fromHsvF(0.16 * (1.0 - t), 0.25 + 0.75 * t, 1.0 - 0.45 * t); }

// "POST /api/coupon/grab [Hot Room]" from an endpoint key, fitted to about `width` of text
// (word-wrapped under the column, that is two or three lines): the method is always kept
// whole, so GET and POST of one name stay apart; the name is elided in the middle, keeping
// its start and its [label].
QString column_label(const QString& key, const QFontMetrics& fm, int width) {
  const QString method = key.section(QLatin1Char(' '), 0, 0) + QLatin1Char(' ');
  const QString name = key.section(QLatin1Char(' '), 1);
  return method + fm.elidedText(name, Qt::ElideMiddle, std::max(0, width - fm.horizontalAdvance(method)));
}
}  // namespace

HeatMapWidget::HeatMapWidget(QWidget* parent) : QWidget(parent) {
  setMinimumSize(320, 180);
  setMouseTracking(true);
}

void HeatMapWidget::setMatrix(ShardMatrix matrix) {
  matrix_ = std::move(matrix);
  update();
}

QRectF HeatMapWidget::cellRect(int row, int column) const {
  const double w = (width() - kLeftMargin - kRightMargin - 8.0) / std::max<qsizetype>(1, matrix_.endpoints.size());
  const double h = (height() - kTopMargin - kBottomMargin) / std::max<qsizetype>(1, matrix_.shards.size());
  return {kLeftMargin + column * w, kTopMargin + row * h, w, h};
}

void HeatMapWidget::setSubject(const QString& subject) {
  subject_ = subject;
  update();
}

QFont HeatMapWidget::labelFont() const {
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  return small;
}

QStringList HeatMapWidget::columnLabels() const {
  QStringList labels;
  const QFontMetrics fm(labelFont());
  for (int c = 0; c < matrix_.endpoints.size(); ++c)
    labels.append(column_label(matrix_.endpoints[c], fm, static_cast<int>(cellRect(0, c).width() * 2)));
  return labels;
}

QString HeatMapWidget::title() const {
  const QString base = tr("p95 shard time (ms), shard × endpoint");
  return subject_.isEmpty() ? base : subject_ + QStringLiteral(": ") + base;
}

bool HeatMapWidget::exportPng(const QString& path) { return grab().save(path, "PNG"); }

QRectF HeatMapWidget::scaleRect() const {
  if (matrix_.shards.isEmpty()) return {};
  return {width() - kRightMargin + 10.0, kTopMargin + 4.0, static_cast<double>(kScaleWidth),
          std::max(10.0, height() - kTopMargin - kBottomMargin - 8.0)};
}

void HeatMapWidget::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Export PNG…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export heat map"), title() + QStringLiteral(".png"),
                                                      tr("PNG images (*.png)"));
    if (!path.isEmpty()) exportPng(path);
  });
  menu.exec(event->globalPos());
}

void HeatMapWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::white);
  p.drawText(QRect(0, 0, width(), kTopMargin), Qt::AlignCenter, title());
  if (matrix_.shards.isEmpty()) {
    p.drawText(rect(), Qt::AlignCenter, tr("no shard data in this run"));
    return;
  }
  double lo = INFINITY, hi = 0;
  for (const auto& row : matrix_.p95_ms) {
    for (double v : row) {
      if (std::isnan(v) || v <= 0) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  const double span = hi > lo ? std::log(hi / lo) : 1.0;
  p.setFont(labelFont());
  for (int r = 0; r < matrix_.shards.size(); ++r) {
    const QRectF label(0, cellRect(r, 0).top(), kLeftMargin - 6, cellRect(r, 0).height());
    p.setPen(Qt::black);
    p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, tr("shard %1").arg(matrix_.shards[r]));
    for (int c = 0; c < matrix_.endpoints.size(); ++c) {
      const QRectF cell = cellRect(r, c).adjusted(1, 1, -1, -1);
      const double v = matrix_.p95_ms[r][c];
      if (std::isnan(v)) {
        p.fillRect(cell, QColor(0xe0, 0xe0, 0xe0));
        continue;
      }
      const double t = v > 0 && hi > lo ? std::log(v / lo) / span : 0.0;
      // Pale yellow (fast) to dark red (slow).
      p.fillRect(cell, heat_colour(t));
      p.setPen(t > 0.6 ? Qt::white : Qt::black);
      p.drawText(cell, Qt::AlignCenter, QString::number(v, 'g', 3));
    }
  }
  // The colour scale: log from the fastest to the slowest cell, labelled at both ends and
  // the middle; grey (never touched) under it.
  if (hi > 0) {
    const QRectF bar = scaleRect();
    constexpr int kSteps = 48;
    for (int i = 0; i < kSteps; ++i) {
      const double t = 1.0 - (i + 0.5) / kSteps;  // top = slow
      p.fillRect(QRectF(bar.left(), bar.top() + bar.height() * i / kSteps, bar.width(), bar.height() / kSteps + 0.5),
                 heat_colour(t));
    }
    p.setPen(Qt::black);
    p.drawRect(bar);
    const double mid = hi > lo ? std::sqrt(lo * hi) : hi;
    const auto label = [&](double y, double v) {
      p.drawText(QRectF(bar.right() + 3, y - 8, kRightMargin - kScaleWidth - 12, 16), Qt::AlignLeft | Qt::AlignVCenter,
                 QString::number(v, 'g', 3));
    };
    label(bar.top(), hi);
    if (hi > lo) {
      label(bar.center().y(), mid);
      label(bar.bottom(), lo);
    }
    const QRectF grey(bar.left(), bar.bottom() + 6, bar.width(), 10);
    p.fillRect(grey, QColor(0xe0, 0xe0, 0xe0));
    p.drawText(QRectF(grey.right() + 3, grey.top() - 3, kRightMargin - kScaleWidth - 12, 16),
               Qt::AlignLeft | Qt::AlignVCenter, tr("none"));
  }
  p.setPen(Qt::black);
  const QStringList labels = columnLabels();
  for (int c = 0; c < labels.size(); ++c) {
    const QRectF cell = cellRect(static_cast<int>(matrix_.shards.size()) - 1, c);
    const QRectF label(cell.left(), cell.bottom() + 2, cell.width(), kBottomMargin - 4);
    p.drawText(label, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, labels[c]);
  }
}

bool HeatMapWidget::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    const auto* help = static_cast<QHelpEvent*>(event);
    for (int r = 0; r < matrix_.shards.size(); ++r) {
      for (int c = 0; c < matrix_.endpoints.size(); ++c) {
        if (!cellRect(r, c).contains(help->pos())) continue;
        const double v = matrix_.p95_ms[r][c];
        QToolTip::showText(help->globalPos(),
                           tr("shard %1\n%2\np95 %3 ms")
                               .arg(matrix_.shards[r])
                               .arg(matrix_.endpoints[c])
                               .arg(std::isnan(v) ? tr("—") : QString::number(v, 'f', 3)),
                           this);
        return true;
      }
    }
    QToolTip::hideText();
    return true;
  }
  return QWidget::event(event);
}

}  // namespace stampede::gui
