// FailureTableModel: Locust's failures table for one run — one row per (method, name,
// error) with how often it happened, in the order stats.json lists them (occurrences,
// most first) until a sort is asked for. A run without failures, or one that did not read,
// has no rows.
//
// Qt::DisplayRole gives text, Qt::UserRole the raw value (used for sorting), Qt::ToolTipRole
// the whole error. sort() is implemented here so a QTableView with sorting enabled needs no
// proxy; sort(-1) goes back to the file's order.
#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "gui/model/run_model.h"

namespace stampede::gui {

class FailureTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Method, Name, Error, Occurrences, ColumnCount };

  explicit FailureTableModel(QObject* parent = nullptr);

  void setRun(std::shared_ptr<const RunModel> run);
  // Sum of the occurrences of every row (failed requests and failed checks alike).
  quint64 totalOccurrences() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  static QVariant value(const results::FailureStats& f, int column);
  void fill_rows();  // the run's failures in file order, then the sort asked for

  std::shared_ptr<const RunModel> run_;
  std::vector<const results::FailureStats*> rows_;
  int sort_column_ = -1;  // the last sort() asked for (-1 = file order), kept for every run set
  Qt::SortOrder sort_order_ = Qt::AscendingOrder;
};

}  // namespace stampede::gui
