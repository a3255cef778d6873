#include "gui/views/overview_page.h"

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace stampede::gui {

QValueAxis* add_time_axis(ChartView* view, double max_s) {
  QValueAxis* x = view->addValueAxis(Qt::AlignBottom, QObject::tr("seconds since start"));
  x->setRange(0, std::max(1.0, std::ceil(max_s)));
  x->applyNiceNumbers();
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

OverviewPage::OverviewPage(QWidget* parent)
    : QWidget(parent),
      throughput_(new ChartView(tr("Users, requests/s, failures/s"))),
      latency_(new ChartView(tr("Response time percentiles"))) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(throughput_);
  layout->addWidget(latency_);
}

void OverviewPage::setRun(std::shared_ptr<const RunModel> run) {
  const bool ok = run && run->ok();
  if (!ok || run->dir() != dir_) {
    dir_.clear();
    throughput_->clearChart();
    latency_->clearChart();
  }
  for (ChartView* c : charts()) c->setSubject(ok ? run->display_name() : QString());
  if (!ok) {
    const QString why = run ? run->error() : tr("no run selected");
    throughput_->setPlaceholder(why);
    latency_->setPlaceholder(why);
    return;
  }
  if (dir_.isEmpty()) {
    build();
    dir_ = run->dir();
  }
  fill(*run);
}

void OverviewPage::build() {
  x_ = add_time_axis(throughput_, 1);
  rate_ = throughput_->addValueAxis(Qt::AlignLeft, tr("per second"));
  users_axis_ = throughput_->addValueAxis(Qt::AlignRight, tr("users"));
  rps_ = throughput_->addLine({QStringLiteral("req/s"), {}}, x_, rate_);
  failures_ = throughput_->addLine({QStringLiteral("failures/s"), {}}, x_, rate_);
  failures_->setColor(QColor(0xd6, 0x27, 0x28));
  users_ = throughput_->addLine({QStringLiteral("users"), {}}, x_, users_axis_);
  users_->setColor(QColor(0x2c, 0xa0, 0x2c));
  throughput_->finishChart();

  lx_ = add_time_axis(latency_, 1);
  ms_ = latency_->addValueAxis(Qt::AlignLeft, tr("ms"));
  percentiles_.clear();
  for (double p : {50.0, 95.0, 99.0}) percentiles_.append(latency_->addLine({QStringLiteral("p%1").arg(p), {}}, lx_, ms_));
  latency_->finishChart();
}

void OverviewPage::fill(const RunModel& run) {
  const double end = std::max(1.0, std::ceil(run.duration_s()));
  const QList<double> marks = run.stage_marks();
  const QStringList labels = run.stage_labels(marks);
  const SeriesData rps = run.rps_series(), failures = run.failures_series(), users = run.users_series();
  rps_->replace(rps.points);
  failures_->replace(failures.points);
  users_->replace(users.points);
  if (!throughput_->chart()->isZoomed()) {
    x_->setRange(0, end);
    x_->applyNiceNumbers();
    fit_y_from_zero(rate_, {rps, failures});
    fit_y_from_zero(users_axis_, {users});
  }
  throughput_->setMarkers(marks, x_, rate_, labels);

  QList<SeriesData> lines;
  for (double p : {50.0, 95.0, 99.0}) lines.append(run.latency_series(p));
  for (int i = 0; i < lines.size(); ++i) percentiles_[i]->replace(lines[i].points);
  if (!latency_->chart()->isZoomed()) {
    lx_->setRange(0, end);
    lx_->applyNiceNumbers();
    fit_y_from_zero(ms_, lines);
  }
  latency_->setMarkers(marks, lx_, ms_, labels);

  throughput_->setPlaceholder(run.result().history.empty() ? tr("no data: history.jsonl has no lines") : QString());
  latency_->setPlaceholder(run.result().history.empty()   ? tr("no data: history.jsonl has no lines")
                           : lines.front().points.isEmpty() ? tr("no data: no requests in any interval")
                                                            : QString());
}

}  // namespace stampede::gui
