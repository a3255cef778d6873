// ShardSummary: everything the dashboard says about one run's shards, computed once from
// the result (no Qt models): what the client saw in the responses' Server-Timing
// "shard-<k>;dur=" entries (stats.json shards), and what the server reported about itself
// (server.json, only for runs made by `stampede lab`).
//
// Definitions match the lab's comparison report (reporters/comparison.h, reporters/README.md
// "Balance score"), so the GUI and the report show the same numbers:
//   * shards listed are 0..N-1, N = max(server.json shard_count, run.json extra.shards,
//     highest shard seen + 1), so a shard that got nothing still counts (as 0);
//   * writes = touches by POST/PUT/PATCH/DELETE endpoints;
//   * balance score = 100 × (1 − population stddev / mean) of the per-shard values, clamped
//     to [0, 100]; a single shard, no shards or a mean of 0 score 100.
// Without server.json there are no rows figures: has_server is false, ShardRow::server is
// empty and rows_balance is nullopt — never zeros.
//
// Plain values; thread-safety: none needed.
#pragma once

#include <QStringList>
#include <QtGlobal>
#include <optional>
#include <vector>

#include "results/run_result.h"

namespace stampede::gui {

// Shard numbers at or above this (a misbehaving backend's Server-Timing) are ignored, as in
// reporters::kMaxShards.
inline constexpr int kMaxShards = 1024;

struct ShardRow {
  int shard = 0;
  quint64 requests = 0;                // responses that named this shard (all endpoints)
  quint64 writes = 0;                  // ... of write endpoints
  quint64 single_shard_requests = 0;   // responses that named only this shard
  results::Histogram shard_time;       // µs, merged over endpoints
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

  double requestShare(std::size_t row) const;  // 0..1; 0 when nothing was counted
  double writeShare(std::size_t row) const;    // 0..1
  // 0..1 of all result rows; nullopt without this shard's server.json line.
  std::optional<double> rowShare(std::size_t row) const;

  double requestBalance() const;
  double writeBalance() const;
  std::optional<double> rowsBalance() const;   // only when all_rows
};

ShardSummary summarize_shards(const results::RunResult& run);

// The balance score defined in reporters/README.md ("Balance score"), implemented here too
// because the GUI links only stampede_results. `per_shard` values must be >= 0.
double balance_score(const std::vector<double>& per_shard);

bool is_write_method(const std::string& method);

// server.json's resharding estimates, one line each, the server's own strategy first:
// "range 4 → 5 shards moves 58 of 163 rows (35.6 %): split shard 0 ... (this run)".
// Empty when the report has none.
QStringList reshard_lines(const results::ServerReport& report);

}  // namespace stampede::gui
