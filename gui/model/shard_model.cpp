#include "gui/model/shard_model.h"

#include <limits>

namespace stampede::gui {

namespace {
QString percent(double share) { return QString::number(100.0 * share, 'f', 1) + QStringLiteral(" %"); }
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
    case P95: {
      if (row.shard_time.empty()) return raw ? QVariant() : QVariant(QStringLiteral("—"));
      const double v = us_to_ms(row.shard_time.value_at_percentile(95));
      return raw ? QVariant(v) : QVariant(QString::number(v, 'f', 2));
    }
    case SingleShard: return QVariant::fromValue<qulonglong>(row.single_shard_requests);
    case ResultRows: case RowShare: case StoreQueries: return serverCell(row, column, raw);
    case Endpoints: return raw ? QVariant(row.endpoints.size()) : QVariant(row.endpoints.join(QStringLiteral(", ")));
    default: return {};
  }
}

QVariant ShardModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole && (section == ResultRows || section == RowShare || section == StoreQueries)) {
    return tr("from server.json (written by `stampede lab`)");
  }
  if (role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Shard", "Requests", "Request share", "Writes", "Write share",
                                       "p95 shard time (ms)", "Single-shard", "Rows (server)", "Row share",
                                       "Store queries", "Endpoints"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

}  // namespace stampede::gui
