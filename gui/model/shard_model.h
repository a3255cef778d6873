// ShardModel: the shard view of one run, from stats.json's per (endpoint, shard) rows (the
// responses' Server-Timing "shard-<k>;dur=" entries). One row per shard:
//   shard, requests (responses that named it), request share, writes (non-GET/HEAD
//   responses that named it), write share, p95 shard time (ms), single-shard requests,
//   endpoints that touched it.
// Plus the shard × endpoint matrix of p95 shard time for a heat map.
//
// A run without shard data (no Server-Timing, or a live run without stats.json) has no rows.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <memory>
#include <vector>

#include "gui/model/run_model.h"

namespace stampede::gui {

struct ShardRow {
  int shard = 0;
  quint64 requests = 0;
  quint64 writes = 0;
  quint64 single_shard_requests = 0;
  results::Histogram shard_time;  // µs, merged over endpoints
  QStringList endpoints;          // endpoint keys, sorted
};

// p95 shard time per (shard, endpoint); NaN where the endpoint never touched the shard.
struct ShardMatrix {
  QList<int> shards;              // rows
  QStringList endpoints;          // columns (endpoint keys)
  QList<QList<double>> p95_ms;    // [shard row][endpoint column]
};

class ShardModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Shard, Requests, RequestShare, Writes, WriteShare, P95, SingleShard, Endpoints, ColumnCount };

  explicit ShardModel(QObject* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);

  const std::vector<ShardRow>& shardRows() const { return rows_; }
  double requestShare(int row) const;  // 0..1 of all shard-named responses
  double writeShare(int row) const;    // 0..1 of all shard-named writes
  ShardMatrix matrix() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const RunModel> run_;
  std::vector<ShardRow> rows_;
  quint64 total_requests_ = 0;
  quint64 total_writes_ = 0;
};

}  // namespace stampede::gui
