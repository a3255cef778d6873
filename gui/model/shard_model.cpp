#include "gui/model/shard_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace stampede::gui {

namespace {
bool is_write(const std::string& method) { return method != "GET" && method != "HEAD"; }
}  // namespace

ShardModel::ShardModel(QObject* parent) : QAbstractTableModel(parent) {}

void ShardModel::setRun(std::shared_ptr<const RunModel> run) {
  beginResetModel();
  run_ = std::move(run);
  rows_.clear();
  total_requests_ = total_writes_ = 0;
  if (run_ && run_->ok()) {
    std::map<int, ShardRow> by_shard;
    for (const auto& s : run_->result().shards) {
      ShardRow& row = by_shard[s.shard];
      row.shard = s.shard;
      row.requests += s.count;
      if (is_write(s.method)) row.writes += s.count;
      row.single_shard_requests += s.single_shard_requests;
      row.shard_time.merge(s.shard_time);
      const QString key = RunModel::endpoint_key(s.method, s.name);
      if (!row.endpoints.contains(key)) row.endpoints.append(key);
    }
    for (auto& [shard, row] : by_shard) {
      row.endpoints.sort();
      total_requests_ += row.requests;
      total_writes_ += row.writes;
      rows_.push_back(std::move(row));
    }
  }
  endResetModel();
}

double ShardModel::requestShare(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size()) || total_requests_ == 0) return 0.0;
  return static_cast<double>(rows_[row].requests) / static_cast<double>(total_requests_);
}

double ShardModel::writeShare(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size()) || total_writes_ == 0) return 0.0;
  return static_cast<double>(rows_[row].writes) / static_cast<double>(total_writes_);
}

ShardMatrix ShardModel::matrix() const {
  ShardMatrix m;
  if (!run_ || !run_->ok()) return m;
  for (const auto& row : rows_) m.shards.append(row.shard);
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
    const int c = static_cast<int>(m.endpoints.indexOf(RunModel::endpoint_key(s.method, s.name)));
    m.p95_ms[r][c] = us_to_ms(s.shard_time.value_at_percentile(95));
  }
  return m;
}

int ShardModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int ShardModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant ShardModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const ShardRow& row = rows_[index.row()];
  const bool raw = role == Qt::UserRole;
  if (role == Qt::ToolTipRole && index.column() == Endpoints) return row.endpoints.join(QLatin1Char('\n'));
  if (role != Qt::DisplayRole && !raw) return {};
  switch (index.column()) {
    case Shard: return row.shard;
    case Requests: return QVariant::fromValue<qulonglong>(row.requests);
    case RequestShare: {
      const double v = requestShare(index.row());
      return raw ? QVariant(v) : QVariant(QString::number(100.0 * v, 'f', 1) + QStringLiteral(" %"));
    }
    case Writes: return QVariant::fromValue<qulonglong>(row.writes);
    case WriteShare: {
      const double v = writeShare(index.row());
      return raw ? QVariant(v) : QVariant(QString::number(100.0 * v, 'f', 1) + QStringLiteral(" %"));
    }
    case P95: {
      const double v = us_to_ms(row.shard_time.value_at_percentile(95));
      return raw ? QVariant(v) : QVariant(QString::number(v, 'f', 2));
    }
    case SingleShard: return QVariant::fromValue<qulonglong>(row.single_shard_requests);
    case Endpoints: return raw ? QVariant(row.endpoints.size()) : QVariant(row.endpoints.join(QStringLiteral(", ")));
    default: return {};
  }
}

QVariant ShardModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Shard", "Requests", "Request share", "Writes", "Write share",
                                       "p95 shard time (ms)", "Single-shard", "Endpoints"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

}  // namespace stampede::gui
