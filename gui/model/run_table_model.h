// RunTableModel<Row>: what the dashboard's tables of one run's rows share
// (EndpointTableModel, FailureTableModel): the run shown, its rows as pointers into the
// run's RunResult, and a sort() that needs no proxy model.
//
// Sorting: rows are in the file's order until sort() is asked for; the order asked for is
// kept when another run (or a re-read one) is set, so the view's sort indicator never claims
// an order the rows do not have; sort(-1) (a cleared indicator) goes back to the file's
// order; persistent indexes follow their rows. The last `pinned_rows` rows of the file's
// order stay last whatever the sort (the endpoint table's "Aggregated" row). Values compare
// with QVariant::compare, stably.
//
// A subclass gives the run's rows in the file's order (file_rows) and each cell's raw value
// (value: its Qt::UserRole and sort key); it formats data() and headerData() itself.
// Qt Core only; GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <algorithm>
#include <memory>
#include <vector>

#include "gui/model/run_model.h"

namespace stampede::gui {

template <typename Row>
class RunTableModel : public QAbstractTableModel {
 public:
  void setRun(std::shared_ptr<const RunModel> run) {
    beginResetModel();
    run_ = std::move(run);
    fill_rows();
    endResetModel();
  }

  int rowCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
  }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : column_count_; }

  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override {
    if (column >= column_count_) return;
    sort_column_ = std::max(column, -1);  // -1 (a cleared sort indicator): the file's order
    sort_order_ = order;
    if (rows_.size() < 2) return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    const std::vector<const Row*> old = rows_;
    fill_rows();
    QModelIndexList after;
    for (const QModelIndex& idx : before) {
      const auto it = std::find(rows_.begin(), rows_.end(), old[static_cast<std::size_t>(idx.row())]);
      after.append(index(static_cast<int>(it - rows_.begin()), idx.column()));
    }
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
  }

 protected:
  RunTableModel(int column_count, std::size_t pinned_rows, QObject* parent)
      : QAbstractTableModel(parent), column_count_(column_count), pinned_rows_(pinned_rows) {}

  // The rows of `run` (which has read) in the file's order.
  virtual std::vector<const Row*> file_rows(const RunModel& run) const = 0;
  // A cell's raw value: what Qt::UserRole gives and sort() compares.
  virtual QVariant value(const Row& row, int column) const = 0;

  const std::shared_ptr<const RunModel>& run() const { return run_; }
  const std::vector<const Row*>& rows() const { return rows_; }
  // The row of a valid index (checked by the caller, e.g. with checkIndex).
  const Row& row_at(const QModelIndex& index) const { return *rows_[static_cast<std::size_t>(index.row())]; }

 private:
  void fill_rows() {
    rows_.clear();
    if (!run_ || !run_->ok()) return;
    rows_ = file_rows(*run_);
    if (sort_column_ < 0 || rows_.size() <= pinned_rows_) return;
    const int column = sort_column_;
    const Qt::SortOrder order = sort_order_;
    std::stable_sort(rows_.begin(), rows_.end() - static_cast<std::ptrdiff_t>(pinned_rows_), [&](auto* a, auto* b) {
      const auto cmp = QVariant::compare(value(*a, column), value(*b, column));
      return order == Qt::AscendingOrder ? cmp == QPartialOrdering::Less : cmp == QPartialOrdering::Greater;
    });
  }

  const int column_count_;
  const std::size_t pinned_rows_;
  std::shared_ptr<const RunModel> run_;
  std::vector<const Row*> rows_;
  int sort_column_ = -1;  // the last sort() asked for (-1 = file order), kept for every run set
  Qt::SortOrder sort_order_ = Qt::AscendingOrder;
};

}  // namespace stampede::gui
