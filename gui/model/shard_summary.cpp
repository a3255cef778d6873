#include "gui/model/shard_summary.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "gui/model/run_model.h"

namespace stampede::gui {

namespace {
bool usable(int shard) { return shard >= 0 && shard < kMaxShards; }

int shard_count_of(const results::RunResult& r) {
  int n = 0;
  if (const auto it = r.info.extra.find("shards"); r.info.extra.is_object() && it != r.info.extra.end() &&
                                                   it->is_number_integer()) {
    n = it->get<int>();
  }
  if (r.server) {
    n = std::max(n, r.server->shard_count);
    for (const auto& s : r.server->shards) {
      if (usable(s.shard)) n = std::max(n, s.shard + 1);
    }
  }
  for (const auto& s : r.shards) {
    if (usable(s.shard)) n = std::max(n, s.shard + 1);
  }
  return std::clamp(n, 0, kMaxShards);
}

double share(quint64 part, quint64 whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}
}  // namespace

bool is_write_method(const std::string& m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

double balance_score(const std::vector<double>& v) {
  // Same definition as reporters::balance_score (reporters/README.md, "Balance score").
  if (v.size() < 2) return 100;
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  if (!(mean > 0)) return 100;
  double sq = 0;
  for (double x : v) sq += (x - mean) * (x - mean);
  const double cv = std::sqrt(sq / static_cast<double>(v.size())) / mean;
  return std::clamp(100.0 * (1.0 - cv), 0.0, 100.0);
}

ShardSummary summarize_shards(const results::RunResult& run) {
  ShardSummary out;
  const int n = shard_count_of(run);
  out.rows.resize(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) out.rows[static_cast<std::size_t>(k)].shard = k;
  for (const auto& s : run.shards) {
    if (!usable(s.shard)) continue;
    ShardRow& row = out.rows[static_cast<std::size_t>(s.shard)];
    row.requests += s.count;
    if (is_write_method(s.method)) row.writes += s.count;
    row.single_shard_requests += s.single_shard_requests;
    row.shard_time.merge(s.shard_time);
    const QString key = RunModel::endpoint_key(s.method, s.name);
    if (!row.endpoints.contains(key)) row.endpoints.append(key);
  }
  out.has_server = run.server.has_value();
  out.all_rows = out.has_server && n > 0;
  for (ShardRow& row : out.rows) {
    row.endpoints.sort();
    out.total_requests += row.requests;
    out.total_writes += row.writes;
    if (run.server) {
      const auto& lines = run.server->shards;
      const auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& s) { return s.shard == row.shard; });
      if (it != lines.end()) {
        row.server = *it;
        out.total_result_rows += it->result_rows;
      }
    }
    if (!row.server) out.all_rows = false;
  }
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
  return balance_score(v);
}

double ShardSummary::writeBalance() const {
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(static_cast<double>(r.writes));
  return balance_score(v);
}

std::optional<double> ShardSummary::rowsBalance() const {
  if (!all_rows) return std::nullopt;
  std::vector<double> v;
  for (const auto& r : rows) v.push_back(static_cast<double>(r.server->result_rows));
  return balance_score(v);
}

}  // namespace stampede::gui
