// OverviewPage: one run over time — users, req/s and failures/s in one chart (users on the
// right axis), p50/p95/p99 latency in another; stage changes (ramp done, ramp down) are
// dashed vertical lines in both.
#pragma once

#include <QWidget>
#include <memory>

#include "gui/model/run_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

class OverviewPage : public QWidget {
  Q_OBJECT
 public:
  explicit OverviewPage(QWidget* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);
  QList<ChartView*> charts() const { return {throughput_, latency_}; }

 private:
  ChartView* throughput_;
  ChartView* latency_;
};

// Shared by the pages: a seconds x axis and a y axis starting at 0 with headroom.
QValueAxis* add_time_axis(ChartView* view, double max_s);
void fit_y_from_zero(QValueAxis* axis, const QList<SeriesData>& series);

}  // namespace stampede::gui
