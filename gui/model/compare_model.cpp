#include "gui/model/compare_model.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <vector>

#include "results/shard_metrics.h"

namespace stampede::gui {

namespace {

// The whole run's exchange figures: the aggregate's, or the endpoints' merged when the
// aggregate has none (a run still being written).
results::ExchangeStats whole_run_exchange(const RunModel& r) {
  results::ExchangeStats x = r.result().aggregated.exchange;
  if (x.empty())
    for (const auto& e : r.result().endpoints) x.merge(e.exchange);
  return x;
}

// A count over the run's endpoints (what the aggregate holds; summed so that a run still
// being written, whose aggregate is empty, has it too).
template <typename Member>
double endpoint_sum(const RunModel& r, Member member) {
  std::uint64_t n = 0;
  for (const auto& e : r.result().endpoints) n += e.*member;
  return static_cast<double>(n);
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

CompareModel::CompareModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareModel::setRuns(QList<std::shared_ptr<const RunModel>> runs) {
  beginResetModel();
  runs_.clear();
  skipped_.clear();
  for (auto& r : runs) {
    if (!r) continue;
    if (r->ok()) runs_.append(std::move(r));
    else skipped_.append(r->error());
  }
  names_.clear();
  QStringList plain;
  for (const auto& r : runs_) plain.append(r->display_name());
  for (int i = 0; i < runs_.size(); ++i) {
    QString name = plain[i];
    const QString strategy = runs_[i]->strategy();
    if (plain.count(name) > 1 && !strategy.isEmpty() && !name.contains(strategy)) {
      name += QStringLiteral(" [%1]").arg(strategy);
    }
    const QString base = name;
    for (int n = 2; names_.contains(name); ++n) name = QStringLiteral("%1 (%2)").arg(base).arg(n);
    names_.append(name);
  }
  rows_.clear();
  omitted_.clear();
  for (int row = Requests; row <= Average; ++row) rows_.append(static_cast<Row>(row));
  for (int row = kFirstOptional; row < RowCount; ++row) {
    bool any = false;
    for (int run = 0; run < runs_.size() && !any; ++run) any = hasValue(row, run);
    if (any) rows_.append(static_cast<Row>(row));
    else if (!runs_.isEmpty()) omitted_.append(static_cast<Row>(row));
  }
  endResetModel();
}

QList<SeriesData> CompareModel::series(Metric metric) const {
  QList<SeriesData> out;
  for (const auto& r : runs_) {
    SeriesData s;
    switch (metric) {
      case Metric::Users: s = r->users_series(); break;
      case Metric::Rps: s = r->rps_series(); break;
      case Metric::FailuresPerS: s = r->failures_series(); break;
      case Metric::P50: s = r->latency_series(50); break;
      case Metric::P95: s = r->latency_series(95); break;
      case Metric::P99: s = r->latency_series(99); break;
    }
    s.name = names_[out.size()];
    out.append(std::move(s));
  }
  return out;
}

QList<SeriesData> CompareModel::percentileCurves() const {
  QList<SeriesData> out;
  for (int i = 0; i < runs_.size(); ++i) out.append(percentile_curve(runs_[i]->result().aggregated.latency, names_[i]));
  return out;
}

double CompareModel::value(int row, int run) const {
  if (run < 0 || run >= runs_.size()) return std::numeric_limits<double>::quiet_NaN();
  const RunModel& r = *runs_[run];
  const auto& a = r.result().aggregated;
  switch (row) {
    case Requests: return static_cast<double>(a.requests);
    case RequestsPerS: return r.requests_per_s();
    case Failures: return static_cast<double>(a.failures);
    case ErrorRate: return r.error_rate();
    case P50: return us_to_ms(a.latency.value_at_percentile(50));
    case P90: return us_to_ms(a.latency.value_at_percentile(90));
    case P95: return us_to_ms(a.latency.value_at_percentile(95));
    case P99: return us_to_ms(a.latency.value_at_percentile(99));
    case Max: return us_to_ms(a.latency.max());
    case Average: return a.latency.mean() / 1000.0;
    case RateLimited: return endpoint_sum(r, &results::EndpointStats::rate_limited);
    case RateLimitedRatio: {
      const double requests = endpoint_sum(r, &results::EndpointStats::requests);
      return requests > 0 ? endpoint_sum(r, &results::EndpointStats::rate_limited) / requests : kNaN;
    }
    case Skipped: return endpoint_sum(r, &results::EndpointStats::skipped);
    case InvalidCookies: return endpoint_sum(r, &results::EndpointStats::invalid_cookies);
    default: break;
  }
  if (row == Servers || row == ServerBalance) {
    const results::ExchangeStats x = whole_run_exchange(r);
    if (x.servers.empty()) return kNaN;
    if (row == Servers) return static_cast<double>(x.servers.size());
    std::vector<double> counts;
    for (const auto& [server, n] : x.servers) counts.push_back(static_cast<double>(n));
    return results::balance_score(counts);
  }
  if (row >= ConnectP95 && row <= CacheHitRatio) {
    const results::ExchangeStats x = whole_run_exchange(r);
    const auto p95 = [](const results::Histogram& h) {
      return h.empty() ? std::numeric_limits<double>::quiet_NaN() : us_to_ms(h.value_at_percentile(95));
    };
    switch (row) {
      case ConnectP95: return p95(x.connect);
      case TlsP95: return p95(x.tls);
      case TtfbP95: return p95(x.ttfb);
      default: return x.cache_hit_ratio().value_or(std::numeric_limits<double>::quiet_NaN());
    }
  }
  if (!r.open_model()) return std::numeric_limits<double>::quiet_NaN();
  switch (row) {
    case Dropped: return static_cast<double>(a.dropped);
    case ServiceP50: return us_to_ms(a.service.value_at_percentile(50));
    case ServiceP95: return us_to_ms(a.service.value_at_percentile(95));
    case ServiceP99: return us_to_ms(a.service.value_at_percentile(99));
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

QString CompareModel::rowLabel(Row row) const {
  static const char* const kRows[] = {"Requests", "Req/s", "Failures", "Error rate", "p50 (ms)", "p90 (ms)",
                                      "p95 (ms)", "p99 (ms)", "Max (ms)", "Average (ms)",
                                      "Rate limited (429)", "Rate limited %", "Skipped", "Invalid cookies", "Dropped",
                                      "p50 service (ms)", "p95 service (ms)", "p99 service (ms)",
                                      "p95 connect (ms)", "p95 TLS (ms)", "p95 TTFB (ms)", "Cache hit rate",
                                      "Servers answering", "Server balance"};
  static_assert(std::size(kRows) == RowCount);
  static const char* const kLatencyRows[] = {"p50 latency (ms)", "p90 latency (ms)", "p95 latency (ms)",
                                             "p99 latency (ms)", "Max latency (ms)", "Average latency (ms)"};
  if (static_cast<int>(row) < 0 || static_cast<int>(row) >= RowCount) return {};
  const bool latency = row >= P50 && row <= Average;
  return QString::fromLatin1(latency && anyOpenModel() ? kLatencyRows[row - P50] : kRows[row]);
}

QString CompareModel::absentReason(Row row) {
  switch (row) {
    case Dropped: case ServiceP50: case ServiceP95: case ServiceP99:
      return tr("no run used the open model (--arrival-rate)");
    case ConnectP95: return tr("no run recorded a connection's TCP connect");
    case TlsP95: return tr("no run made a TLS handshake (https only)");
    case TtfbP95: return tr("no run recorded the time to first byte (an older engine)");
    case CacheHitRatio: return tr("no response said cache;desc=hit or miss in its Server-Timing");
    case RateLimited: case RateLimitedRatio: return tr("no request was answered HTTP 429");
    case Skipped: return tr("no scenario `when` skipped a request or task");
    case InvalidCookies: return tr("no Set-Cookie header was ignored by a cookie jar");
    case Servers: case ServerBalance: return tr("no response named its server (Server-Timing srv-<i>)");
    default: return {};
  }
}

QStringList CompareModel::omittedRows() const {
  // One line per reason: the open model's four rows share theirs.
  QStringList lines;
  QString reason;
  QStringList labels;
  const auto flush = [&] {
    if (!labels.isEmpty()) lines.append(labels.join(QStringLiteral(", ")) + QStringLiteral(": ") + reason);
    labels.clear();
  };
  for (Row row : omitted_) {
    if (absentReason(row) != reason) {
      flush();
      reason = absentReason(row);
    }
    labels.append(rowLabel(row));
  }
  flush();
  return lines;
}

bool CompareModel::hasValue(int row, int run) const {
  switch (row) {
    case RateLimited: case RateLimitedRatio: return value(RateLimited, run) > 0;
    case Skipped: case InvalidCookies: return value(row, run) > 0;
    default: return !std::isnan(value(row, run));
  }
}

double CompareModel::ratio(int row, int run) const {
  const double base = value(row, 0);
  if (!(base != 0)) return std::numeric_limits<double>::quiet_NaN();
  return value(row, run) / base;
}

std::pair<int, bool> CompareModel::columnRun(int column) const {
  // Columns: Metric | run0 | run1 | run1/run0 | run2 | run2/run0 ...
  if (column == 1) return {0, false};
  const int k = column - 2;
  return {1 + k / 2, k % 2 == 1};
}

int CompareModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || runs_.isEmpty() ? 0 : static_cast<int>(rows_.size());
}

int CompareModel::columnCount(const QModelIndex& parent) const {
  if (parent.isValid() || runs_.isEmpty()) return 0;
  return 1 + 1 + 2 * (static_cast<int>(runs_.size()) - 1);
}

QVariant CompareModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row row = rows_[index.row()];
  const bool latency = row >= P50 && row <= Average;
  if (role == Qt::ToolTipRole && index.column() > 0) {
    const auto [run, is_ratio] = columnRun(index.column());
    if (!is_ratio && row >= kFirstOptional && std::isnan(value(row, run)))
      return tr("%1 does not have this figure; the row is here because another run does").arg(names_.value(run));
    return {};
  }
  if (role == Qt::ToolTipRole && index.column() == 0) {
    if (row >= ServiceP50 && row <= ServiceP99) return tr("Service time: from the request's actual send (open model only)");
    if (row == Dropped) return tr("Arrivals not sent because no user was free (open model only)");
    if (row == ConnectP95) return tr("TCP connect of the requests that opened a connection");
    if (row == TlsP95) return tr("TLS handshake of the requests that opened a connection (https)");
    if (row == TtfbP95) return tr("Time to first byte: from the send on a ready connection to the response head");
    if (row == RateLimited) return tr("Answers HTTP 429 Too Many Requests: the server's rate limit (not failures)");
    if (row == RateLimitedRatio) return tr("Answers HTTP 429, of all requests");
    if (row == Skipped) return tr("Requests and tasks not sent because the scenario's `when` was false");
    if (row == InvalidCookies) return tr("Set-Cookie headers the users' cookie jars ignored in part or whole");
    if (row == Servers) return tr("Servers that answered: distinct Server-Timing srv-<i> (behind a load balancer)");
    if (row == ServerBalance)
      return tr("How evenly the servers answered: 100 × (1 − stddev / mean) of their answer counts; 100 = even");
    if (row == CacheHitRatio) return tr("Responses whose Server-Timing said cache;desc=hit, of those that said hit or miss");
    if (latency && anyOpenModel()) return tr("Latency; in an open-model run from the request's intended start");
    return {};
  }
  if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
  if (index.column() == 0) return rowLabel(row);
  const auto [run, is_ratio] = columnRun(index.column());
  const double v = is_ratio ? ratio(row, run) : value(row, run);
  if (role == Qt::UserRole) return v;
  if (std::isnan(v)) return QStringLiteral("—");
  if (is_ratio) return QString::number(v, 'f', 2) + QStringLiteral("×");
  switch (row) {
    case Requests: case Failures: case Dropped: case RateLimited: case Skipped: case InvalidCookies: case Servers:
      return QString::number(v, 'f', 0);
    case ServerBalance: return QString::number(v, 'f', 1);
    case ErrorRate: case CacheHitRatio: case RateLimitedRatio: return QString::number(100.0 * v, 'f', 2) + QStringLiteral(" %");
    default: return QString::number(v, 'f', 2);
  }
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  if (section == 0) return QStringLiteral("Metric");
  if (section < 0 || section >= columnCount()) return {};
  const auto [run, is_ratio] = columnRun(section);
  if (!is_ratio) return names_[run];
  return names_[run] + QStringLiteral(" / ") + names_[0];
}

}  // namespace stampede::gui
