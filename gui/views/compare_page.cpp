#include "gui/views/compare_page.h"

#include <QHeaderView>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <algorithm>
#include <cmath>

#include "gui/model/shard_model.h"
#include "gui/views/distribution_charts.h"
#include "gui/views/run_charts.h"

namespace stampede::gui {
namespace {

// Rows as tall as the font needs (the style's default is far taller), and a size hint
// that is the whole table, so the layout gives it every row before any spare space.
void compact(QTableView* table) {
  table->verticalHeader()->hide();
  const int row = table->fontMetrics().height() + 6;
  table->verticalHeader()->setMinimumSectionSize(row);
  table->verticalHeader()->setDefaultSectionSize(row);
  table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  table->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Maximum);
  table->setWordWrap(false);
}

// The label a bar shows for `value`, as Qt Charts writes it ("@value", 'g' with the
// series' precision; values are rounded before they are drawn, so at most one decimal).
QString bar_label(const QBarSeries* series, double value) {
  return QString::number(value, 'g', series->labelsPrecision());
}

// Values above the bars only while every one of them fits: no wider than its bar (so two
// never overlap) and inside the plot. Checked again whenever the plot is resized, zoomed
// or panned; otherwise hover and the shard table give the values.
void fit_bar_labels(QChart* chart, QBarSeries* series) {
  const QRectF plot = chart->plotArea();
  const int sets = static_cast<int>(series->count());
  bool fits = sets > 0 && plot.width() > 0 && plot.height() > 0;
  if (fits) {
    const double step = series->barWidth() / sets;  // category units per bar
    const double bar_px = chart->mapToPosition(QPointF(step, 0), series).x() - chart->mapToPosition({0, 0}, series).x();
    for (int i = 0; fits && i < sets; ++i) {
      const QBarSet* set = series->barSets()[i];
      const QFontMetricsF metrics(set->labelFont());
      for (int k = 0; fits && k < set->count(); ++k) {
        if (set->at(k) == 0) continue;  // Qt Charts shows no label on a 0 bar
        const double top = chart->mapToPosition(QPointF(k, set->at(k)), series).y();
        fits = metrics.horizontalAdvance(bar_label(series, set->at(k))) <= bar_px - 2 &&
               top - metrics.height() - 4 >= plot.top();
      }
    }
  }
  if (series->isLabelsVisible() != fits) series->setLabelsVisible(fits);
}

// Readable bar values: `decimals` at most (the values must be rounded to them), written
// above the bar in the axis' label colour, with room above the tallest bar for its label.
void label_bars(ChartView* view, QBarSeries* series, double top, int decimals) {
  QChart* chart = view->chart();
  series->setBarWidth(0.8);  // wider bars hold their labels; groups stay apart
  series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
  series->setLabelsFormat(QStringLiteral("@value"));
  const int digits = top >= 1 ? static_cast<int>(std::floor(std::log10(top))) + 1 : 1;
  series->setLabelsPrecision(digits + decimals);
  const auto refit = [chart, series] { fit_bar_labels(chart, series); };
  QObject::connect(chart, &QChart::plotAreaChanged, series, refit);
  for (QAbstractAxis* axis : series->attachedAxes()) {
    if (auto* x = qobject_cast<QBarCategoryAxis*>(axis)) QObject::connect(x, &QBarCategoryAxis::rangeChanged, series, refit);
    auto* y = qobject_cast<QValueAxis*>(axis);
    if (!y) continue;
    for (QBarSet* set : series->barSets()) set->setLabelColor(y->labelsColor());
    if (y->max() < top * 1.12 && y->tickCount() > 1) {
      // Room for the tallest bar's label; the ticks stay where addBars put them (0, 20 ... 100).
      y->setTickType(QValueAxis::TicksDynamic);
      y->setTickAnchor(y->min());
      y->setTickInterval((y->max() - y->min()) / (y->tickCount() - 1));
      y->setMax(top * 1.12);
    }
    QObject::connect(y, &QValueAxis::rangeChanged, series, refit);
  }
  fit_bar_labels(chart, series);
}

double round_to(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

}  // namespace

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent),
      model_(new CompareModel(this)),
      shard_model_(new ShardCompareModel(this)),
      note_(new QLabel),
      shard_note_(new QLabel),
      omitted_note_(new QLabel),
      charts_grid_(new QGridLayout),
      throughput_metric_(new QComboBox),
      latency_metric_(new QComboBox),
      log_percentiles_(new QCheckBox(tr("Log ms axis"))),
      table_(new QTableView),
      shard_table_(new QTableView),
      rps_(new ChartView(tr("Requests/s"))),
      p95_(new ChartView(tr("p95 response time"))),
      percentiles_(new ChartView(tr("Latency by percentile (all endpoints)"))),
      shard_writes_(new ChartView(tr("Write share per shard"))),
      // Parented here: it is out of the layout while no run has a server.json.
      shard_rows_(new ChartView(tr("Result rows per shard (server.json)"), this)) {
  table_->setModel(model_);
  shard_table_->setModel(shard_model_);
  compact(table_);
  compact(shard_table_);
  // Two-line headers ("hash" over "write share") keep the shard table narrow.
  shard_table_->horizontalHeader()->setDefaultAlignment(Qt::AlignCenter);
  note_->setWordWrap(true);
  // Error messages carry long paths that cannot wrap: never let them widen the window.
  note_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  shard_note_->setWordWrap(true);
  shard_note_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  omitted_note_->setWordWrap(true);
  omitted_note_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  omitted_note_->setForegroundRole(QPalette::PlaceholderText);
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
  connect(log_percentiles_, &QCheckBox::toggled, this, [this] { drawPercentiles(); });
  const auto with_picker = [](QWidget* picker, ChartView* chart) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(picker, 0, Qt::AlignLeft);
    layout->addWidget(chart, 1);
    return box;
  };
  rps_box_ = with_picker(throughput_metric_, rps_);
  p95_box_ = with_picker(latency_metric_, p95_);
  percentiles_box_ = with_picker(log_percentiles_, percentiles_);
  auto* tables = new QVBoxLayout;
  tables->addWidget(table_);
  tables->addWidget(omitted_note_);
  tables->addWidget(shard_table_);
  tables->addWidget(shard_note_);
  tables->addStretch(1);
  auto* body = new QHBoxLayout;
  body->addLayout(charts_grid_, 2);
  body->addLayout(tables, 1);
  auto* page = new QVBoxLayout(this);
  page->addWidget(note_);
  page->addLayout(body, 1);
  arrangeCharts(false);
}

