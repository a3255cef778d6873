#include "gui/views/endpoints_page.h"

#include <QCursor>
#include <QGridLayout>
#include <QToolTip>
#include <QHeaderView>
#include <QTabBar>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QLogValueAxis>

#include "gui/views/run_charts.h"

namespace stampede::gui {

QString EndpointsPage::histogramTipAt(double x_ms) const {
  for (const HistogramBin& b : bins_) {
    if (x_ms < b.lo_ms || x_ms > b.hi_ms) continue;
    return tr("%1–%2 ms: %3 requests").arg(b.lo_ms, 0, 'g', 4).arg(b.hi_ms, 0, 'g', 4).arg(b.count);
  }
  return {};
}

EndpointsPage::EndpointsPage(QWidget* parent)
    : QWidget(parent),
      model_(new EndpointTableModel(this)),
      table_(new QTableView),
      failures_(new FailureTableModel(this)),
      failures_table_(new QTableView),
      no_failures_(new QLabel(tr("No failures"))),
      failures_stack_(new QStackedWidget),
      tabs_(new QTabWidget),
      percentiles_(new ChartView(tr("Latency by percentile"))),
      histogram_(new ChartView(tr("Latency histogram"))),
      over_time_(new ChartView(tr("Latency over time"))) {
  table_->setModel(model_);
  table_->setSortingEnabled(true);  // sorts by the header's indicator, column 0 by default...
  table_->sortByColumn(-1, Qt::AscendingOrder);  // ... so open in stats.json's order instead
  table_->horizontalHeader()->setSortIndicatorClearable(true);  // a third click goes back to it
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->horizontalHeader()->setSectionResizeMode(EndpointTableModel::Name, QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { selectEndpoint(model_->endpointKey(current.row())); });

  // Failures: Locust's table, on a tab beside the endpoint table so the charts keep their room.
  failures_table_->setModel(failures_);
  failures_table_->setSortingEnabled(true);
  failures_table_->sortByColumn(-1, Qt::AscendingOrder);  // stats.json's order: most first
  failures_table_->horizontalHeader()->setSortIndicatorClearable(true);
  failures_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  failures_table_->horizontalHeader()->setSectionResizeMode(FailureTableModel::Error, QHeaderView::Stretch);
  failures_table_->verticalHeader()->hide();
  no_failures_->setAlignment(Qt::AlignCenter);
  failures_stack_->addWidget(failures_table_);
  failures_stack_->addWidget(no_failures_);
  tabs_->setDocumentMode(true);
  tabs_->addTab(table_, tr("Statistics"));
  tabs_->addTab(failures_stack_, QString());
  showFailureCount();

  auto* charts = new QWidget;
  auto* grid = new QGridLayout(charts);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(percentiles_, 0, 0);
  grid->addWidget(histogram_, 0, 1);
  grid->addWidget(over_time_, 1, 0, 1, 2);
  auto* splitter = new QSplitter(Qt::Vertical);
  splitter->setObjectName(QStringLiteral("endpointsSplitter"));
  splitter->addWidget(tabs_);
  splitter->addWidget(charts);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);
}

void EndpointsPage::setRun(std::shared_ptr<const RunModel> run) {
  // The same folder re-read (a run being followed): keep the endpoint the user picked.
  const bool same = run && run_ && run->dir() == run_->dir();
  const QString kept = same ? model_->endpointKey(table_->currentIndex().row()) : QString();
  // ... and what they did to its charts (zoom, hidden series).
  QList<ChartView::View> views;
  for (ChartView* c : charts()) views.append(c->view());
  run_ = std::move(run);
  model_->setRun(run_);
  table_->resizeColumnsToContents();
  failures_->setRun(run_);
  failures_table_->resizeColumnsToContents();
  showFailureCount();
  int row = 0;
  while (!kept.isEmpty() && row < model_->rowCount() && model_->endpointKey(row) != kept) ++row;
  if (!kept.isEmpty() && row < model_->rowCount()) table_->selectRow(row);  // currentRowChanged draws it
  else selectEndpoint({});
  if (!same || model_->endpointKey(table_->currentIndex().row()) != kept) return;
  for (qsizetype i = 0; i < views.size(); ++i) charts()[i]->restoreView(views[i]);
}

void EndpointsPage::showFailureCount() {
  const int rows = failures_->rowCount();
  const bool read = run_ && run_->ok();
  // The tab counts failed requests, as # Fails does; the rows are their distinct errors.
  no_failures_->setText(read ? tr("No failures") : run_ ? tr("This run did not read") : tr("No run selected"));
  tabs_->setTabText(FailuresTab, read ? tr("Failures (%1)").arg(failures_->totalOccurrences()) : tr("Failures"));
  tabs_->setTabToolTip(FailuresTab, rows ? tr("%1 failed requests or checks: %2 distinct errors, one row per "
                                              "(method, name, error)")
                                                 .arg(failures_->totalOccurrences())
                                                 .arg(rows)
                                         : no_failures_->text());
  // Red when something failed, so it is seen from the Statistics tab.
  tabs_->tabBar()->setTabTextColor(FailuresTab, rows ? QColor(0xd6, 0x27, 0x28) : QColor());
  failures_stack_->setCurrentWidget(rows ? static_cast<QWidget*>(failures_table_) : no_failures_);
}

