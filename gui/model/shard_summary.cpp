#include "gui/model/shard_summary.h"

#include <utility>

#include "gui/model/run_model.h"
#include "results/shard_metrics.h"

namespace stampede::gui {

namespace {
double share(quint64 part, quint64 whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}
}  // namespace

ShardSummary summarize_shards(const results::RunResult& run) {
  ShardSummary out;
  std::vector<results::ShardTotals> totals = results::shard_totals(run);
  out.has_server = run.server.has_value();
  if (run.server) out.queue = queue_figures(*run.server);
  out.all_rows = results::has_every_server_line(totals);
  for (results::ShardTotals& t : totals) {
    ShardRow row;
    row.shard = t.shard;
    row.requests = t.touches();
    row.writes = t.write_touches;
    row.single_shard_requests = t.single_shard_requests;
    row.shard_time = std::move(t.shard_time);
    row.server = std::move(t.server);
    out.total_requests += row.requests;
    out.total_writes += row.writes;
    if (row.server) out.total_result_rows += row.server->result_rows;
    out.rows.push_back(std::move(row));
  }
  for (const auto& s : run.shards) {
    if (!results::is_counted_shard(s.shard)) continue;
    ShardRow& row = out.rows[static_cast<std::size_t>(s.shard)];
    row.single_shard_latency.merge(s.single_shard_latency);
    row.single_shard_service.merge(s.single_shard_service);
    QStringList& endpoints = row.endpoints;
    const QString key = RunModel::endpoint_key(s.method, s.name);
    if (!endpoints.contains(key)) endpoints.append(key);
  }
  for (ShardRow& row : out.rows) row.endpoints.sort();
  return out;
}

QStringList reshard_lines(const results::ServerReport& report) {
  QStringList own, others;
  for (const auto& e : report.reshard) {
    const bool mine = e.strategy == report.strategy;
    QString line = QStringLiteral("%1 %2 → %3 shards moves %4 of %5 rows (%6 %)")
                       .arg(QString::fromStdString(e.strategy))
                       .arg(e.from_shards)
                       .arg(e.to_shards)
                       .arg(e.moved)
                       .arg(e.rows)
                       .arg(100.0 * e.moved_share(), 0, 'f', 1);
    if (!e.how.empty()) line += QStringLiteral(": ") + QString::fromStdString(e.how);
    if (mine) line += QStringLiteral(" (this run)");
    (mine ? own : others).append(line);
  }
  return own + others;
}

double ShardSummary::requestShare(std::size_t row) const {
  return row < rows.size() ? share(rows[row].requests, total_requests) : 0.0;
}

double ShardSummary::writeShare(std::size_t row) const {
  return row < rows.size() ? share(rows[row].writes, total_writes) : 0.0;
}

std::optional<double> ShardSummary::rowShare(std::size_t row) const {
  if (row >= rows.size() || !rows[row].server) return std::nullopt;
  return share(rows[row].server->result_rows, total_result_rows);
}

double ShardSummary::requestBalance() const {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(static_cast<double>(r.requests));
  return results::balance_score(v);
}

double ShardSummary::writeBalance() const {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(static_cast<double>(r.writes));
  return results::balance_score(v);
}

std::optional<double> ShardSummary::rowsBalance() const {
  if (!all_rows) return std::nullopt;
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(static_cast<double>(r.server->result_rows));
  return results::balance_score(v);
}

}  // namespace stampede::gui
