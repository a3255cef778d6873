// EndpointsPage: the Locust-style endpoint table (sortable) and, for the selected row, its
// latency distribution (percentile curve on a log axis, histogram) and latency over time.
// The aggregate row (or no selection) shows the whole run.
#pragma once

#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/endpoint_table_model.h"
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
  // What hovering the histogram at `x_ms` shows ("lo–hi ms: n requests"; "" off the bins).
  QString histogramTipAt(double x_ms) const;

 private:
  std::shared_ptr<const RunModel> run_;
  QList<HistogramBin> bins_;  // of the histogram drawn
  EndpointTableModel* model_;
  QTableView* table_;
  ChartView* percentiles_;
  ChartView* histogram_;
  ChartView* over_time_;
};

}  // namespace stampede::gui