void ComparePage::arrangeCharts(bool with_rows) {
  for (QWidget* w : {rps_box_, p95_box_, percentiles_box_, static_cast<QWidget*>(shard_writes_),
                     static_cast<QWidget*>(shard_rows_)}) {
    charts_grid_->removeWidget(w);
  }
  // Six grid columns: the top row's charts span two each, the bottom row's three.
  const int top_span = with_rows ? 2 : 3;
  charts_grid_->addWidget(rps_box_, 0, 0, 1, top_span);
  charts_grid_->addWidget(p95_box_, 0, top_span, 1, top_span);
  if (with_rows) {
    charts_grid_->addWidget(percentiles_box_, 0, 4, 1, 2);
    charts_grid_->addWidget(shard_writes_, 1, 0, 1, 3);
    charts_grid_->addWidget(shard_rows_, 1, 3, 1, 3);
  } else {
    charts_grid_->addWidget(percentiles_box_, 1, 0, 1, 3);
    charts_grid_->addWidget(shard_writes_, 1, 3, 1, 3);
  }
  for (int c = 0; c < 6; ++c) charts_grid_->setColumnStretch(c, 1);
  charts_grid_->setRowStretch(0, 1);
  charts_grid_->setRowStretch(1, 1);
  shard_rows_->setVisible(with_rows);
}

void ComparePage::setRuns(QList<std::shared_ptr<const RunModel>> runs) {
  QStringList dirs;
  for (const auto& r : runs) dirs.append(r ? r->dir() : QString());
  QList<ChartView::View> views;
  if (dirs == dirs_) {
    for (ChartView* c : charts()) views.append(c->view());
  }
  dirs_ = dirs;
  draw(std::move(runs));
  for (qsizetype i = 0; i < views.size(); ++i) charts()[i]->restoreView(views[i]);
}

