// ShardsPage: per shard request and write share (bars), p95 shard time (bars), the shard
// table (requests, writes, single-shard requests, endpoints that touched it) and a heat map
// of p95 shard time per shard × endpoint. Runs without Server-Timing shard data say so.
#pragma once

#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/shard_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

// Shard × endpoint grid coloured by p95 shard time (log scale, pale = fast, dark = slow;
// grey = the endpoint never touched the shard). Hover a cell for its values.
class HeatMapWidget : public QWidget {
 public:
  explicit HeatMapWidget(QWidget* parent = nullptr);
  void setMatrix(ShardMatrix matrix);
  const ShardMatrix& matrix() const { return matrix_; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;

 private:
  QRectF cellRect(int row, int column) const;
  ShardMatrix matrix_;
};

class ShardsPage : public QWidget {
  Q_OBJECT
 public:
  explicit ShardsPage(QWidget* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);
  QList<ChartView*> charts() const { return {shares_, shard_time_}; }
  HeatMapWidget* heatMap() const { return heat_map_; }
  ShardModel* model() const { return model_; }

 private:
  ShardModel* model_;
  QTableView* table_;
  ChartView* shares_;
  ChartView* shard_time_;
  HeatMapWidget* heat_map_;
};

}  // namespace stampede::gui
