// OverviewPage: one run over time — users, req/s and failures/s in one chart (users on the
// right axis), p50/p95/p99 latency in another; stage changes (ramp done, ramp down) are
// dashed vertical lines in both. Setting the same folder again (a run being followed)
// updates the series in place: a zoomed chart keeps its range, hidden series stay hidden.
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
  void build();
  void fill(const RunModel& run);

  ChartView* throughput_;
  ChartView* latency_;
  QString dir_;  // of the run drawn, "" when none
  QValueAxis *x_ = nullptr, *rate_ = nullptr, *users_axis_ = nullptr, *lx_ = nullptr, *ms_ = nullptr;
  QLineSeries *rps_ = nullptr, *failures_ = nullptr, *users_ = nullptr;
  QList<QLineSeries*> percentiles_;
};

// Shared by the pages: a seconds x axis and a y axis starting at 0 with headroom.
QValueAxis* add_time_axis(ChartView* view, double max_s);
void fit_y_from_zero(QValueAxis* axis, const QList<SeriesData>& series);

}  // namespace stampede::gui
