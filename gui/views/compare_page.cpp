#include "gui/views/compare_page.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtCharts/QLogValueAxis>
#include <algorithm>

#include "gui/model/shard_model.h"
#include "gui/views/overview_page.h"

namespace stampede::gui {

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent),
      model_(new CompareModel(this)),
      shard_model_(new ShardCompareModel(this)),
      note_(new QLabel),
      throughput_metric_(new QComboBox),
      latency_metric_(new QComboBox),
      table_(new QTableView),
      shard_table_(new QTableView),
      rps_(new ChartView(tr("Requests/s"))),
      p95_(new ChartView(tr("p95 response time"))),
      percentiles_(new ChartView(tr("Latency by percentile (all endpoints)"))),
      shard_writes_(new ChartView(tr("Write share per shard"))),
      shard_rows_(new ChartView(tr("Result rows per shard (server.json)"))) {
  table_->setModel(model_);
  table_->verticalHeader()->hide();
  shard_table_->setModel(shard_model_);
  shard_table_->verticalHeader()->hide();
  note_->setWordWrap(true);
  // Error messages carry long paths that cannot wrap: never let them widen the window.
  note_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  auto* grid = new QGridLayout(this);
  // Item data: the CompareModel::Metric; item text: the chart title and y axis.
  throughput_metric_->addItem(tr("Requests/s"), static_cast<int>(CompareModel::Metric::Rps));
  throughput_metric_->addItem(tr("Users"), static_cast<int>(CompareModel::Metric::Users));
  throughput_metric_->addItem(tr("Failures/s"), static_cast<int>(CompareModel::Metric::FailuresPerS));
  latency_metric_->addItem(tr("p50 response time"), static_cast<int>(CompareModel::Metric::P50));
  latency_metric_->addItem(tr("p95 response time"), static_cast<int>(CompareModel::Metric::P95));
  latency_metric_->addItem(tr("p99 response time"), static_cast<int>(CompareModel::Metric::P99));
  latency_metric_->setCurrentIndex(1);
  connect(throughput_metric_, &QComboBox::currentIndexChanged, this, [this] { drawOverTime(rps_, throughput_metric_); });
  connect(latency_metric_, &QComboBox::currentIndexChanged, this, [this] { drawOverTime(p95_, latency_metric_); });
  const auto with_picker = [](QComboBox* picker, ChartView* chart) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(picker, 0, Qt::AlignLeft);
    layout->addWidget(chart, 1);
    return box;
  };
  auto* tables = new QSplitter(Qt::Vertical);
  tables->addWidget(table_);
  tables->addWidget(shard_table_);
  grid->addWidget(note_, 0, 0, 1, 3);
  grid->addWidget(with_picker(throughput_metric_, rps_), 1, 0);
  grid->addWidget(with_picker(latency_metric_, p95_), 1, 1);
  grid->addWidget(percentiles_, 1, 2);
  grid->addWidget(shard_writes_, 2, 0);
  grid->addWidget(shard_rows_, 2, 1);
  grid->addWidget(tables, 2, 2);
}

void ComparePage::setRuns(QList<std::shared_ptr<const RunModel>> runs) {
  model_->setRuns(std::move(runs));
  shard_model_->setRuns(model_->runs(), model_->names());
  table_->resizeColumnsToContents();
  shard_table_->resizeColumnsToContents();
  for (ChartView* c : charts()) c->clearChart();
  QString note = model_->runs().size() < 2
                     ? tr("Select two or more runs in the run list to compare them (the first is the baseline).")
                     : tr("Baseline: %1").arg(model_->runs().front()->display_name());
  for (const QString& e : model_->skippedErrors()) note += QStringLiteral("\nSkipped: ") + e;
  note_->setText(note);
  if (model_->runs().isEmpty()) return;

  drawOverTime(rps_, throughput_metric_);
  drawOverTime(p95_, latency_metric_);

  auto* px = new QLogValueAxis;
  px->setBase(10);
  px->setLabelFormat(QStringLiteral("%g"));
  px->setMinorTickCount(8);
  px->setTitleText(tr("1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9"));
  percentiles_->chart()->addAxis(px, Qt::AlignBottom);
  QValueAxis* py = percentiles_->addValueAxis(Qt::AlignLeft, tr("ms"));
  const QList<SeriesData> curves = model_->percentileCurves();
  fit_y_from_zero(py, curves);
  px->setRange(1, percentile_axis_end(curves));
  for (const auto& c : curves) percentiles_->addLine(c, px, py)->setPointsVisible(true);
  percentiles_->finishChart();
  drawShards();
}

void ComparePage::drawOverTime(ChartView* view, QComboBox* picker) {
  view->clearChart();
  const QString name = picker->currentText();
  view->setTitle(name);
  if (model_->runs().isEmpty()) return;
  const auto metric = static_cast<CompareModel::Metric>(picker->currentData().toInt());
  const bool latency = picker == latency_metric_;
  double end = 0;
  for (const auto& r : model_->runs()) end = std::max(end, r->duration_s());
  const QList<SeriesData> series = model_->series(metric);
  QValueAxis* x = add_time_axis(view, end);
  QValueAxis* y = view->addValueAxis(Qt::AlignLeft, latency ? tr("ms") : name.toLower());
  fit_y_from_zero(y, series);
  for (const auto& s : series) view->addLine(s, x, y);
  view->finishChart();
}

void ComparePage::drawShards() {
  const ShardCompareModel& m = *shard_model_;
  if (m.shardCount() == 0) {
    shard_writes_->setPlaceholder(tr("no shard data in these runs"));
    shard_rows_->setPlaceholder(tr("no shard data in these runs"));
    return;
  }
  QStringList categories;
  for (int k = 0; k < m.shardCount(); ++k) categories.append(tr("shard %1").arg(k));
  // A run with fewer shards than another gets a 0 bar for the shards it does not have; the
  // shard table below shows "—" there.
  QList<BarSetData> writes, rows;
  for (int run = 0; run < m.runCount(); ++run) {
    BarSetData w{m.names()[run], {}};
    BarSetData r{m.names()[run], {}};
    for (int k = 0; k < m.shardCount(); ++k) {
      w.values.append(100.0 * m.writeShare(run, k).value_or(0.0));
      r.values.append(static_cast<double>(m.resultRows(run, k).value_or(0)));
    }
    writes.append(w);
    if (m.summary(run).has_server) rows.append(r);  // runs without server.json: no bars at all
  }
  shard_writes_->addBars(categories, writes, tr("% of the run's write touches"), 100);
  shard_writes_->finishChart();
  if (rows.isEmpty()) {
    shard_rows_->setPlaceholder(ShardModel::noServerReportText());
    return;
  }
  if (rows.size() < m.runCount()) {
    shard_rows_->setPlaceholder(tr("runs without server.json left out"));
  }
  shard_rows_->addBars(categories, rows, tr("rows"));
  shard_rows_->finishChart();
}

}  // namespace stampede::gui
