#include "gui/model/exchange_table_model.h"

namespace stampede::gui {

ExchangeTableModel::ExchangeTableModel(QObject* parent) : RunTableModel(ColumnCount, 1, parent) {}

void ExchangeTableModel::setRun(std::shared_ptr<const RunModel> run) {
  whole_run_ = {};
  if (run && run->ok()) {
    whole_run_ = run->result().aggregated.exchange;
    if (whole_run_.empty())
      for (const auto& e : run->result().endpoints) whole_run_.merge(e.exchange);
  }
  RunTableModel::setRun(std::move(run));
}

std::vector<const results::EndpointStats*> ExchangeTableModel::file_rows(const RunModel& run) const {
  std::vector<const results::EndpointStats*> rows;
  for (const auto& e : run.result().endpoints) rows.push_back(&e);
  rows.push_back(&run.result().aggregated);
  return rows;
}

const results::ExchangeStats& ExchangeTableModel::figures(const results::EndpointStats& e) const {
  return run() && &e == &run()->result().aggregated ? whole_run_ : e.exchange;
}

bool ExchangeTableModel::hasFigures() const { return !whole_run_.empty(); }
bool ExchangeTableModel::hasTls() const { return whole_run_.tls_handshakes > 0 || !whole_run_.tls.empty(); }
bool ExchangeTableModel::hasCache() const { return whole_run_.cache_hits + whole_run_.cache_misses > 0; }
bool ExchangeTableModel::hasServers() const { return !whole_run_.servers.empty(); }

QVariant ExchangeTableModel::value(const results::EndpointStats& e, int column) const {
  const results::ExchangeStats& x = figures(e);
  const auto ms = [](const results::Histogram& h, double p) {
    return h.empty() ? QVariant() : QVariant(us_to_ms(h.value_at_percentile(p)));
  };
  const auto count = [](std::uint64_t n) { return QVariant::fromValue<qulonglong>(n); };
  switch (column) {
    case Type: return QString::fromStdString(e.method);
    case Name: return QString::fromStdString(e.name);
    case Requests: return count(e.requests);
    case NewConnections: return count(x.new_connections);
    case ConnectMedian: return ms(x.connect, 50);
    case ConnectP95: return ms(x.connect, 95);
    case TlsHandshakes: return count(x.tls_handshakes);
    case TlsResumed: return count(x.tls_resumed);
    case TlsP95: return ms(x.tls, 95);
    case TtfbMedian: return ms(x.ttfb, 50);
    case TtfbP95: return ms(x.ttfb, 95);
    case TtfbP99: return ms(x.ttfb, 99);
    case CacheHits: return count(x.cache_hits);
    case CacheMisses: return count(x.cache_misses);
    case CacheHitRatio: {
      const auto ratio = x.cache_hit_ratio();
      return ratio ? QVariant(*ratio) : QVariant();
    }
    case Servers: {
      QStringList parts;
      for (const auto& [server, n] : x.servers) parts.append(QStringLiteral("srv-%1: %2").arg(server).arg(n));
      return parts.join(QStringLiteral(", "));
    }
    default: return {};
  }
}

QVariant ExchangeTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const QVariant v = value(row_at(index), index.column());
  if (role == Qt::UserRole) return v;
  if (role == Qt::TextAlignmentRole) {
    return index.column() <= Name || index.column() == Servers ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                                               : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case ConnectMedian: case ConnectP95: case TlsP95: case TtfbMedian: case TtfbP95: case TtfbP99:
      return v.isValid() ? QString::number(v.toDouble(), 'f', 2) : QStringLiteral("—");
    case CacheHitRatio:
      return v.isValid() ? QString::number(100.0 * v.toDouble(), 'f', 1) + QStringLiteral(" %") : QStringLiteral("—");
    default: return v;
  }
}

QVariant ExchangeTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case NewConnections: return tr("Requests that opened a new connection (the others reused a kept-alive one)");
      case ConnectMedian: case ConnectP95: return tr("TCP connect of the requests that opened a connection");
      case TlsHandshakes: case TlsResumed: case TlsP95:
        return tr("TLS handshakes of those connections (https); resumed: a kept session was resumed");
      case TtfbMedian: case TtfbP95: case TtfbP99:
        return tr("Time to first byte: from the send on a ready connection to the response head");
      case CacheHits: case CacheMisses: case CacheHitRatio:
        return tr("Responses whose Server-Timing header said cache;desc=hit or miss; hit % of those");
      case Servers: return tr("Responses that named each server in Server-Timing (srv-<i>)");
      default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Type", "Name", "# Requests", "# New\nconnections", "Connect\nmedian (ms)",
                                       "Connect\n95%ile (ms)", "# TLS\nhandshakes", "TLS\nresumed",
                                       "TLS\n95%ile (ms)", "TTFB\nmedian (ms)", "TTFB\n95%ile (ms)",
                                       "TTFB\n99%ile (ms)", "Cache\nhits", "Cache\nmisses", "Cache\nhit %",
                                       "Servers"};
  return QString::fromLatin1(kNames[section]);
}

}  // namespace stampede::gui