void ComparePage::draw(QList<std::shared_ptr<const RunModel>> runs) {
  model_->setRuns(std::move(runs));
  shard_model_->setRuns(model_->runs(), model_->names());
  for (ChartView* c : charts()) c->clearChart();
  QString note = model_->runs().size() < 2
                     ? tr("Select two or more runs in the run list to compare them (the first is the baseline).")
                     : tr("Baseline: %1").arg(model_->runs().front()->display_name());
  for (const QString& e : model_->skippedErrors()) note += QStringLiteral("\nSkipped: ") + e;
  note_->setText(note);
  // One line (the table keeps its room); the reasons in the tooltip.
  QStringList omitted;
  for (CompareModel::Row row : model_->omitted()) omitted.append(model_->rowLabel(row));
  omitted_note_->setText(omitted.isEmpty() ? QString() : tr("Not in the table, no run has them: %1").arg(omitted.join(QStringLiteral(", "))));
  omitted_note_->setToolTip(model_->omittedRows().join(QLatin1Char('\n')));
  omitted_note_->setVisible(!omitted.isEmpty());
  if (model_->runs().isEmpty()) {
    arrangeCharts(false);
    shard_note_->clear();
    return;
  }

  drawOverTime(rps_, throughput_metric_);
  drawOverTime(p95_, latency_metric_);

  drawPercentiles();
  drawShards();
  table_->resizeColumnsToContents();
  shard_table_->resizeColumnsToContents();
}

void ComparePage::drawPercentiles() {
  percentiles_->clearChart();
  if (model_->runs().isEmpty()) return;
  draw_percentile_curves(percentiles_, model_->percentileCurves(), log_percentiles_->isChecked(),
                         tr("1/(1-p): 10 = p90, 100 = p99"));
  percentiles_->finishChart();
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
  const bool any_server = m.anyServerReport();
  arrangeCharts(any_server && m.shardCount() > 0);
  // Without any server.json every rows column and its balance would be "—": left out.
  for (int column = 0; column < m.columnCount(); ++column) {
    shard_table_->setColumnHidden(column, !any_server && column > m.runCount());
  }
  if (m.shardCount() == 0) {
    shard_writes_->setPlaceholder(tr("no shard data in these runs"));
    shard_note_->clear();
    return;
  }
  QStringList categories;
  for (int k = 0; k < m.shardCount(); ++k) categories.append(tr("shard %1").arg(k));
  // A run with fewer shards than another gets a 0 bar for the shards it does not have; the
  // shard table shows "—" there. Shares are rounded to the table's one decimal.
  QList<BarSetData> writes, rows;
  QStringList without_server;
  double top_share = 0;
  for (int run = 0; run < m.runCount(); ++run) {
    BarSetData w{m.names()[run], {}};
    BarSetData r{m.names()[run], {}};
    for (int k = 0; k < m.shardCount(); ++k) {
      w.values.append(round_to(100.0 * m.writeShare(run, k).value_or(0.0), 1));
      r.values.append(static_cast<double>(m.resultRows(run, k).value_or(0)));
      top_share = std::max(top_share, w.values.back());
    }
    writes.append(w);
    if (m.summary(run).has_server) {
      rows.append(r);
    } else {
      without_server.append(m.names()[run]);  // no rows bars at all, never zeros
    }
  }
  label_bars(shard_writes_, shard_writes_->addBars(categories, writes, tr("% of the run's writes"), 100),
             top_share, 1);
  shard_writes_->finishChart();
  QStringList note;
  if (rows.isEmpty()) {
    note.append(tr("No rows per shard: no server.json in these runs (made without `stampede lab`)."));
  } else {
    if (!without_server.isEmpty()) {
      note.append(tr("No rows bars for %1: no server.json (made without `stampede lab`).")
                      .arg(without_server.join(QStringLiteral(", "))));
    }
    double top_rows = 0;
    for (const BarSetData& r : rows) top_rows = std::max(top_rows, *std::max_element(r.values.begin(), r.values.end()));
    label_bars(shard_rows_, shard_rows_->addBars(categories, rows, tr("rows")), top_rows, 0);
    shard_rows_->finishChart();
  }
  note.append(tr("Balance: how evenly a column is spread over the shards, 100 × (1 − stddev / mean); "
                 "100 = even, 0 = very uneven."));
  shard_note_->setText(note.join(QLatin1Char('\n')));
}

}  // namespace stampede::gui
