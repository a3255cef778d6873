// RunListModel: the table of result folders the dashboard knows — every run folder under a
// root (e.g. results/runs), the run folders of lab folders (results/labs/<ts>-lab/<strategy>/,
// written by `stampede lab`), plus any opened explicitly. Columns: name, lab, scenario,
// target, strategy, date (UTC), duration, users, req/s, error rate, status.
//
// Each folder is read when added (RunModel::load); reload() re-reads it and extend() grows a
// followed run by its new history lines. A folder that does not read keeps its row: status
// "error", the message as tooltip and in run(row)->error(). Rows move when sorted: keep
// QPersistentModelIndex (or rowOf) rather than row numbers. Qt Core only; GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <memory>

#include "gui/model/run_model.h"

namespace stampede::gui {

class RunListModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Name, Lab, Scenario, Target, Strategy, Date, Duration, Users, Rps, ErrorRate, Status, ColumnCount };

  explicit RunListModel(QObject* parent = nullptr);

  // Adds every direct sub-folder of `root` that holds a run.json (sorted by name). Returns
  // the number of folders added. Folders already listed are skipped.
  int addRoot(const QString& root);
  // Adds the run folders of one lab folder (see result_folders.h), sorted by name. Returns
  // their rows (existing rows for folders already listed); empty when it holds no run.
  QList<int> addLab(const QString& lab_dir);
  // Adds the run folders of every lab folder under `root` (e.g. results/labs). Returns the
  // number of folders added.
  int addLabsRoot(const QString& root);
  // Adds one folder (even if it has no run.json: its row then shows the error). Returns its
  // row; an already listed folder (same canonical path) returns its existing row.
  int addFolder(const QString& dir);
  // Re-reads one folder (e.g. a live run that finished).
  void reload(int row);
  // Appends a followed run's new history lines without re-reading it (RunModel::extended).
  // False, and nothing changed, when the run cannot grow that way: reload() it instead.
  bool extend(int row, std::vector<results::HistoryPoint> points);

  std::shared_ptr<const RunModel> run(int row) const;
  int rowOf(const QString& dir) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  // Sorts by the column's raw value (Qt::UserRole); rows that failed to read go last.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  QList<std::shared_ptr<const RunModel>> runs_;
};

}  // namespace stampede::gui
