// RunCharts: one run over time in two stacked charts — users, req/s and failures/s (users
// on the right axis) above p50/p95/p99 latency — with stage marks in both. The Overview and
// Live pages show a run this way. Drawing the same run again (new history lines) replaces
// the series' points in place: a zoomed chart keeps its range, hidden series stay hidden.
// The two plot areas are kept aligned, so a moment is at the same x in both charts.
// An open-model run (RunModel::open_model) adds dropped/s beside failures/s, and its service
// time's p50/p95/p99 as dashed lines beside the latency from the intended start; the
// latency chart's title says which is which. Closed-model runs are drawn as before.
#pragma once

#include <QWidget>

#include "gui/model/run_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

class RunCharts : public QWidget {
  Q_OBJECT
 public:
  RunCharts(const QString& throughput_title, const QString& latency_title, QWidget* parent = nullptr);

  // Forgets the run drawn; the next draw() builds the charts afresh.
  void clear();
  // Draws `run` with dashed markers at `marks` (labelled with the users each stage goes
  // to); `no_history` is what the charts say while the history has no lines.
  void draw(const RunModel& run, const QList<double>& marks, const QString& no_history);
  void setPlaceholder(const QString& text);
  void setSubject(const QString& subject);
  QList<ChartView*> charts() const { return {throughput_, latency_}; }

 private:
  void build(bool open_model);
  // Pads the charts' margins so both plot areas start and end at the same x.
  void alignPlotAreas();

  ChartView* throughput_;
  ChartView* latency_;
  bool built_ = false;
  bool built_open_ = false;  // built with the open model's series
  QString latency_title_;
  bool align_pending_ = false;
  QValueAxis *x_ = nullptr, *rate_ = nullptr, *users_axis_ = nullptr, *lx_ = nullptr, *ms_ = nullptr;
  QLineSeries *rps_ = nullptr, *failures_ = nullptr, *users_ = nullptr, *dropped_ = nullptr;
  QList<QLineSeries*> percentiles_, service_;  // service_: open model only
  QList<QMargins> padding_{{}, {}};  // added to each chart's own margins by alignPlotAreas()
};

// Shared by the pages: a seconds x axis and a y axis starting at 0 with headroom.
QValueAxis* add_time_axis(ChartView* view, double max_s);
// 0 to the run's length in whole seconds, ticks on round steps.
void set_time_range(QValueAxis* axis, double max_s);
void fit_y_from_zero(QValueAxis* axis, const QList<SeriesData>& series);

}  // namespace stampede::gui
