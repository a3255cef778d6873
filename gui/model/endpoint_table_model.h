// EndpointTableModel: Locust's statistics table for one run — one row per (method, name),
// then the "Aggregated" row, which stays last whatever the sort. Latencies in ms computed
// from the histograms (never from the derived figures in stats.json).
//
// Qt::DisplayRole gives formatted text, Qt::UserRole the raw number (used for sorting).
// sort() is implemented here so a QTableView with sorting enabled needs no proxy; rows are
// in stats.json's order until a sort is asked for, and sort(-1) goes back to it.
#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "gui/model/run_model.h"

namespace stampede::gui {

class EndpointTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Type, Name, Requests, Fails, Median, P90, P95, P99, Average, Min, Max,
                AverageSize, Rps, FailuresPerS, ColumnCount };

  explicit EndpointTableModel(QObject* parent = nullptr);

  void setRun(std::shared_ptr<const RunModel> run);
  // RunModel::endpoint_key of the row ("" for the aggregate row or out of range).
  QString endpointKey(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  QVariant value(const results::EndpointStats& e, int column) const;

  std::shared_ptr<const RunModel> run_;
  void sort_rows(int column, Qt::SortOrder order);
  void fill_rows();  // stats.json order (aggregate last), then the sort asked for

  std::vector<const results::EndpointStats*> rows_;  // endpoints, then the aggregate
  int sort_column_ = -1;  // the last sort() asked for (-1 = file order), re-applied to every run set
  Qt::SortOrder sort_order_ = Qt::AscendingOrder;
};

}  // namespace stampede::gui
