#include "gui/views/endpoints_page.h"

#include <QCursor>
#include <QGridLayout>
#include <QToolTip>
#include <QHeaderView>
#include <QTabBar>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>

#include "gui/views/distribution_charts.h"
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
      exchange_(new ExchangeTableModel(this)),
      exchange_table_(new QTableView),
      no_failures_(new QLabel(tr("No failures"))),
      failures_stack_(new QStackedWidget),
      tabs_(new QTabWidget),
      open_model_note_(new QLabel(tr("Open model: Median … Max = latency (from intended start) · Service = service "
                                     "time (from the actual send) · # Dropped = arrivals not sent, no user free"))),
      log_percentiles_(new QCheckBox(tr("Log ms axis"))),
      log_histogram_(new QCheckBox(tr("Log count axis"))),
      histogram_of_(new QComboBox),
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
  // Beside the tabs (no height taken from the charts); the header tooltips say it per column.
  tabs_->setCornerWidget(open_model_note_, Qt::TopRightCorner);
  tabs_->addTab(failures_stack_, QString());
  showFailureCount();
  // Connections: how the requests travelled, for a run that recorded it (showExchange).
  exchange_table_->setModel(exchange_);
  exchange_table_->setSortingEnabled(true);
  exchange_table_->sortByColumn(-1, Qt::AscendingOrder);
  exchange_table_->horizontalHeader()->setSortIndicatorClearable(true);
  exchange_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  exchange_table_->horizontalHeader()->setSectionResizeMode(ExchangeTableModel::Name, QHeaderView::Stretch);
  exchange_table_->verticalHeader()->hide();
  tabs_->addTab(exchange_table_, tr("Connections"));
  tabs_->setTabToolTip(ConnectionsTab, tr("How the requests travelled: connections opened, connect and TLS times, "
                                          "time to first byte, Server-Timing cache and servers"));
  showExchange();

  histogram_of_->addItem(tr("latency (from intended start)"), LatencyHistogram);
  histogram_of_->addItem(tr("service time"), ServiceHistogram);
  log_percentiles_->setToolTip(tr("The latency on a log scale: a spread over decades stays readable"));
  log_histogram_->setToolTip(tr("Counts on a log scale: a tail of a few slow requests shows beside the bulk; "
                                "empty bins sit below 1"));
  // Latency tails readable from the start: the histogram's few slow requests are bins of
  // 1..10 beside thousands, flat on a linear count axis, so its counts start on a log axis.
  // The percentile chart's x axis is already logarithmic (1/(1-p)), which spreads the tail;
  // its ms axis stays linear so the tail's height reads as it is.
  log_histogram_->setChecked(true);
  connect(log_percentiles_, &QCheckBox::toggled, this, [this] { drawPercentiles(); });
  connect(log_histogram_, &QCheckBox::toggled, this, [this] { drawHistogram(); });
  connect(histogram_of_, &QComboBox::currentIndexChanged, this, [this] { drawHistogram(); });
  const auto with_controls = [](QList<QWidget*> controls, ChartView* chart) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    for (QWidget* c : controls) row->addWidget(c);
    row->addStretch(1);
    layout->addLayout(row);
    layout->addWidget(chart, 1);
    return box;
  };
  auto* charts = new QWidget;
  auto* grid = new QGridLayout(charts);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->addWidget(with_controls({log_percentiles_}, percentiles_), 0, 0);
  grid->addWidget(with_controls({histogram_of_, log_histogram_}, histogram_), 0, 1);
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
  showOpenModel();
  exchange_->setRun(run_);
  showExchange();
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

void EndpointsPage::showOpenModel() {
  const bool open = run_ && run_->ok() && run_->open_model();
  // The open-model columns, and # 429 / # Skipped / Invalid cookies, only when the run has them.
  for (int column = 0; column < EndpointTableModel::ColumnCount; ++column)
    table_->setColumnHidden(column, !model_->columnShown(column));
  open_model_note_->setVisible(open);
  histogram_of_->setVisible(open);
}

void EndpointsPage::showExchange() {
  const bool shown = exchange_->hasFigures();
  // Back to Statistics before the tab goes (Qt would pick the neighbouring Failures tab).
  if (!shown && tabs_->currentIndex() == ConnectionsTab) tabs_->setCurrentIndex(StatisticsTab);
  tabs_->setTabVisible(ConnectionsTab, shown);
  using M = ExchangeTableModel;
  for (int column = M::TlsHandshakes; column <= M::TlsP95; ++column)
    exchange_table_->setColumnHidden(column, !exchange_->hasTls());
  for (int column = M::CacheHits; column <= M::CacheHitRatio; ++column)
    exchange_table_->setColumnHidden(column, !exchange_->hasCache());
  exchange_table_->setColumnHidden(M::Servers, !exchange_->hasServers());
  if (shown) exchange_table_->resizeColumnsToContents();
}

