// OverviewPage: one run over time (RunCharts: users, req/s and failures/s above p50/p95/p99
// latency), with its declared stages marked. Setting the same folder again (a run being
// followed) updates the series in place: a zoomed chart keeps its range, hidden series
// stay hidden. Above the charts, an open-model run's summary (run_summary.h: rate, arrivals,
// max users, iterations and drops) and, in red, the warning when the generator fell behind
// its schedule; hidden for a closed-model run.
#pragma once

#include <QLabel>
#include <QWidget>
#include <memory>

#include "gui/model/run_model.h"
#include "gui/views/run_charts.h"

namespace stampede::gui {

class OverviewPage : public QWidget {
  Q_OBJECT
 public:
  explicit OverviewPage(QWidget* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);
  QList<ChartView*> charts() const { return charts_->charts(); }
  QLabel* summary() const { return summary_; }
  QLabel* warning() const { return warning_; }

 private:
  QLabel* summary_;
  QLabel* warning_;
  RunCharts* charts_;
  QString dir_;  // of the run drawn, "" when none
};

}  // namespace stampede::gui
