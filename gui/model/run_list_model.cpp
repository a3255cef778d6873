#include "gui/model/run_list_model.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <algorithm>
#include <numeric>

#include "gui/model/result_folders.h"

namespace stampede::gui {

namespace {
QString canonical(const QString& dir) {
  const QString c = QFileInfo(dir).canonicalFilePath();
  return c.isEmpty() ? QDir::cleanPath(QFileInfo(dir).absoluteFilePath()) : c;
}
}  // namespace

RunListModel::RunListModel(QObject* parent) : QAbstractTableModel(parent) {}

int RunListModel::addRoot(const QString& root) {
  int added = 0;
  for (const QString& sub : run_folders_in(root)) {
    if (rowOf(sub) >= 0) continue;
    addFolder(sub);
    ++added;
  }
  return added;
}

QList<int> RunListModel::addLab(const QString& lab_dir) {
  QList<int> rows;
  for (const QString& dir : run_folders_in(lab_dir)) rows.append(addFolder(dir));
  return rows;
}

int RunListModel::addLabsRoot(const QString& root) {
  const int before = rowCount();
  for (const QString& lab : lab_folders_in(root)) addLab(lab);
  return rowCount() - before;
}

int RunListModel::addFolder(const QString& dir) {
  if (const int existing = rowOf(dir); existing >= 0) return existing;
  const int row = static_cast<int>(runs_.size());
  auto model = std::make_shared<const RunModel>(RunModel::load(canonical(dir)));
  beginInsertRows({}, row, row);
  runs_.append(std::move(model));
  endInsertRows();
  return row;
}

void RunListModel::reload(int row) {
  if (row < 0 || row >= runs_.size()) return;
  runs_[row] = std::make_shared<const RunModel>(RunModel::load(runs_[row]->dir()));
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

bool RunListModel::extend(int row, std::vector<results::HistoryPoint> points) {
  if (row < 0 || row >= runs_.size()) return false;
  std::optional<RunModel> grown = runs_[row]->extended(std::move(points));
  if (!grown) return false;
  runs_[row] = std::make_shared<const RunModel>(std::move(*grown));
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  return true;
}

std::shared_ptr<const RunModel> RunListModel::run(int row) const {
  if (row < 0 || row >= runs_.size()) return nullptr;
  return runs_[row];
}

int RunListModel::rowOf(const QString& dir) const {
  const QString c = canonical(dir);
  for (int i = 0; i < runs_.size(); ++i) {
    if (runs_[i]->dir() == c) return i;
  }
  return -1;
}

int RunListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const RunModel& run = *runs_[index.row()];
  if (role == Qt::ToolTipRole) {
    if (!run.ok()) return run.error();
    return run.dir() + (run.warnings().isEmpty() ? QString() : QStringLiteral("\n") + run.warnings().join(QLatin1Char('\n')));
  }
  if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
  const bool sort_value = role == Qt::UserRole;
  if (!run.ok()) {
    if (index.column() == Name) return QFileInfo(run.dir()).fileName();
    if (index.column() == Lab) return lab_of_folder(run.dir());
    if (index.column() == Status) return QStringLiteral("error");
    return {};
  }
  const auto& info = run.result().info;
  switch (index.column()) {
    case Name: return run.display_name();
    case Lab: return run.lab();
    case Scenario: return QString::fromStdString(info.scenario_name);
    case Target: return QString::fromStdString(info.target_host);
    case Strategy: return run.strategy();
    case Date: {
      const auto t = QDateTime::fromMSecsSinceEpoch(info.started_unix_ms, Qt::UTC);
      return sort_value ? QVariant::fromValue<qlonglong>(info.started_unix_ms)
                        : QVariant(t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    }
    case Duration: return sort_value ? QVariant(run.duration_s()) : QVariant(QString::number(run.duration_s(), 'f', 1) + QStringLiteral(" s"));
    case Users: return run.users();
    case Rps: return sort_value ? QVariant(run.requests_per_s()) : QVariant(QString::number(run.requests_per_s(), 'f', 1));
    case ErrorRate: return sort_value ? QVariant(run.error_rate()) : QVariant(QString::number(100.0 * run.error_rate(), 'f', 2) + QStringLiteral(" %"));
    case Status:  // a run read with warnings says so; the tooltip and status bar say what
      if (run.engine_gone()) return QStringLiteral("engine gone");
      return QString::fromStdString(info.status) + (run.warnings().isEmpty() ? QString() : QStringLiteral(" (warning)"));
    default: return {};
  }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Run", "Lab", "Scenario", "Target", "Strategy", "Date (UTC)",
                                       "Duration", "Users", "Req/s", "Errors", "Status"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

}  // namespace stampede::gui

namespace stampede::gui {

void RunListModel::sort(int column, Qt::SortOrder order) {
  if (column < 0 || column >= ColumnCount || runs_.size() < 2) return;
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  QList<const RunModel*> old_order;
  for (const auto& r : runs_) old_order.append(r.get());
  QList<QVariant> keys;  // computed once per row, in the old order
  for (int row = 0; row < runs_.size(); ++row) keys.append(data(index(row, column), Qt::UserRole));
  QList<int> perm(runs_.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(), [&](int a, int b) {
    const bool ok_a = runs_[a]->ok(), ok_b = runs_[b]->ok();
    if (ok_a != ok_b) return ok_a;
    const auto cmp = QVariant::compare(keys[a], keys[b]);
    return order == Qt::AscendingOrder ? cmp == QPartialOrdering::Less : cmp == QPartialOrdering::Greater;
  });
  QList<std::shared_ptr<const RunModel>> sorted;
  for (int i : perm) sorted.append(runs_[i]);
  runs_ = std::move(sorted);
  QModelIndexList after;
  for (const QModelIndex& idx : before) {
    const RunModel* moved = old_order[idx.row()];
    int row = 0;
    while (runs_[row].get() != moved) ++row;
    after.append(index(row, idx.column()));
  }
  changePersistentIndexList(before, after);
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

}  // namespace stampede::gui
