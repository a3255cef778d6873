// EndpointsPage: the Locust-style endpoint table (sortable, in stats.json's order until a
// header is clicked) and, on a tab beside it, the failures table ("Failures (N)", "No
// failures" when there are none); below, for the selected endpoint row, its latency
// distribution (percentile curve on a log axis, histogram) and latency over time. The
// aggregate row (or no selection) shows the whole run. Above the distribution charts, a
// check box each puts their y axis on a log scale.
//
// An open-model run (RunModel::open_model) also shows its service time beside the latency,
// which is then from the intended start: the table's # Dropped and Service columns (hidden
// for a closed-model run) under a line saying which columns are which, a second percentile
// curve, a picker for what the histogram shows, and dashed service lines over time.
//
// A run that recorded how its requests travelled (results::ExchangeStats) has a third tab,
// "Connections": per endpoint the connections opened and their connect (and TLS) times, the
// time to first byte, the Server-Timing cache hits and servers (ExchangeTableModel; TLS,
// cache and server columns only when the run has them). Hidden for a run without them.
#pragma once

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/endpoint_table_model.h"
#include "gui/model/exchange_table_model.h"
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
  // The tabs holding the endpoint table (Statistics), the failures (FailuresTab) and how
  // the requests travelled (ConnectionsTab, visible only for a run with those figures).
  enum Tab { StatisticsTab, FailuresTab, ConnectionsTab };
  QTabWidget* tableTabs() const { return tabs_; }
  QTableView* failuresTable() const { return failures_table_; }
  FailureTableModel* failures() const { return failures_; }
  QTableView* exchangeTable() const { return exchange_table_; }
  ExchangeTableModel* exchange() const { return exchange_; }
  // Shown on the Failures tab instead of the table when the run has none.
  QLabel* noFailuresLabel() const { return no_failures_; }
  // What hovering the histogram at `x_ms` shows ("lo–hi ms: n requests"; "" off the bins).
  QString histogramTipAt(double x_ms) const;
  // The log-scale toggles of the percentile chart's ms axis (off at first) and the
  // histogram's count axis (on at first: the tail's few requests show beside the bulk).
  QCheckBox* logPercentiles() const { return log_percentiles_; }
  QCheckBox* logHistogram() const { return log_histogram_; }
  // Open model only: what the histogram shows (LatencyHistogram or ServiceHistogram).
  enum HistogramOf { LatencyHistogram, ServiceHistogram };
  QComboBox* histogramOf() const { return histogram_of_; }
  // Open model only: the line above the table saying which columns are latency from the
  // intended start and which service time.
  QLabel* openModelNote() const { return open_model_note_; }

 private:
  std::shared_ptr<const RunModel> run_;
  QString key_;  // the endpoint drawn ("" = all)
  QList<HistogramBin> bins_;  // of the histogram drawn
  void showFailureCount();
  void showOpenModel();
  void showExchange();
  // Each chart for run_ and key_ (selectEndpoint draws all three).
  bool drawable();
  void drawPercentiles();
  void drawHistogram();
  void drawOverTime();

  EndpointTableModel* model_;
  QTableView* table_;
  FailureTableModel* failures_;
  QTableView* failures_table_;
  ExchangeTableModel* exchange_;
  QTableView* exchange_table_;
  QLabel* no_failures_;
  QStackedWidget* failures_stack_;
  QTabWidget* tabs_;
  QLabel* open_model_note_;
  QCheckBox* log_percentiles_;
  QCheckBox* log_histogram_;
  QComboBox* histogram_of_;
  ChartView* percentiles_;
  ChartView* histogram_;
  ChartView* over_time_;
};

}  // namespace stampede::gui
