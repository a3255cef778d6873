// QueueFigures: the queued write path's figures (stampede-server --write-path queue,
// reference-server/README.md) as server.json keeps them: the server's /admin/stats document,
// collected by `stampede lab` right after the run, member "queue". The server's totals when
// collected (since it started, so a lab's warm-up is in them), not the measured run's alone.
// Queue depth and delays exist only on the server side (its /metrics and /admin/stats); the
// engine's result folder has no queue figure of its own.
//
// Plain values; read defensively: a member of the wrong type is left out, never a throw.
#pragma once

#include <QtGlobal>
#include <map>
#include <optional>

#include "results/server_report.h"

namespace stampede::gui {

struct QueueFigures {
  quint64 published = 0;         // grabs published and confirmed by the broker
  quint64 publish_failures = 0;  // grabs answered 503 (broker down or no confirm)
  quint64 acked = 0;             // messages the consumers acked (row committed)
  quint64 duplicates = 0;        // redelivered grabs whose row existed already
  qint64 depth = 0;              // published - acked when collected (this server)
  int consumers = 0;             // consumer threads configured
  std::optional<double> publish_p95_ms;  // publish + confirm, p95 (histogram bucket bound)
  // Per shard: rows written by the consumers and the p95 of their delay (stock taken → row
  // committed, ms; the bucket bound); a shard without writes has no p95.
  std::map<int, quint64> written;
  std::map<int, double> delay_p95_ms;
};

// The figures of a server that ran the queued write path; nullopt for the sync path, an
// older server, or a report without /admin/stats.
std::optional<QueueFigures> queue_figures(const results::ServerReport& report);

}  // namespace stampede::gui
