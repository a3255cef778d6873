// EndpointTableModel: Locust's statistics table for one run — one row per (method, name),
// then the "Aggregated" row, which stays last whatever the sort. Latencies in ms computed
// from the histograms (never from the derived figures in stats.json).
//
// An open-model run (RunModel::open_model) has three more kinds of column: # Dropped
// (arrivals not sent: no user was free), and its service time's median, 95 and 99 %ile
// (two-line headers, "Service" over the figure, keep the table narrow).
// Its latency columns are then from the intended start; header tooltips say so. The view
// hides the open-model columns (isOpenModelColumn) for a closed-model run.
//
// Three counts beside the failures, each shown only when the run has some (columnShown; the
// format writes them only when not 0): # 429 (answers HTTP 429 Too Many Requests: their own
// outcome, not failures), # Skipped (requests and tasks a scenario's `when` skipped) and
// Invalid cookies (Set-Cookie headers the user's cookie jar ignored in part or whole).
//
// Qt::DisplayRole gives formatted text, Qt::UserRole the raw number (used for sorting).
// Sorting needs no proxy (RunTableModel): rows are in stats.json's order until a sort is
// asked for, sort(-1) goes back to it, and the aggregate row is pinned last.
#pragma once

#include "gui/model/run_table_model.h"

namespace stampede::gui {

// setRun(), rowCount(), columnCount() and sort() are RunTableModel's.
class EndpointTableModel : public RunTableModel<results::EndpointStats> {
  Q_OBJECT
 public:
  enum Column { Type, Name, Requests, Fails, RateLimited, Dropped, Skipped, InvalidCookies, Median, P90, P95, P99,
                Average, Min, Max, ServiceMedian, ServiceP95, ServiceP99, AverageSize, Rps, FailuresPerS, ColumnCount };
  static bool isOpenModelColumn(int column) {
    return column == Dropped || (column >= ServiceMedian && column <= ServiceP99);
  }
  // Whether the view shows `column` for the run set: the open-model columns for an
  // open-model run, # 429 / # Skipped / Invalid cookies when the run has any, every other
  // column always.
  bool columnShown(int column) const;

  explicit EndpointTableModel(QObject* parent = nullptr);

  // RunModel::endpoint_key of the row ("" for the aggregate row or out of range).
  QString endpointKey(int row) const;

  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  // stats.json's endpoints, then the aggregate (pinned last).
  std::vector<const results::EndpointStats*> file_rows(const RunModel& run) const override;
  QVariant value(const results::EndpointStats& e, int column) const override;
};

}  // namespace stampede::gui
