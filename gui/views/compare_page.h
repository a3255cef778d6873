// ComparePage: two or more runs overlaid (the first is the baseline) — a throughput metric
// (req/s, users or failures/s) and a latency percentile (p50, p95 or p99) over time, each
// picked in a combo box above its chart, the aggregate percentile curves, the diff table
// with ratios, and the shards side by side: write share and result rows (server.json) per
// shard for each run, with each run's balance scores in the shard table (e.g. a lab's hash,
// range and time runs). The tables take the right third of the page at full height, with
// rows as tall as the font needs, so every row shows without scrolling at 1500×1000. The
// rows chart is shown only when a run has a server.json; otherwise a line of text below
// the shard table says why, and the four other charts share the space. The same runs again
// (a followed run re-read) keep their charts' zoom and hidden series.
#pragma once

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QTableView>
#include <QWidget>
#include <memory>

#include "gui/model/compare_model.h"
#include "gui/model/shard_compare_model.h"
#include "gui/views/chart_view.h"

namespace stampede::gui {

class ComparePage : public QWidget {
  Q_OBJECT
 public:
  explicit ComparePage(QWidget* parent = nullptr);
  void setRuns(QList<std::shared_ptr<const RunModel>> runs);
  // rps, p95, percentiles (one line per run), then write share and rows per shard (one bar
  // set per run; the rows chart is hidden while no run has a server.json).
  QList<ChartView*> charts() const { return {rps_, p95_, percentiles_, shard_writes_, shard_rows_}; }
  CompareModel* model() const { return model_; }
  ShardCompareModel* shardModel() const { return shard_model_; }
  QComboBox* throughputMetric() const { return throughput_metric_; }
  QComboBox* latencyMetric() const { return latency_metric_; }
  // Puts the percentile chart's ms axis on a log scale.
  QCheckBox* logPercentiles() const { return log_percentiles_; }
  QTableView* diffTable() const { return table_; }
  QTableView* shardTable() const { return shard_table_; }
  // Below the shard table: why there are no rows bars (when so) and what Balance means.
  QLabel* shardNote() const { return shard_note_; }
  // Under the diff table: the optional rows left out because no run has them, and why
  // (CompareModel::omittedRows); empty when none is.
  QLabel* omittedNote() const { return omitted_note_; }

 private:
  void draw(QList<std::shared_ptr<const RunModel>> runs);
  void drawShards();
  void drawOverTime(ChartView* view, QComboBox* metric);
  void drawPercentiles();
  // Places the charts: three over two with the rows chart, else two over two.
  void arrangeCharts(bool with_rows);

  CompareModel* model_;
  ShardCompareModel* shard_model_;
  QLabel* note_;
  QLabel* shard_note_;
  QLabel* omitted_note_;
  QGridLayout* charts_grid_;
  QComboBox* throughput_metric_;
  QComboBox* latency_metric_;
  QCheckBox* log_percentiles_;
  QTableView* table_;
  QTableView* shard_table_;
  ChartView* rps_;
  ChartView* p95_;
  ChartView* percentiles_;
  ChartView* shard_writes_;
  ChartView* shard_rows_;
  QWidget* rps_box_;  // the chart with its metric picker
  QWidget* p95_box_;
  QWidget* percentiles_box_;
  QStringList dirs_;  // the runs drawn, baseline first
};

}  // namespace stampede::gui
