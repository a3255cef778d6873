#include "gui/views/run_charts.h"

#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace stampede::gui {

void set_time_range(QValueAxis* axis, double max_s) {
  // The run's own length (a "30s" run records 30.007 s), not a rounder number: Qt's nice
  // numbers would plot 30 s on a 40 s axis. Ticks every 1, 2 or 5 × 10^k s, from 0.
  const double end = std::max(1.0, std::ceil(max_s - 0.05));
  double step = std::pow(10.0, std::floor(std::log10(end / 5)));
  for (double m : {2.0, 5.0, 10.0}) {
    if (end / step <= 8) break;
    step = std::pow(10.0, std::floor(std::log10(end / 5))) * m;
  }
  axis->setRange(0, end);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(std::max(1.0, step));
}

QValueAxis* add_time_axis(ChartView* view, double max_s) {
  QValueAxis* x = view->addValueAxis(Qt::AlignBottom, QObject::tr("seconds since start"));
  set_time_range(x, max_s);
  return x;
}

void fit_y_from_zero(QValueAxis* axis, const QList<SeriesData>& series) {
  double top = 0;
  for (const auto& s : series) {
    for (const QPointF& p : s.points) top = std::max(top, p.y());
  }
  axis->setRange(0, top > 0 ? top * 1.1 : 1.0);
  axis->applyNiceNumbers();
}

RunCharts::RunCharts(const QString& throughput_title, const QString& latency_title, QWidget* parent)
    : QWidget(parent),
      throughput_(new ChartView(throughput_title)),
      latency_(new ChartView(latency_title)),
      latency_title_(latency_title) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(throughput_);
  layout->addWidget(latency_);
}

void RunCharts::clear() {
  throughput_->clearChart();
  latency_->clearChart();
  built_ = false;
  padding_ = {{}, {}};
}

void RunCharts::setPlaceholder(const QString& text) {
  for (ChartView* c : charts()) c->setPlaceholder(text);
}

void RunCharts::setSubject(const QString& subject) {
  for (ChartView* c : charts()) c->setSubject(subject);
}

void RunCharts::build(bool open_model) {
  clear();
  x_ = add_time_axis(throughput_, 1);
  rate_ = throughput_->addValueAxis(Qt::AlignLeft, tr("per second"));
  users_axis_ = throughput_->addValueAxis(Qt::AlignRight, tr("users"));
  rps_ = throughput_->addLine({QStringLiteral("req/s"), {}}, x_, rate_);
  failures_ = throughput_->addLine({QStringLiteral("failures/s"), {}}, x_, rate_);
  failures_->setColor(QColor(0xd6, 0x27, 0x28));
  dropped_ = nullptr;
  if (open_model) {
    dropped_ = throughput_->addLine({QStringLiteral("dropped/s"), {}}, x_, rate_);
    dropped_->setColor(QColor(0x94, 0x67, 0xbd));  // purple: apart from failures (red) and users (green)
  }
  users_ = throughput_->addLine({QStringLiteral("users"), {}}, x_, users_axis_);
  users_->setColor(QColor(0x2c, 0xa0, 0x2c));
  throughput_->finishChart();

  lx_ = add_time_axis(latency_, 1);
  ms_ = latency_->addValueAxis(Qt::AlignLeft, tr("ms"));
  percentiles_.clear();
  for (double p : {50.0, 95.0, 99.0}) percentiles_.append(latency_->addLine({QStringLiteral("p%1").arg(p), {}}, lx_, ms_));
  service_.clear();
  if (open_model) {
    // Each service line dashed, in the colour of the latency line of its percentile.
    for (int i = 0; i < 3; ++i) {
      const double p = QList<double>{50.0, 95.0, 99.0}[i];
      service_.append(latency_->addLine({QStringLiteral("p%1 service").arg(p), {}}, lx_, ms_));
      QPen pen(percentiles_[i]->color());
      pen.setWidthF(percentiles_[i]->pen().widthF());
      pen.setStyle(Qt::DashLine);
      service_.back()->setPen(pen);
    }
  }
  latency_->setTitle(open_model ? latency_title_ + tr(": from intended start (solid), service time (dashed)")
                                : latency_title_);
  latency_->finishChart();
  // Once both charts are laid out: a chart's plot area changes before the other's does.
  for (ChartView* c : charts()) {
    connect(c->chart(), &QChart::plotAreaChanged, this, [this] {
      if (!align_pending_) QTimer::singleShot(0, this, &RunCharts::alignPlotAreas);
      align_pending_ = true;
    });
  }
  built_ = true;
  built_open_ = open_model;
}

void RunCharts::draw(const RunModel& run, const QList<double>& marks, const QString& no_history) {
  if (!built_ || built_open_ != run.open_model()) build(run.open_model());
  const QStringList labels = run.stage_labels(marks);
  const SeriesData rps = run.rps_series(), failures = run.failures_series(), users = run.users_series();
  const SeriesData dropped = dropped_ ? run.dropped_series() : SeriesData{};
  rps_->replace(rps.points);
  failures_->replace(failures.points);
  if (dropped_) dropped_->replace(dropped.points);
  users_->replace(users.points);
  if (!throughput_->chart()->isZoomed()) {
    set_time_range(x_, run.duration_s());
    fit_y_from_zero(rate_, {rps, failures, dropped});
    fit_y_from_zero(users_axis_, {users});
  }
  throughput_->setMarkers(marks, x_, rate_, labels);

  QList<SeriesData> lines;
  for (double p : {50.0, 95.0, 99.0}) lines.append(run.latency_series(p));
  for (int i = 0; i < lines.size(); ++i) percentiles_[i]->replace(lines[i].points);
  QList<SeriesData> service;
  for (qsizetype i = 0; i < service_.size(); ++i) {
    service.append(run.service_series(QList<double>{50.0, 95.0, 99.0}[i]));
    service_[i]->replace(service.back().points);
  }
  if (!latency_->chart()->isZoomed()) {
    set_time_range(lx_, run.duration_s());
    fit_y_from_zero(ms_, lines + service);
  }
  latency_->setMarkers(marks, lx_, ms_, labels);

  const bool empty = run.result().history.empty();
  throughput_->setPlaceholder(empty ? no_history : QString());
  latency_->setPlaceholder(empty                       ? no_history
                           : lines.front().points.isEmpty() ? tr("no data: no requests in any interval")
                                                            : QString());
}

void RunCharts::alignPlotAreas() {
  align_pending_ = false;
  if (!built_) return;
  // Each chart's own insets: where its plot area would be without the padding added here.
  QList<double> left, right;
  for (int i = 0; i < 2; ++i) {
    const QChart* c = charts()[i]->chart();
    left.append(c->plotArea().left() - padding_[i].left());
    right.append(c->size().width() - c->plotArea().right() - padding_[i].right());
  }
  const double want_left = std::max(left[0], left[1]), want_right = std::max(right[0], right[1]);
  for (int i = 0; i < 2; ++i) {
    const QMargins pad(qRound(want_left - left[i]), 0, qRound(want_right - right[i]), 0);
    if (pad == padding_[i]) continue;
    QChart* c = charts()[i]->chart();
    c->setMargins(c->margins() - padding_[i] + pad);
    padding_[i] = pad;
  }
}

}  // namespace stampede::gui
