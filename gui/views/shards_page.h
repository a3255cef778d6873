// ShardsPage: per shard request and write share (bars), result rows per shard (bars, from
// server.json), p95 per shard (bars: the server's shard time; the client's latency and, in
// an open-model run, service time of the responses that named only that shard), the balance
// scores, the shard table (requests, writes, single-shard requests and their p95 latency and
// service time, rows, store queries, endpoints that touched it) and a heat
// map of p95 shard time per shard × endpoint. Runs without Server-Timing shard data, or
// without server.json (made without `stampede lab`), say so instead of drawing zeros.
#pragma once

#include <QLabel>
#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/shard_model.h"
#include "gui/views/chart_view.h"
#include "gui/views/heat_map_widget.h"

namespace stampede::gui {

class ShardsPage : public QWidget {
  Q_OBJECT
 public:
  explicit ShardsPage(QWidget* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);
  QList<ChartView*> charts() const { return {shares_, shard_time_, rows_}; }
  QLabel* balanceLabel() const { return balance_; }
  HeatMapWidget* heatMap() const { return heat_map_; }
  ShardModel* model() const { return model_; }
  // The p95-per-shard chart's bar sets, one value per shard: the server's shard time; the
  // client's service time (open model) and latency of the single-shard responses, each only
  // when the run recorded it (0 for a shard without it).
  QList<BarSetData> shardTimeSets(bool open_model) const;
  static QString shardTimeSetName();
  static QString serviceSetName();
  static QString latencySetName(bool open_model);

 private:
  void draw(const std::shared_ptr<const RunModel>& run);
  void showBalance(const RunModel& run);
  void drawRows();
  void drawShardTimes(const QStringList& categories, bool open_model);

  ShardModel* model_;
  QLabel* balance_;
  QTableView* table_;
  ChartView* shares_;
  ChartView* shard_time_;
  ChartView* rows_;
  HeatMapWidget* heat_map_;
  QString dir_;  // of the run drawn, "" when none
};

}  // namespace stampede::gui
