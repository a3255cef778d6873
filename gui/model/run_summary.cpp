#include "gui/model/run_summary.h"

#include <QLocale>
#include <QStringList>
#include <map>

namespace stampede::gui {
namespace {

QString count(std::uint64_t n) { return QLocale::c().toString(static_cast<qulonglong>(n)); }
QString number(double v) { return QLocale::c().toString(v, 'g', 6); }

// Dropped arrivals summed over the history (for a run whose run.json has no counts yet).
std::uint64_t dropped_in_history(const results::RunResult& r) {
  std::uint64_t n = 0;
  for (const auto& p : r.history) {
    for (const auto& e : p.endpoints) n += e.dropped;
  }
  return n;
}

// "HTTP 429 (rate limited): 40 of 1,200 requests (3.3 %) · skipped by `when`: 12 · invalid
// cookies: 3", each part only when not 0; "" when all are (summed over the endpoints, so a
// run still being written has them too).
QString outcome_counts(const RunModel& run) {
  std::uint64_t requests = 0, limited = 0, skipped = 0, cookies = 0;
  for (const auto& e : run.result().endpoints) {
    requests += e.requests;
    limited += e.rate_limited;
    skipped += e.skipped;
    cookies += e.invalid_cookies;
  }
  QStringList parts;
  if (limited > 0) {
    parts.append(QObject::tr("HTTP 429 (rate limited, not failures): %1 of %2 requests (%3 %)")
                     .arg(count(limited), count(requests))
                     .arg(requests ? 100.0 * static_cast<double>(limited) / static_cast<double>(requests) : 0.0, 0,
                          'f', 1));
  }
  if (skipped > 0) parts.append(QObject::tr("skipped by `when`: %1").arg(count(skipped)));
  if (cookies > 0) parts.append(QObject::tr("invalid cookies ignored: %1").arg(count(cookies)));
  return parts.join(QStringLiteral(" · "));
}

// "Answered by (Server-Timing srv-<i>): srv-0 1,204 (50.2 %) · srv-1 1,196 (49.8 %)"; "" when
// no response named its server.
QString servers_line(const RunModel& run) {
  std::map<int, std::uint64_t> servers;
  for (const auto& e : run.result().endpoints)
    for (const auto& [server, n] : e.exchange.servers) servers[server] += n;
  if (servers.empty()) return {};
  std::uint64_t total = 0;
  for (const auto& [server, n] : servers) total += n;
  QStringList parts;
  for (const auto& [server, n] : servers) {
    parts.append(QStringLiteral("srv-%1 %2 (%3 %)")
                     .arg(server)
                     .arg(count(n))
                     .arg(100.0 * static_cast<double>(n) / static_cast<double>(total), 0, 'f', 1));
  }
  return QObject::tr("Answered by (Server-Timing srv-<i>): %1").arg(parts.join(QStringLiteral(" · ")));
}

RunSummary open_model_summary(const RunModel& run) {
  RunSummary summary;
  if (!run.open_model()) return summary;
  const auto& info = run.result().info;
  QStringList parts;
  if (!info.open_model) {
    // Service time without the run.json member: a folder being written by an engine that
    // records open_model only at the end.
    summary.text = QObject::tr("Open model: latency from the intended start, service time from the actual send");
    return summary;
  }
  const results::OpenModelInfo& o = *info.open_model;
  QString schedule = QObject::tr("%1%2 arrivals/s (%3)")
                         .arg(o.shape ? QObject::tr("up to ") : QString(), number(o.arrival_rate),
                              QString::fromStdString(std::string(results::to_string(o.arrivals))));
  if (o.shape) schedule += QObject::tr(", following the load_shape's stages");
  if (o.max_users > 0) schedule += QObject::tr(", at most %1 users busy").arg(count(static_cast<std::uint64_t>(o.max_users)));
  parts.append(QObject::tr("Open model: %1").arg(schedule));
  const bool recorded = o.iterations_started > 0 || o.dropped > 0;
  const std::uint64_t dropped = recorded ? o.dropped : dropped_in_history(run.result());
  if (recorded) {
    const std::uint64_t arrivals = o.iterations_started + o.dropped;
    parts.append(QObject::tr("%1 iterations started, %2 arrivals dropped (%3 % of %4)")
                     .arg(count(o.iterations_started), count(o.dropped))
                     .arg(arrivals ? 100.0 * static_cast<double>(o.dropped) / static_cast<double>(arrivals) : 0.0, 0,
                          'f', 1)
                     .arg(count(arrivals)));
  } else {
    parts.append(QObject::tr("%1 arrivals dropped so far").arg(count(dropped)));
  }
  if (o.dropped_by_class.size() > 1) {
    QStringList by_class;
    for (const auto& [name, n] : o.dropped_by_class)
      by_class.append(QStringLiteral("%1 %2").arg(QString::fromStdString(name), count(n)));
    parts.append(QObject::tr("dropped by class: %1").arg(by_class.join(QStringLiteral(", "))));
  }
  summary.text = parts.join(QStringLiteral(" · "));
  if (o.late_arrivals > 0) {
    summary.warning =
        QObject::tr("The generator fell behind its own arrival schedule: %1 %2 started more than 10 ms late "
                    "(at most %3 ms, %4 ms in all), so the rate and latencies are not those of the schedule.")
            .arg(count(o.late_arrivals), o.late_arrivals == 1 ? QObject::tr("arrival was") : QObject::tr("arrivals were"),
                 number(o.max_schedule_lag_ms), number(o.total_schedule_lag_ms));
  }
  return summary;
}

}  // namespace

RunSummary run_summary(const RunModel& run) {
  if (!run.ok()) return {};
  RunSummary summary = open_model_summary(run);
  for (const QString& line : {outcome_counts(run), servers_line(run)}) {
    if (!line.isEmpty()) summary.text += (summary.text.isEmpty() ? QString() : QStringLiteral("\n")) + line;
  }
  return summary;
}

}  // namespace stampede::gui