void EndpointsPage::selectEndpoint(const QString& key) {
  key_ = key;
  drawPercentiles();
  drawHistogram();
  drawOverTime();
}

bool EndpointsPage::drawable() {
  if (run_ && run_->ok()) return true;
  for (ChartView* c : charts()) {
    c->clearChart();
    c->setSubject({});
    c->setPlaceholder(run_ ? run_->error() : tr("no run selected"));
  }
  bins_.clear();
  return false;
}

namespace {
QString label_of(const QString& key) { return key.isEmpty() ? EndpointsPage::tr("all endpoints") : key; }
}  // namespace

void EndpointsPage::drawPercentiles() {
  if (!drawable()) return;
  percentiles_->clearChart();
  percentiles_->setSubject(run_->display_name());
  const results::Histogram& hist = run_->latency_histogram(key_);
  QList<SeriesData> curves;
  if (run_->open_model()) {
    percentiles_->setTitle(tr("Latency by percentile (%1)").arg(label_of(key_)));
    curves.append(percentile_curve(hist, tr("latency (from intended start)")));
    curves.append(percentile_curve(run_->service_histogram(key_), tr("service time")));
  } else {
    percentiles_->setTitle(tr("Latency by percentile"));
    curves.append(percentile_curve(hist, label_of(key_)));
  }
  draw_percentile_curves(percentiles_, curves, log_percentiles_->isChecked(),
                         tr("1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9"));
  percentiles_->finishChart();
  if (hist.empty()) percentiles_->setPlaceholder(tr("no data: no requests recorded"));
}

void EndpointsPage::drawHistogram() {
  if (!drawable()) return;
  histogram_->clearChart();
  histogram_->setSubject(run_->display_name());
  const bool service = run_->open_model() && histogram_of_->currentIndex() == ServiceHistogram;
  const results::Histogram& hist = service ? run_->service_histogram(key_) : run_->latency_histogram(key_);
  if (!run_->open_model()) histogram_->setTitle(tr("Latency histogram"));
  else histogram_->setTitle(service ? tr("Service time histogram") : tr("Latency histogram (from intended start)"));
  const DrawnHistogram drawn = draw_histogram(histogram_, hist, label_of(key_), log_histogram_->isChecked());
  bins_ = drawn.bins;
  connect(drawn.area, &QAreaSeries::hovered, histogram_, [this](const QPointF& p, bool state) {
    const QString tip = state ? histogramTipAt(p.x()) : QString();
    if (tip.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(QCursor::pos(), tip, histogram_);
  });
  histogram_->finishChart();
  if (hist.empty()) histogram_->setPlaceholder(tr("no data: no requests recorded"));
}

void EndpointsPage::drawOverTime() {
  if (!drawable()) return;
  over_time_->clearChart();
  over_time_->setSubject(run_->display_name());
  QValueAxis* tx = add_time_axis(over_time_, run_->duration_s());
  QValueAxis* ty = over_time_->addValueAxis(Qt::AlignLeft, tr("ms"));
  QList<SeriesData> lines, service;
  for (double p : {50.0, 95.0, 99.0}) lines.append(run_->latency_series(p, key_));
  if (run_->open_model()) {
    for (double p : {50.0, 95.0, 99.0}) service.append(run_->service_series(p, key_));
  }
  fit_y_from_zero(ty, lines + service);
  QList<QLineSeries*> drawn;
  for (const auto& s : lines) {
    drawn.append(over_time_->addLine(s, tx, ty));
    drawn.back()->setPointsVisible(true);
  }
  // Each service line dashed, in the colour of the latency line of its percentile.
  for (qsizetype i = 0; i < service.size(); ++i) {
    QLineSeries* line = over_time_->addLine(service[i], tx, ty);
    QPen pen(drawn[i]->color());
    pen.setWidthF(drawn[i]->pen().widthF());
    pen.setStyle(Qt::DashLine);
    line->setPen(pen);
  }
  over_time_->setTitle(service.isEmpty() ? tr("Latency over time (%1)").arg(label_of(key_))
                                         : tr("Latency over time (%1): from intended start (solid), service time "
                                              "(dashed)")
                                               .arg(label_of(key_)));
  over_time_->finishChart();
  if (lines.front().points.isEmpty()) over_time_->setPlaceholder(tr("no data: no requests in any interval"));
}

}  // namespace stampede::gui
