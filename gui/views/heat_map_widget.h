// HeatMapWidget: the Shards page's shard × endpoint grid of p95 shard time (ShardMatrix).
#pragma once

#include <QWidget>

#include "gui/model/shard_model.h"

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

}  // namespace stampede::gui
