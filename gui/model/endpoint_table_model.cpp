#include "gui/model/endpoint_table_model.h"

#include <algorithm>

namespace stampede::gui {

EndpointTableModel::EndpointTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void EndpointTableModel::setRun(std::shared_ptr<const RunModel> run) {
  beginResetModel();
  run_ = std::move(run);
  fill_rows();
  endResetModel();
}

void EndpointTableModel::fill_rows() {
  rows_.clear();
  if (!run_ || !run_->ok()) return;
  for (const auto& e : run_->result().endpoints) rows_.push_back(&e);
  rows_.push_back(&run_->result().aggregated);
  // A new or re-read run keeps the order the user asked for (the view's sort indicator
  // would otherwise claim an order the rows no longer have).
  if (sort_column_ >= 0) sort_rows(sort_column_, sort_order_);
}

QString EndpointTableModel::endpointKey(int row) const {
  if (row < 0 || row + 1 >= static_cast<int>(rows_.size())) return {};
  return RunModel::endpoint_key(rows_[row]->method, rows_[row]->name);
}

int EndpointTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int EndpointTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EndpointTableModel::value(const results::EndpointStats& e, int column) const {
  const double duration = run_ ? run_->duration_s() : 0.0;
  const auto pct = [&](double p) { return us_to_ms(e.latency.value_at_percentile(p)); };
  switch (column) {
    case Type: return QString::fromStdString(e.method);
    case Name: return QString::fromStdString(e.name);
    case Requests: return QVariant::fromValue<qulonglong>(e.requests);
    case Fails: return QVariant::fromValue<qulonglong>(e.failures);
    case Median: return pct(50);
    case P90: return pct(90);
    case P95: return pct(95);
    case P99: return pct(99);
    case Average: return e.latency.mean() / 1000.0;
    case Min: return us_to_ms(e.latency.min());
    case Max: return us_to_ms(e.latency.max());
    case AverageSize: return e.requests ? static_cast<double>(e.content_bytes) / static_cast<double>(e.requests) : 0.0;
    case Rps: return duration > 0 ? static_cast<double>(e.requests) / duration : 0.0;
    case FailuresPerS: return duration > 0 ? static_cast<double>(e.failures) / duration : 0.0;
    default: return {};
  }
}

QVariant EndpointTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const QVariant v = value(*rows_[index.row()], index.column());
  if (role == Qt::UserRole) return v;
  if (role == Qt::TextAlignmentRole) {
    return index.column() <= Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                  : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Median: case P90: case P95: case P99: case Average: case Min: case Max:
      return QString::number(v.toDouble(), 'f', 2);
    case AverageSize: return QString::number(v.toDouble(), 'f', 0);
    case Rps: case FailuresPerS: return QString::number(v.toDouble(), 'f', 2);
    default: return v;
  }
}

QVariant EndpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Type", "Name", "# Requests", "# Fails", "Median (ms)",
                                       "90%ile (ms)", "95%ile (ms)", "99%ile (ms)", "Average (ms)",
                                       "Min (ms)", "Max (ms)", "Average size (bytes)", "RPS",
                                       "Failures/s"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

void EndpointTableModel::sort_rows(int column, Qt::SortOrder order) {
  if (rows_.size() < 2) return;
  // The aggregate row stays last.
  std::stable_sort(rows_.begin(), rows_.end() - 1, [&](auto* a, auto* b) {
    const QVariant va = value(*a, column), vb = value(*b, column);
    const bool less = QVariant::compare(va, vb) == QPartialOrdering::Less;
    const bool greater = QVariant::compare(va, vb) == QPartialOrdering::Greater;
    return order == Qt::AscendingOrder ? less : greater;
  });
}

void EndpointTableModel::sort(int column, Qt::SortOrder order) {
  if (column >= ColumnCount) return;
  sort_column_ = std::max(column, -1);  // -1 (a cleared sort indicator): the file's order
  sort_order_ = order;
  if (rows_.size() < 2) return;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<const results::EndpointStats*> old = rows_;
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
