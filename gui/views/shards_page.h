// ShardsPage: per shard request and write share (bars), result rows per shard (bars, from
// server.json), p95 shard time (bars), the balance scores, the shard table (requests,
// writes, single-shard requests, rows, store queries, endpoints that touched it) and a heat
// map of p95 shard time per shard × endpoint. Runs without Server-Timing shard data, or
// without server.json (made without `stampede lab`), say so instead of drawing zeros.
#pragma once

#include <QLabel>
#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/shard_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

// Shard × endpoint grid coloured by p95 shard time (log scale, pale = fast, dark = slow;
// grey = the endpoint never touched the shard), with the colour scale on the right. Hover a
// cell for its values; right-click → Export PNG.
class HeatMapWidget : public QWidget {
 public:
  explicit HeatMapWidget(QWidget* parent = nullptr);
  void setMatrix(ShardMatrix matrix);
  const ShardMatrix& matrix() const { return matrix_; }
  // Put in front of the title (the run's label), like ChartView::setSubject.
  void setSubject(const QString& subject);
  QString title() const;
  bool exportPng(const QString& path);
  // The colour scale bar (empty when there is nothing to draw); fastest at the bottom.
  QRectF scaleRect() const;
  // The column labels as drawn under the grid, one per matrix().endpoints: method and name
  // ("GET /api/orders/recent [Time Range]"), the name elided in the middle to fit.
  QStringList columnLabels() const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool event(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  QRectF cellRect(int row, int column) const;
  QFont labelFont() const;  // the cell values and labels: a little smaller than the widget's
  ShardMatrix matrix_;
  QString subject_;
};

class ShardsPage : public QWidget {
  Q_OBJECT
 public:
  explicit ShardsPage(QWidget* parent = nullptr);
  void setRun(std::shared_ptr<const RunModel> run);
  QList<ChartView*> charts() const { return {shares_, shard_time_, rows_}; }
  QLabel* balanceLabel() const { return balance_; }
  HeatMapWidget* heatMap() const { return heat_map_; }
  ShardModel* model() const { return model_; }

 private:
  void draw(const std::shared_ptr<const RunModel>& run);
  void showBalance(const RunModel& run);
  void drawRows();

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