void EndpointsPage::selectEndpoint(const QString& key) {
  for (ChartView* c : charts()) c->clearChart();
  bins_.clear();
  for (ChartView* c : charts()) c->setSubject(run_ && run_->ok() ? run_->display_name() : QString());
  if (!run_ || !run_->ok()) {
    for (ChartView* c : charts()) c->setPlaceholder(run_ ? run_->error() : tr("no run selected"));
    return;
  }
  const QString label = key.isEmpty() ? tr("all endpoints") : key;
  const results::Histogram& hist = run_->latency_histogram(key);

  // Percentile curve: x = 1/(1-p) on a log axis, so the tail gets the room it deserves.
  auto* px = new QLogValueAxis;
  px->setBase(10);
  px->setLabelFormat(QStringLiteral("%g"));
  px->setTitleText(tr("1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9"));
  px->setMinorTickCount(8);
  percentiles_->chart()->addAxis(px, Qt::AlignBottom);
  QValueAxis* py = percentiles_->addValueAxis(Qt::AlignLeft, tr("ms"));
  const SeriesData curve = percentile_curve(hist, label);
  fit_y_from_zero(py, {curve});
  px->setRange(1, percentile_axis_end({curve}));
  percentiles_->addLine(curve, px, py)->setPointsVisible(true);
  percentiles_->finishChart();

  // Histogram as steps over log-spaced bins on a log ms axis: bar widths match the bins.
  bins_ = latency_bins(hist);
  const QList<HistogramBin>& bins = bins_;
  auto* upper = new QLineSeries;
  double top = 0;
  for (const HistogramBin& b : bins) {
    upper->append(b.lo_ms, 0);
    upper->append(b.lo_ms, static_cast<double>(b.count));
    upper->append(b.hi_ms, static_cast<double>(b.count));
    upper->append(b.hi_ms, 0);
    top = std::max(top, static_cast<double>(b.count));
  }
  auto* area = new QAreaSeries(upper);
  upper->setParent(area);  // QAreaSeries does not own its boundary series; tie its lifetime here
  area->setName(label);
  histogram_->chart()->addSeries(area);
  connect(area, &QAreaSeries::hovered, histogram_, [this](const QPointF& p, bool state) {
    const QString tip = state ? histogramTipAt(p.x()) : QString();
    if (tip.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(QCursor::pos(), tip, histogram_);
  });
  auto* hx = new QLogValueAxis;
  hx->setBase(10);
  hx->setLabelFormat(QStringLiteral("%g"));
  hx->setMinorTickCount(8);
  hx->setTitleText(tr("ms"));
  histogram_->chart()->addAxis(hx, Qt::AlignBottom);
  if (!bins.isEmpty()) hx->setRange(bins.front().lo_ms, std::max(bins.back().hi_ms, bins.front().lo_ms * 1.01));
  area->attachAxis(hx);
  QValueAxis* hy = histogram_->addValueAxis(Qt::AlignLeft, tr("count"));
  hy->setRange(0, top > 0 ? top * 1.1 : 1.0);
  hy->applyNiceNumbers();
  area->attachAxis(hy);
  // Where p50, p95, p99 and the max fall: a tail of a few slow requests is too short a bar
  // to see on a count axis, but its marker is not.
  if (!hist.empty()) {
    QList<double> xs;
    QStringList names;
    const auto mark = [&](std::uint64_t us, const QString& name) {
      if (!xs.isEmpty() && xs.back() == us_to_ms(us)) {  // p99 = max with few requests
        names.back() += QStringLiteral(" = ") + name;
        return;
      }
      xs.append(us_to_ms(us));
      names.append(name);
    };
    for (double p : {50.0, 95.0, 99.0}) mark(hist.value_at_percentile(p), QStringLiteral("p%1").arg(p));
    mark(hist.max(), tr("max"));
    histogram_->addMarkers(xs, hx, hy, names);
  }
  histogram_->finishChart();

  QValueAxis* tx = add_time_axis(over_time_, run_->duration_s());
  QValueAxis* ty = over_time_->addValueAxis(Qt::AlignLeft, tr("ms"));
  QList<SeriesData> lines;
  for (double p : {50.0, 95.0, 99.0}) lines.append(run_->latency_series(p, key));
  fit_y_from_zero(ty, lines);
  for (const auto& s : lines) over_time_->addLine(s, tx, ty)->setPointsVisible(true);
  over_time_->setTitle(tr("Latency over time (%1)").arg(label));
  over_time_->finishChart();
  if (hist.empty()) {
    for (ChartView* c : {percentiles_, histogram_}) c->setPlaceholder(tr("no data: no requests recorded"));
  }
  if (lines.front().points.isEmpty()) over_time_->setPlaceholder(tr("no data: no requests in any interval"));
}

}  // namespace stampede::gui
