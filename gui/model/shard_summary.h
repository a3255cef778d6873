// ShardSummary: everything the dashboard says about one run's shards, computed once from
// the result (no Qt models): what the client saw in the responses' Server-Timing
// "shard-<k>;dur=" entries (stats.json shards), and what the server reported about itself
// (server.json, only for runs made by `stampede lab`).
//
// The shards listed (0..N-1), what counts as a write and the balance score are the shard
// metrics of results/shard_metrics.h, the ones the comparison report uses, so the GUI and
// the report show the same numbers. Without server.json there are no rows figures: has_server is false, ShardRow::server is
// empty and rows_balance is nullopt — never zeros.
//
// Plain values; thread-safety: none needed.
#pragma once

#include <QStringList>
#include <QtGlobal>
#include <optional>
#include <vector>

#include "gui/model/queue_figures.h"
#include "results/run_result.h"
#include "results/shard_metrics.h"

namespace stampede::gui {

struct ShardRow {
  int shard = 0;
  quint64 requests = 0;                // responses that named this shard (all endpoints)
  quint64 writes = 0;                  // ... of write endpoints
  quint64 single_shard_requests = 0;   // responses that named only this shard
  results::Histogram shard_time;       // µs, merged over endpoints
  // What the client measured for the responses that named only this shard (stats.json
  // shards' single_shard_latency / single_shard_service, merged over endpoints), µs: the
  // latency (open model: from the intended start) and, open model only, the service time
  // from the actual send (empty in a closed-model run and in folders older than it).
  results::Histogram single_shard_latency;
  results::Histogram single_shard_service;
  QStringList endpoints;               // endpoint keys ("METHOD name") that touched it, sorted
  std::optional<results::ServerShard> server;  // server.json's line for this shard
};

struct ShardSummary {
  std::vector<ShardRow> rows;          // shard 0..N-1, in order
  quint64 total_requests = 0;
  quint64 total_writes = 0;
  bool has_server = false;             // the run has a server.json
  bool all_rows = false;               // has_server and every listed shard has its line
  quint64 total_result_rows = 0;       // over the shards server.json lists
  // The queued write path's figures when server.json has them (queue_figures.h).
  std::optional<QueueFigures> queue;

  double requestShare(std::size_t row) const;  // 0..1; 0 when nothing was counted
  double writeShare(std::size_t row) const;    // 0..1
  // 0..1 of all result rows; nullopt without this shard's server.json line.
  std::optional<double> rowShare(std::size_t row) const;

  // results::balance_score of the per-shard requests, writes and result rows.
  double requestBalance() const;
  double writeBalance() const;
  std::optional<double> rowsBalance() const;   // only when all_rows
};

ShardSummary summarize_shards(const results::RunResult& run);

// server.json's resharding estimates, one line each, the server's own strategy first:
// "range 4 → 5 shards moves 58 of 163 rows (35.6 %): split shard 0 ... (this run)".
// Empty when the report has none.
QStringList reshard_lines(const results::ServerReport& report);

}  // namespace stampede::gui
