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
  throughput_->clearChart();
  latency_->clearChart();
  for (ChartView* c : charts()) c->setSubject(run && run->ok() ? run->display_name() : QString());
  if (!run || !run->ok()) {
    const QString why = run ? run->error() : tr("no run selected");
    throughput_->setPlaceholder(why);
    latency_->setPlaceholder(why);
    return;
  }
  const double end = run->duration_s();
  const QList<double> marks = run->stage_marks();

  QValueAxis* x = add_time_axis(throughput_, end);
  QValueAxis* rate = throughput_->addValueAxis(Qt::AlignLeft, tr("per second"));
  QValueAxis* users_axis = throughput_->addValueAxis(Qt::AlignRight, tr("users"));
  const SeriesData rps = run->rps_series();
  const SeriesData failures = run->failures_series();
  const SeriesData users = run->users_series();
  fit_y_from_zero(rate, {rps, failures});
  fit_y_from_zero(users_axis, {users});
  throughput_->addLine(rps, x, rate);
  throughput_->addLine(failures, x, rate)->setColor(QColor(0xd6, 0x27, 0x28));
  throughput_->addLine(users, x, users_axis)->setColor(QColor(0x2c, 0xa0, 0x2c));
  throughput_->addMarkers(marks, x, rate);
  throughput_->finishChart();

  QValueAxis* lx = add_time_axis(latency_, end);
  QValueAxis* ms = latency_->addValueAxis(Qt::AlignLeft, tr("ms"));
  QList<SeriesData> percentiles;
  for (double p : {50.0, 95.0, 99.0}) percentiles.append(run->latency_series(p));
  fit_y_from_zero(ms, percentiles);
  for (const auto& s : percentiles) latency_->addLine(s, lx, ms);
  latency_->addMarkers(marks, lx, ms);
  latency_->finishChart();
  if (run->result().history.empty()) {
    for (ChartView* c : charts()) c->setPlaceholder(tr("no data: history.jsonl has no lines"));
  } else if (percentiles.front().points.isEmpty()) {
    latency_->setPlaceholder(tr("no data: no requests in any interval"));
  }
}

}  // namespace stampede::gui
