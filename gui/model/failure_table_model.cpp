#include "gui/model/failure_table_model.h"

#include <algorithm>

namespace stampede::gui {

FailureTableModel::FailureTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FailureTableModel::setRun(std::shared_ptr<const RunModel> run) {
  beginResetModel();
  run_ = std::move(run);
  fill_rows();
  endResetModel();
}

void FailureTableModel::fill_rows() {
  rows_.clear();
  if (!run_ || !run_->ok()) return;
  for (const auto& f : run_->result().failures) rows_.push_back(&f);
  if (sort_column_ < 0) return;
  std::stable_sort(rows_.begin(), rows_.end(), [&](auto* a, auto* b) {
    const auto cmp = QVariant::compare(value(*a, sort_column_), value(*b, sort_column_));
    return sort_order_ == Qt::AscendingOrder ? cmp == QPartialOrdering::Less : cmp == QPartialOrdering::Greater;
  });
}

quint64 FailureTableModel::totalOccurrences() const {
  quint64 n = 0;
  for (const auto* f : rows_) n += f->occurrences;
  return n;
}

int FailureTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int FailureTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureTableModel::value(const results::FailureStats& f, int column) {
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
  const QVariant v = value(*rows_[index.row()], index.column());
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

void FailureTableModel::sort(int column, Qt::SortOrder order) {
  if (column >= ColumnCount) return;
  sort_column_ = std::max(column, -1);
  sort_order_ = order;
  if (rows_.size() < 2) return;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  const std::vector<const results::FailureStats*> old = rows_;
  fill_rows();
  QModelIndexList after;
  for (const QModelIndex& idx : before) {
    const auto it = std::find(rows_.begin(), rows_.end(), old[idx.row()]);
    after.append(index(static_cast<int>(it - rows_.begin()), idx.column()));
  }
  changePersistentIndexList(before, after);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

}  // namespace stampede::gui
