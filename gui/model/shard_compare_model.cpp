#include "gui/model/shard_compare_model.h"

#include <algorithm>

#include "gui/model/shard_model.h"

namespace stampede::gui {

ShardCompareModel::ShardCompareModel(QObject* parent) : QAbstractTableModel(parent) {}

void ShardCompareModel::setRuns(QList<std::shared_ptr<const RunModel>> runs, QStringList names) {
  beginResetModel();
  summaries_.clear();
  names_.clear();
  shard_count_ = 0;
  for (int i = 0; i < runs.size(); ++i) {
    if (!runs[i] || !runs[i]->ok()) continue;
    summaries_.push_back(summarize_shards(runs[i]->result()));
    names_.append(i < names.size() ? names[i] : runs[i]->display_name());
    shard_count_ = std::max(shard_count_, static_cast<int>(summaries_.back().rows.size()));
  }
  endResetModel();
}

bool ShardCompareModel::anyServerReport() const {
  return std::any_of(summaries_.begin(), summaries_.end(), [](const ShardSummary& s) { return s.has_server; });
}

std::optional<double> ShardCompareModel::writeShare(int run, int shard) const {
  if (run < 0 || run >= runCount()) return std::nullopt;
  const ShardSummary& s = summary(run);
  if (shard < 0 || shard >= static_cast<int>(s.rows.size())) return std::nullopt;
  return s.writeShare(static_cast<std::size_t>(shard));
}

std::optional<quint64> ShardCompareModel::resultRows(int run, int shard) const {
  if (run < 0 || run >= runCount()) return std::nullopt;
  const ShardSummary& s = summary(run);
  if (shard < 0 || shard >= static_cast<int>(s.rows.size())) return std::nullopt;
  const auto& server = s.rows[static_cast<std::size_t>(shard)].server;
  return server ? std::optional<quint64>(server->result_rows) : std::nullopt;
}

int ShardCompareModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || shard_count_ == 0 ? 0 : shard_count_ + 1;
}

int ShardCompareModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || shard_count_ == 0 ? 0 : 1 + 2 * runCount();
}

QVariant ShardCompareModel::shardCell(int shard, int run, bool rows, int role) const {
  const bool raw = role == Qt::UserRole;
  if (!rows) {
    const auto v = writeShare(run, shard);
    if (role == Qt::ToolTipRole) return v ? QVariant() : QVariant(tr("%1 has no shard %2").arg(names_[run]).arg(shard));
    if (!v) return raw ? QVariant() : QVariant(QStringLiteral("—"));
    return raw ? QVariant(*v) : QVariant(QString::number(100.0 * *v, 'f', 1) + QStringLiteral(" %"));
  }
  const auto v = resultRows(run, shard);
  if (role == Qt::ToolTipRole) {
    if (v) return {};
    return summary(run).has_server ? tr("server.json of %1 has no line for shard %2").arg(names_[run]).arg(shard)
                                   : ShardModel::noServerReportText();
  }
  if (!v) return raw ? QVariant() : QVariant(QStringLiteral("—"));
  return QVariant::fromValue<qulonglong>(*v);
}

QString ShardCompareModel::balanceText() {
  return tr("Balance score of each column: 100 × (1 − stddev / mean) of its per-shard values, "
            "clamped to 0–100. 100 = every shard gets the same; 0 = very uneven (one of four shards "
            "taking everything scores 0).");
}

QVariant ShardCompareModel::balanceCell(int run, bool rows, int role) const {
  const ShardSummary& s = summary(run);
  const std::optional<double> v = rows ? s.rowsBalance() : std::optional<double>(s.writeBalance());
  if (role == Qt::ToolTipRole) {
    if (!v) return s.has_server ? tr("server.json does not list every shard") : ShardModel::noServerReportText();
    const QString of = rows ? tr("the result rows per shard (server.json)") : tr("the writes per shard (stats.json)");
    return tr("%1: balance of %2 over %3 shards = %4 (100 = even, 0 = very uneven)")
        .arg(names_[run], of)
        .arg(s.rows.size())
        .arg(*v, 0, 'f', 1);
  }
  if (!v) return role == Qt::UserRole ? QVariant() : QVariant(QStringLiteral("—"));
  return role == Qt::UserRole ? QVariant(*v) : QVariant(QString::number(*v, 'f', 1));
}

QVariant ShardCompareModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  if (role != Qt::DisplayRole && role != Qt::UserRole && role != Qt::ToolTipRole) return {};
  const bool balance_row = index.row() == shard_count_;
  if (index.column() == 0) {
    if (role == Qt::ToolTipRole) return balance_row ? QVariant(balanceText()) : QVariant();
    if (balance_row) return tr("Balance");
    return index.row();
  }
  const int k = index.column() - 1;
  const bool rows = k >= runCount();
  const int run = rows ? k - runCount() : k;
  return balance_row ? balanceCell(run, rows, role) : shardCell(index.row(), run, rows, role);
}

QVariant ShardCompareModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  const bool tip = role == Qt::ToolTipRole;
  if (section == 0) {
    return tip ? tr("Shard number; the last row (Balance) scores how evenly each column is spread over the shards")
               : tr("Shard");
  }
  const int k = section - 1;
  if (k < runCount()) {
    return tip ? tr("%1: share of its write requests (POST/PUT/PATCH/DELETE) that touched each shard, "
                    "from the responses' Server-Timing (stats.json)").arg(names_[k])
               : tr("%1\nwrite share").arg(names_[k]);
  }
  const QString name = names_[k - runCount()];
  return tip ? tr("%1: result rows (coupon_results) each shard held at the end of the run, as its server "
                  "reported them (server.json; only runs made by `stampede lab` have one)").arg(name)
             : tr("%1\nrows").arg(name);
}

}  // namespace stampede::gui
