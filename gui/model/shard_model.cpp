#include "gui/model/shard_model.h"

#include <limits>

namespace stampede::gui {

namespace {
QString percent(double share) { return QString::number(100.0 * share, 'f', 1) + QStringLiteral(" %"); }

// p95 in ms, or "—" (no raw value) for an empty histogram.
QVariant p95_cell(const results::Histogram& h, bool raw) {
  if (h.empty()) return raw ? QVariant() : QVariant(QStringLiteral("—"));
  const double v = us_to_ms(h.value_at_percentile(95));
  return raw ? QVariant(v) : QVariant(QString::number(v, 'f', 2));
}
}  // namespace

ShardModel::ShardModel(QObject* parent) : QAbstractTableModel(parent) {}

QString ShardModel::noServerReportText() {
  return tr("no server report (run made without `stampede lab`)");
}

void ShardModel::setRun(std::shared_ptr<const RunModel> run) {
  beginResetModel();
  run_ = std::move(run);
  summary_ = run_ && run_->ok() ? summarize_shards(run_->result()) : ShardSummary{};
  endResetModel();
}

double ShardModel::requestShare(int row) const {
  return row < 0 ? 0.0 : summary_.requestShare(static_cast<std::size_t>(row));
}

double ShardModel::writeShare(int row) const {
  return row < 0 ? 0.0 : summary_.writeShare(static_cast<std::size_t>(row));
}

ShardMatrix ShardModel::matrix() const {
  ShardMatrix m;
  if (!run_ || !run_->ok() || run_->result().shards.empty()) return m;
  for (const auto& row : summary_.rows) m.shards.append(row.shard);
  for (const auto& s : run_->result().shards) {
    const QString key = RunModel::endpoint_key(s.method, s.name);
    if (!m.endpoints.contains(key)) m.endpoints.append(key);
  }
  m.endpoints.sort();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < m.shards.size(); ++i) m.p95_ms.append(QList<double>(m.endpoints.size(), nan));
  for (const auto& s : run_->result().shards) {
    if (s.shard_time.empty()) continue;
    const int r = static_cast<int>(m.shards.indexOf(s.shard));
    if (r < 0) continue;  // an absurd shard number, ignored as in the summary
    const int c = static_cast<int>(m.endpoints.indexOf(RunModel::endpoint_key(s.method, s.name)));
    m.p95_ms[r][c] = us_to_ms(s.shard_time.value_at_percentile(95));
  }
  return m;
}

int ShardModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(summary_.rows.size());
}

int ShardModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ShardModel::serverCell(const ShardRow& row, int column, bool raw) const {
  if (!row.server) return raw ? QVariant() : QVariant(QStringLiteral("—"));
  if (column == StoreQueries) return QVariant::fromValue<qulonglong>(row.server->queries);
  if (column == ResultRows) return QVariant::fromValue<qulonglong>(row.server->result_rows);
  const double v = summary_.rowShare(static_cast<std::size_t>(row.shard)).value_or(0.0);
  return raw ? QVariant(v) : QVariant(percent(v));
}

QVariant ShardModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const ShardRow& row = summary_.rows[static_cast<std::size_t>(index.row())];
  const int column = index.column();
  const bool server_column = column == ResultRows || column == RowShare || column == StoreQueries;
  if (role == Qt::ToolTipRole) {
    if (column == Endpoints) return row.endpoints.join(QLatin1Char('\n'));
    if (server_column && !summary_.has_server) return noServerReportText();
    if (server_column && !row.server) return tr("server.json has no line for shard %1").arg(row.shard);
    if (column == StoreQueries) return tr("%1 s in store queries").arg(row.server->query_seconds, 0, 'f', 3);
    if (column == QueueDelayP95 && summary_.queue) {
      const auto it = summary_.queue->written.find(row.shard);
      return tr("%1 rows written by the queue's consumers")
          .arg(it == summary_.queue->written.end() ? 0 : it->second);
    }
    return {};
  }
  const bool raw = role == Qt::UserRole;
  if (role != Qt::DisplayRole && !raw) return {};
  switch (column) {
    case Shard:
      if (raw || !row.server || row.server->up) return row.shard;
      return tr("%1 (down)").arg(row.shard);
    case Requests: return QVariant::fromValue<qulonglong>(row.requests);
    case RequestShare: {
      const double v = requestShare(index.row());
      return raw ? QVariant(v) : QVariant(percent(v));
    }
    case Writes: return QVariant::fromValue<qulonglong>(row.writes);
    case WriteShare: {
      const double v = writeShare(index.row());
      return raw ? QVariant(v) : QVariant(percent(v));
    }
    case P95: return p95_cell(row.shard_time, raw);
    case SingleShard: return QVariant::fromValue<qulonglong>(row.single_shard_requests);
    case SingleLatencyP95: return p95_cell(row.single_shard_latency, raw);
    case SingleServiceP95: return p95_cell(row.single_shard_service, raw);
    case ResultRows: case RowShare: case StoreQueries: return serverCell(row, column, raw);
    case QueueDelayP95: {
      if (const auto& q = summary_.queue) {
        if (const auto it = q->delay_p95_ms.find(row.shard); it != q->delay_p95_ms.end())
          return raw ? QVariant(it->second) : QVariant(QString::number(it->second, 'f', 2));
      }
      return raw ? QVariant() : QVariant(QStringLiteral("—"));
    }
    case Endpoints: return raw ? QVariant(row.endpoints.size()) : QVariant(row.endpoints.join(QStringLiteral(", ")));
    default: return {};
  }
}

QVariant ShardModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    if (section == ResultRows || section == RowShare || section == StoreQueries)
      return tr("from server.json (written by `stampede lab`)");
    if (section == P95) return tr("What the server said the shard took (Server-Timing shard-<k>;dur=)");
    if (section == SingleShard) return tr("Responses that named only this shard");
    if (section == SingleLatencyP95) {
      return run_ && run_->open_model()
                 ? tr("Latency of the single-shard responses, from each request's intended start (open model)")
                 : tr("Latency of the single-shard responses, as the client measured it");
    }
    if (section == QueueDelayP95)
      return tr("Queued write path (server.json): from the stock taken to the row committed by a consumer, p95 "
                "(the server's histogram bucket bound)");
    if (section == SingleServiceP95)
      return tr("Service time of the single-shard responses: from the request's actual send (open model only)");
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Shard", "Requests", "Request share", "Writes", "Write share",
                                       "p95 shard time (ms)", "Single-shard", "p95 latency (ms)",
                                       "p95 service (ms)", "Rows (server)", "Row share", "Store queries",
                                       "p95 queue delay (ms)", "Endpoints"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

}  // namespace stampede::gui
