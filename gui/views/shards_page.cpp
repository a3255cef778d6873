#include "gui/views/shards_page.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <algorithm>
#include <cmath>

namespace stampede::gui {

namespace {
constexpr int kLeftMargin = 70;
constexpr int kTopMargin = 24;
constexpr int kBottomMargin = 40;
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
  const double w = (width() - kLeftMargin - 8.0) / std::max<qsizetype>(1, matrix_.endpoints.size());
  const double h = (height() - kTopMargin - kBottomMargin) / std::max<qsizetype>(1, matrix_.shards.size());
  return {kLeftMargin + column * w, kTopMargin + row * h, w, h};
}

void HeatMapWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), Qt::white);
  p.drawText(QRect(0, 0, width(), kTopMargin), Qt::AlignCenter, tr("p95 shard time (ms), shard × endpoint"));
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
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  p.setFont(small);
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
      const QColor colour = QColor::fromHsvF(0.16 * (1.0 - t), 0.25 + 0.75 * t, 1.0 - 0.45 * t);
      p.fillRect(cell, colour);
      p.setPen(t > 0.6 ? Qt::white : Qt::black);
      p.drawText(cell, Qt::AlignCenter, QString::number(v, 'g', 3));
    }
  }
  p.setPen(Qt::black);
  for (int c = 0; c < matrix_.endpoints.size(); ++c) {
    const QRectF cell = cellRect(static_cast<int>(matrix_.shards.size()) - 1, c);
    const QRectF label(cell.left(), cell.bottom() + 2, cell.width(), kBottomMargin - 4);
    const QString name = matrix_.endpoints[c].section(QLatin1Char(' '), 1);
    p.drawText(label, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
               p.fontMetrics().elidedText(name, Qt::ElideMiddle, static_cast<int>(cell.width() * 2)));
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

ShardsPage::ShardsPage(QWidget* parent)
    : QWidget(parent),
      model_(new ShardModel(this)),
      table_(new QTableView),
      shares_(new ChartView(tr("Request and write share per shard"))),
      shard_time_(new ChartView(tr("p95 shard time per shard"))),
      heat_map_(new HeatMapWidget) {
  table_->setModel(model_);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(ShardModel::Endpoints, QHeaderView::Stretch);
  auto* grid = new QGridLayout(this);
  grid->addWidget(shares_, 0, 0);
  grid->addWidget(shard_time_, 0, 1);
  grid->addWidget(table_, 1, 0);
  grid->addWidget(heat_map_, 1, 1);
}

void ShardsPage::setRun(std::shared_ptr<const RunModel> run) {
  model_->setRun(run);
  table_->resizeColumnsToContents();
  heat_map_->setMatrix(model_->matrix());
  shares_->clearChart();
  shard_time_->clearChart();
  if (!run || !run->ok()) {
    const QString why = run ? run->error() : tr("no run selected");
    shares_->setPlaceholder(why);
    shard_time_->setPlaceholder(why);
    return;
  }
  if (model_->rowCount() == 0) {
    shares_->setPlaceholder(tr("no shard data (Server-Timing) in this run"));
    shard_time_->setPlaceholder(tr("no shard data"));
    return;
  }
  QStringList categories;
  auto* requests = new QBarSet(tr("request share %"));
  auto* writes = new QBarSet(tr("write share %"));
  auto* p95 = new QBarSet(tr("p95 shard time (ms)"));
  double top_ms = 0;
  for (int row = 0; row < model_->rowCount(); ++row) {
    const ShardRow& s = model_->shardRows()[row];
    categories.append(tr("shard %1").arg(s.shard));
    requests->append(100.0 * model_->requestShare(row));
    writes->append(100.0 * model_->writeShare(row));
    const double ms = us_to_ms(s.shard_time.value_at_percentile(95));
    p95->append(ms);
    top_ms = std::max(top_ms, ms);
  }
  const auto add_bars = [&](ChartView* view, QList<QBarSet*> sets, const QString& y_title, double top) {
    auto* series = new QBarSeries;
    for (QBarSet* set : sets) series->append(set);
    view->chart()->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    view->chart()->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    QValueAxis* y = view->addValueAxis(Qt::AlignLeft, y_title);
    y->setRange(0, top > 0 ? top * 1.1 : 1.0);
    y->applyNiceNumbers();
    series->attachAxis(y);
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(3);
    view->finishChart();
  };
  double top_share = 0;
  for (int i = 0; i < requests->count(); ++i) top_share = std::max({top_share, requests->at(i), writes->at(i)});
  add_bars(shares_, {requests, writes}, tr("% of shard-named responses"), top_share);
  add_bars(shard_time_, {p95}, tr("ms"), top_ms);
}

}  // namespace stampede::gui
