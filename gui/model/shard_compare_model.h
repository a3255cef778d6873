// ShardCompareModel: the shards of two or more runs side by side (e.g. a lab's hash, range
// and time runs): per shard each run's write share and result rows (server.json), and a last
// "Balance" row with each run's balance score of those columns (shard_summary.h: 100 ×
// (1 − stddev / mean) of the per-shard writes or rows; 100 = even).
//   rows    = shards 0..N-1 (N = the largest shard count among the runs), then "Balance"
//   columns = Shard, then per run "<run>\nwrite share", then per run "<run>\nrows" (two-line
//             headers keep the columns narrow; Qt::ToolTipRole says what each one counts)
// A run without server.json shows "—" in its rows column (tooltip says why), never 0; a
// shard a run does not have (fewer shards) shows "—" too. Qt::UserRole gives raw numbers
// (share 0..1, rows, score) or an invalid QVariant where there is none. GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

#include "gui/model/run_model.h"
#include "gui/model/shard_summary.h"

namespace stampede::gui {

class ShardCompareModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  explicit ShardCompareModel(QObject* parent = nullptr);

  // `runs` must have loaded (ok()); `names` label them (same size; e.g. CompareModel::names()).
  void setRuns(QList<std::shared_ptr<const RunModel>> runs, QStringList names);

  int runCount() const { return static_cast<int>(summaries_.size()); }
  int shardCount() const { return shard_count_; }
  const QStringList& names() const { return names_; }
  const ShardSummary& summary(int run) const { return summaries_[static_cast<std::size_t>(run)]; }
  bool anyServerReport() const;
  // What the Balance row means, for a student (the tooltip of the row's label).
  static QString balanceText();

  // Run `run`'s write share of shard `shard` (0..1); nullopt when the run has no such shard.
  std::optional<double> writeShare(int run, int shard) const;
  // Run `run`'s result rows on `shard`; nullopt without server.json (or its line).
  std::optional<quint64> resultRows(int run, int shard) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVariant shardCell(int shard, int run, bool rows, int role) const;
  QVariant balanceCell(int run, bool rows, int role) const;

  std::vector<ShardSummary> summaries_;
  QStringList names_;
  int shard_count_ = 0;
};

}  // namespace stampede::gui
