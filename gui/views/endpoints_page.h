// EndpointsPage: the Locust-style endpoint table (sortable, in stats.json's order until a
// header is clicked) and, on a tab beside it, the failures table ("Failures (N)", "No
// failures" when there are none); below, for the selected endpoint row, its latency
// distribution (percentile curve on a log axis, histogram) and latency over time. The
// aggregate row (or no selection) shows the whole run.
#pragma once

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/endpoint_table_model.h"
#include "gui/model/failure_table_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

class EndpointsPage : public QWidget {
  Q_OBJECT
 public:
  explicit EndpointsPage(QWidget* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);
  // Shows the distribution of one endpoint ("" = all).
  void selectEndpoint(const QString& key);
  QList<ChartView*> charts() const { return {percentiles_, histogram_, over_time_}; }
  QTableView* table() const { return table_; }
  EndpointTableModel* model() const { return model_; }
  // The tabs holding the endpoint table (Statistics) and the failures (FailuresTab).
  enum Tab { StatisticsTab, FailuresTab };
  QTabWidget* tableTabs() const { return tabs_; }
  QTableView* failuresTable() const { return failures_table_; }
  FailureTableModel* failures() const { return failures_; }
  // Shown on the Failures tab instead of the table when the run has none.
  QLabel* noFailuresLabel() const { return no_failures_; }
  // What hovering the histogram at `x_ms` shows ("lo–hi ms: n requests"; "" off the bins).
  QString histogramTipAt(double x_ms) const;

 private:
  std::shared_ptr<const RunModel> run_;
  QList<HistogramBin> bins_;  // of the histogram drawn
  void showFailureCount();

  EndpointTableModel* model_;
  QTableView* table_;
  FailureTableModel* failures_;
  QTableView* failures_table_;
  QLabel* no_failures_;
  QStackedWidget* failures_stack_;
  QTabWidget* tabs_;
  ChartView* percentiles_;
  ChartView* histogram_;
  ChartView* over_time_;
};

}  // namespace stampede::gui
