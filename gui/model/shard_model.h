// ShardModel: the shard table of one run (see shard_summary.h for the definitions). One row
// per shard 0..N-1:
//   shard ("(down)" when server.json says so), requests (responses that named it), request
//   share, writes (write-endpoint responses that named it), write share, p95 shard time (ms),
//   single-shard requests, their p95 latency and (open model) p95 service time as the client
//   measured them (ms), result rows and their share, store queries (both server.json),
//   endpoints that touched it (full list in the tooltip).
// The service column is an open-model column (isOpenModelColumn): the view hides it for a
// closed-model run, as the endpoint table does its service columns. The p95 queue delay
// (server.json, queued write path only: stock taken → row committed by a consumer) is shown
// only for a run whose server.json has the queue's figures. A shard without
// single-shard responses (or an older folder) shows "—" there, never 0.
// Plus the shard × endpoint matrix of p95 shard time for a heat map.
//
// Without server.json the rows / store-queries cells show "—" with the reason as tooltip and
// have no Qt::UserRole value (never a made-up 0). A run without any shard data (no
// Server-Timing and no server.json, or a live run) has no rows. GUI thread only.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>

#include "gui/model/run_model.h"
#include "gui/model/shard_summary.h"

namespace stampede::gui {

// p95 shard time per (shard, endpoint); NaN where the endpoint never touched the shard.
struct ShardMatrix {
  QList<int> shards;              // rows
  QStringList endpoints;          // columns (endpoint keys)
  QList<QList<double>> p95_ms;    // [shard row][endpoint column]
};

class ShardModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    Shard, Requests, RequestShare, Writes, WriteShare, P95, SingleShard, SingleLatencyP95, SingleServiceP95,
    ResultRows, RowShare, StoreQueries, QueueDelayP95, Endpoints, ColumnCount
  };
  static bool isOpenModelColumn(int column) { return column == SingleServiceP95; }

  explicit ShardModel(QObject* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);

  const ShardSummary& summary() const { return summary_; }
  const std::vector<ShardRow>& shardRows() const { return summary_.rows; }
  double requestShare(int row) const;  // 0..1 of all shard-named responses
  double writeShare(int row) const;    // 0..1 of all shard-named writes
  bool hasServerReport() const { return summary_.has_server; }
  ShardMatrix matrix() const;

  // What the page says when the run has no server.json.
  static QString noServerReportText();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVariant serverCell(const ShardRow& row, int column, bool raw) const;

  std::shared_ptr<const RunModel> run_;
  ShardSummary summary_;
};

}  // namespace stampede::gui
