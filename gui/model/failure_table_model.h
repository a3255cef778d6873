// FailureTableModel: Locust's failures table for one run — one row per (method, name,
// error) with how often it happened, in the order stats.json lists them (occurrences,
// most first) until a sort is asked for. A run without failures, or one that did not read,
// has no rows.
//
// Qt::DisplayRole gives text, Qt::UserRole the raw value (used for sorting), Qt::ToolTipRole
// the whole error. Sorting needs no proxy and sort(-1) goes back to the file's order
// (RunTableModel).
#pragma once

#include "gui/model/run_table_model.h"

namespace stampede::gui {

// setRun(), rowCount(), columnCount() and sort() are RunTableModel's.
class FailureTableModel : public RunTableModel<results::FailureStats> {
  Q_OBJECT
 public:
  enum Column { Method, Name, Error, Occurrences, ColumnCount };

  explicit FailureTableModel(QObject* parent = nullptr);

  // Sum of the occurrences of every row (failed requests and failed checks alike).
  quint64 totalOccurrences() const;

  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<const results::FailureStats*> file_rows(const RunModel& run) const override;
  QVariant value(const results::FailureStats& f, int column) const override;
};

}  // namespace stampede::gui
