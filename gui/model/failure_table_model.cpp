#include "gui/model/failure_table_model.h"

namespace stampede::gui {

FailureTableModel::FailureTableModel(QObject* parent) : RunTableModel(ColumnCount, 0, parent) {}

std::vector<const results::FailureStats*> FailureTableModel::file_rows(const RunModel& run) const {
  std::vector<const results::FailureStats*> rows;
  for (const auto& f : run.result().failures) rows.push_back(&f);
  return rows;
}

quint64 FailureTableModel::totalOccurrences() const {
  quint64 n = 0;
  for (const auto* f : rows()) n += f->occurrences;
  return n;
}

QVariant FailureTableModel::value(const results::FailureStats& f, int column) const {
  switch (column) {
    case Method: return QString::fromStdString(f.method);
    case Name: return QString::fromStdString(f.name);
    case Error: return QString::fromStdString(f.error);
    case Occurrences: return QVariant::fromValue<qulonglong>(f.occurrences);
    default: return {};
  }
}

QVariant FailureTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const QVariant v = value(row_at(index), index.column());
  switch (role) {
    case Qt::DisplayRole:
    case Qt::UserRole: return v;
    case Qt::ToolTipRole: return index.column() == Error || index.column() == Name ? v : QVariant();
    case Qt::TextAlignmentRole:
      return index.column() == Occurrences ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    default: return {};
  }
}

QVariant FailureTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  // Locust's failures CSV header.
  static const char* const kNames[] = {"Method", "Name", "Error", "Occurrences"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

}  // namespace stampede::gui
