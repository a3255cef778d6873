#include "gui/model/endpoint_table_model.h"

namespace stampede::gui {

EndpointTableModel::EndpointTableModel(QObject* parent) : RunTableModel(ColumnCount, 1, parent) {}

std::vector<const results::EndpointStats*> EndpointTableModel::file_rows(const RunModel& run) const {
  std::vector<const results::EndpointStats*> rows;
  for (const auto& e : run.result().endpoints) rows.push_back(&e);
  rows.push_back(&run.result().aggregated);
  return rows;
}

QString EndpointTableModel::endpointKey(int row) const {
  if (row < 0 || row + 1 >= static_cast<int>(rows().size())) return {};
  const results::EndpointStats& e = *rows()[static_cast<std::size_t>(row)];
  return RunModel::endpoint_key(e.method, e.name);
}

bool EndpointTableModel::columnShown(int column) const {
  if (!run() || !run()->ok()) return !isOpenModelColumn(column) && column != RateLimited && column != Skipped &&
                                     column != InvalidCookies;
  if (isOpenModelColumn(column)) return run()->open_model();
  const results::EndpointStats& total = run()->result().aggregated;
  switch (column) {
    case RateLimited: return total.rate_limited > 0;
    case Skipped: return total.skipped > 0;
    case InvalidCookies: return total.invalid_cookies > 0;
    default: return true;
  }
}

QVariant EndpointTableModel::value(const results::EndpointStats& e, int column) const {
  const double duration = run() ? run()->duration_s() : 0.0;
  const auto pct = [&](double p) { return us_to_ms(e.latency.value_at_percentile(p)); };
  const auto service = [&](double p) { return us_to_ms(e.service.value_at_percentile(p)); };
  switch (column) {
    case Type: return QString::fromStdString(e.method);
    case Name: return QString::fromStdString(e.name);
    case Requests: return QVariant::fromValue<qulonglong>(e.requests);
    case Fails: return QVariant::fromValue<qulonglong>(e.failures);
    case RateLimited: return QVariant::fromValue<qulonglong>(e.rate_limited);
    case Skipped: return QVariant::fromValue<qulonglong>(e.skipped);
    case InvalidCookies: return QVariant::fromValue<qulonglong>(e.invalid_cookies);
    case Dropped: return QVariant::fromValue<qulonglong>(e.dropped);
    case Median: return pct(50);
    case P90: return pct(90);
    case P95: return pct(95);
    case P99: return pct(99);
    case Average: return e.latency.mean() / 1000.0;
    case Min: return us_to_ms(e.latency.min());
    case Max: return us_to_ms(e.latency.max());
    case ServiceMedian: return service(50);
    case ServiceP95: return service(95);
    case ServiceP99: return service(99);
    case AverageSize: return e.requests ? static_cast<double>(e.content_bytes) / static_cast<double>(e.requests) : 0.0;
    case Rps: return duration > 0 ? static_cast<double>(e.requests) / duration : 0.0;
    case FailuresPerS: return duration > 0 ? static_cast<double>(e.failures) / duration : 0.0;
    default: return {};
  }
}

QVariant EndpointTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const QVariant v = value(row_at(index), index.column());
  if (role == Qt::UserRole) return v;
  if (role == Qt::TextAlignmentRole) {
    return index.column() <= Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                  : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Median: case P90: case P95: case P99: case Average: case Min: case Max:
    case ServiceMedian: case ServiceP95: case ServiceP99:
      return QString::number(v.toDouble(), 'f', 2);
    case AverageSize: return QString::number(v.toDouble(), 'f', 0);
    case Rps: case FailuresPerS: return QString::number(v.toDouble(), 'f', 2);
    default: return v;
  }
}

QVariant EndpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
  if (role == Qt::ToolTipRole) {
    const bool open = run() && run()->open_model();
    if (section == Fails) return tr("Failed requests and checks; an HTTP 429 answer is not one (# 429)");
    if (section == RateLimited)
      return tr("Answers HTTP 429 Too Many Requests: the server's rate limit, its own outcome (not a failure)");
    if (section == Skipped) return tr("Requests and tasks not sent because the scenario's `when` was false");
    if (section == InvalidCookies)
      return tr("Set-Cookie headers of the responses the user's cookie jar ignored in part or whole");
    if (section == Dropped) return tr("Arrivals of the open model's schedule that were not sent: no user was free");
    if (section >= ServiceMedian && section <= ServiceP99)
      return tr("Service time: from the request's actual send to its response");
    if (section >= Median && section <= Max) {
      return open ? tr("Latency from the intended start: from when the schedule said the request should start")
                  : tr("Response time: from the request's send to its response");
    }
    return {};
  }
  if (role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"Type", "Name", "# Requests", "# Fails", "# 429", "# Dropped", "# Skipped",
                                       "Invalid\ncookies", "Median (ms)",
                                       "90%ile (ms)", "95%ile (ms)", "99%ile (ms)", "Average (ms)",
                                       "Min (ms)", "Max (ms)", "Service\nmedian (ms)", "Service\n95%ile (ms)",
                                       "Service\n99%ile (ms)", "Average size (bytes)", "RPS", "Failures/s"};
  return QString::fromLatin1(kNames[section]);
}

}  // namespace stampede::gui
