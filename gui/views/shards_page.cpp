#include "gui/views/shards_page.h"

#include <QGridLayout>
#include <QHeaderView>

namespace stampede::gui {

ShardsPage::ShardsPage(QWidget* parent)
    : QWidget(parent),
      model_(new ShardModel(this)),
      balance_(new QLabel),
      table_(new QTableView),
      shares_(new ChartView(tr("Request and write share per shard (% of shard-named responses)"))),
      shard_time_(new ChartView(tr("p95 per shard: the server's shard time, the client's single-shard times"))),
      rows_(new ChartView(tr("Result rows per shard (server.json)"))),
      heat_map_(new HeatMapWidget) {
  table_->setModel(model_);
  table_->verticalHeader()->hide();
  table_->setWordWrap(false);  // one line per shard; the Endpoints tooltip lists them all
  table_->horizontalHeader()->setSectionResizeMode(ShardModel::Endpoints, QHeaderView::Stretch);
  balance_->setWordWrap(true);
  balance_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  auto* grid = new QGridLayout(this);
  grid->addWidget(balance_, 0, 0, 1, 2);
  grid->addWidget(shares_, 1, 0);
  grid->addWidget(rows_, 1, 1);
  grid->addWidget(shard_time_, 2, 0);
  grid->addWidget(heat_map_, 2, 1);
  grid->addWidget(table_, 3, 0, 1, 2);
  grid->setRowStretch(1, 3);
  grid->setRowStretch(2, 3);
  grid->setRowStretch(3, 2);
}

void ShardsPage::setRun(std::shared_ptr<const RunModel> run) {
  // The same folder re-read (a run being followed): its charts keep their zoom and hidden
  // sets.
  const bool same = run && run->ok() && run->dir() == dir_;
  QList<ChartView::View> views;
  for (ChartView* c : charts()) views.append(c->view());
  dir_ = run && run->ok() ? run->dir() : QString();
  draw(run);
  for (qsizetype i = 0; same && i < views.size(); ++i) charts()[i]->restoreView(views[i]);
}

void ShardsPage::draw(const std::shared_ptr<const RunModel>& run) {
  model_->setRun(run);
  const bool open = run && run->ok() && run->open_model();
  for (int column = 0; column < ShardModel::ColumnCount; ++column)
    if (ShardModel::isOpenModelColumn(column)) table_->setColumnHidden(column, !open);
  table_->setColumnHidden(ShardModel::QueueDelayP95, !model_->summary().queue);
  table_->resizeColumnsToContents();
  heat_map_->setMatrix(model_->matrix());
  for (ChartView* c : charts()) c->clearChart();
  const QString subject = run && run->ok() ? run->display_name() : QString();
  for (ChartView* c : charts()) c->setSubject(subject);
  heat_map_->setSubject(subject);
  balance_->clear();
  if (!run || !run->ok()) {
    const QString why = run ? run->error() : tr("no run selected");
    for (ChartView* c : charts()) c->setPlaceholder(why);
    return;
  }
  showBalance(*run);
  drawRows();
  const ShardSummary& summary = model_->summary();
  if (summary.total_requests == 0) {
    shares_->setPlaceholder(tr("no shard data (Server-Timing) in this run"));
    shard_time_->setPlaceholder(tr("no shard data"));
    return;
  }
  QStringList categories;
  BarSetData requests{tr("request share %"), {}};
  BarSetData writes{tr("write share %"), {}};
  for (std::size_t i = 0; i < summary.rows.size(); ++i) {
    categories.append(tr("shard %1").arg(summary.rows[i].shard));
    requests.values.append(100.0 * summary.requestShare(i));
    writes.values.append(100.0 * summary.writeShare(i));
  }
  shares_->addBars(categories, {requests, writes}, tr("%"), 100);
  shares_->finishChart();
  drawShardTimes(categories, run->open_model());
}

QList<BarSetData> ShardsPage::shardTimeSets(bool open_model) const {
  const ShardSummary& summary = model_->summary();
  // A shard without the figure has no time: its bar stays at 0 with "—" in the table.
  const auto p95 = [](const results::Histogram& h) { return h.empty() ? 0.0 : us_to_ms(h.value_at_percentile(95)); };
  BarSetData shard_time{shardTimeSetName(), {}};
  BarSetData latency{latencySetName(open_model), {}};
  BarSetData service{serviceSetName(), {}};
  bool any_latency = false, any_service = false;
  for (const ShardRow& s : summary.rows) {
    shard_time.values.append(p95(s.shard_time));
    latency.values.append(p95(s.single_shard_latency));
    service.values.append(p95(s.single_shard_service));
    any_latency = any_latency || !s.single_shard_latency.empty();
    any_service = any_service || !s.single_shard_service.empty();
  }
  // Folders older than single_shard_latency, and closed-model runs (no service time), have
  // no such bars rather than zeros.
  QList<BarSetData> sets{shard_time};
  if (any_service) sets.append(service);
  if (any_latency) sets.append(latency);
  return sets;
}

void ShardsPage::drawShardTimes(const QStringList& categories, bool open_model) {
  shard_time_->addBars(categories, shardTimeSets(open_model), tr("p95 (ms)"));
  shard_time_->finishChart();
}

QString ShardsPage::shardTimeSetName() { return tr("shard time (server)"); }
QString ShardsPage::serviceSetName() { return tr("service time (single-shard)"); }
QString ShardsPage::latencySetName(bool open_model) {
  return open_model ? tr("latency from intended start (single-shard)") : tr("latency (single-shard)");
}

void ShardsPage::showBalance(const RunModel& run) {
  const ShardSummary& s = model_->summary();
  if (s.rows.empty()) return;
  const auto score = [](double v) { return QString::number(v, 'f', 1); };
  QString text = tr("Balance (100 = even, 100 × (1 − stddev / mean) per shard): requests %1 · writes %2 · rows %3")
                     .arg(score(s.requestBalance()), score(s.writeBalance()),
                          s.rowsBalance() ? score(*s.rowsBalance())
                          : s.has_server  ? tr("— (server.json does not list every shard)")
                                          : tr("— (%1)").arg(ShardModel::noServerReportText()));
  if (const auto& server = run.result().server) {
    text += tr("\nServer: %1 strategy, %2 store, %3 shards (%4)")
                .arg(QString::fromStdString(server->strategy), QString::fromStdString(server->store))
                .arg(server->shard_count)
                .arg(QString::fromStdString(server->source));
    if (const auto& q = model_->summary().queue) {
      text += tr("\nQueued write path (server's totals when collected): %1 grabs published, %2 acked, depth %3, "
                 "%4 consumers, %5 publish failures, %6 duplicates")
                  .arg(q->published)
                  .arg(q->acked)
                  .arg(q->depth)
                  .arg(q->consumers)
                  .arg(q->publish_failures)
                  .arg(q->duplicates);
      if (q->publish_p95_ms) text += tr("; publish + confirm p95 %1 ms").arg(*q->publish_p95_ms, 0, 'f', 2);
    }
    const QStringList reshard = reshard_lines(*server);
    if (!reshard.isEmpty()) {
      text += tr("\nResharding estimate (server, from its stored rows):\n  ") + reshard.join(QStringLiteral("\n  "));
    }
  }
  balance_->setText(text);
}

void ShardsPage::drawRows() {
  const ShardSummary& s = model_->summary();
  if (!s.has_server) {
    rows_->setPlaceholder(ShardModel::noServerReportText());
    return;
  }
  QStringList categories;
  BarSetData rows{tr("result rows"), {}};
  for (const ShardRow& r : s.rows) {
    if (!r.server) continue;  // no line in server.json: no bar rather than a made-up 0
    categories.append(r.server->up ? tr("shard %1").arg(r.shard) : tr("shard %1 (down)").arg(r.shard));
    rows.values.append(static_cast<double>(r.server->result_rows));
  }
  if (categories.isEmpty()) {
    rows_->setPlaceholder(tr("server.json lists no shards"));
    return;
  }
  rows_->addBars(categories, {rows}, tr("rows"));
  rows_->finishChart();
}

}  // namespace stampede::gui
