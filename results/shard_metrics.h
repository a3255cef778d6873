// Shard metrics: the definitions every reader of a result folder uses when it talks about
// shards — the comparison report (reporters/), the dashboard (gui/) — stated and
// implemented once, so they always show the same numbers. Pure functions of a RunResult;
// no I/O. Thread-safety: none needed (values in, values out).
//
// Definitions (reporters/README.md "Balance score" prints the worked examples):
//   * a shard counts when 0 <= shard < kMaxShards; higher numbers (a misbehaving
//     backend's Server-Timing) and negative ones are ignored everywhere;
//   * writes = touches by POST/PUT/PATCH/DELETE endpoints; queries = every other method;
//   * a run's shards are 0..N-1, N = max(server.json shard_count, run.json lab.shards,
//     highest counted shard seen in stats.json or server.json + 1), at most kMaxShards, so a
//     shard that got nothing still counts (as 0);
//   * balance score of per-shard values x_1..x_n = 100 × (1 − CV), CV = population standard
//     deviation / mean, clamped to [0, 100]. 100 = perfectly even; a single shard, no shards
//     or a mean of 0 score 100 (nothing is uneven). One of four shards taking everything has
//     CV = √3 and scores 0; 550/150/150/150 scores 30.7; 3:1 over two shards scores 50.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "results/histogram.h"
#include "results/run_result.h"
#include "results/server_report.h"

namespace stampede::results {

inline constexpr int kMaxShards = 1024;

// 0 <= shard < kMaxShards.
bool is_counted_shard(int shard);

// POST, PUT, PATCH and DELETE (exact, upper case as stats.json records them).
bool is_write_method(std::string_view method);

// N as defined above; 0 when the run has no shard data at all.
int shard_count(const RunResult& run);

// The balance score defined above, in [0, 100]. `per_shard` values must be >= 0.
double balance_score(const std::vector<double>& per_shard);

// One shard of a run, summed over its endpoints (stats.json `shards`).
struct ShardTotals {
  int shard = 0;
  std::uint64_t write_touches = 0;          // responses of write endpoints that named the shard
  std::uint64_t query_touches = 0;          // ... of every other endpoint
  std::uint64_t single_shard_requests = 0;  // responses that named only this shard
  Histogram shard_time;                     // µs, merged over endpoints
  std::optional<ServerShard> server;        // server.json's line for this shard, if any

  std::uint64_t touches() const { return write_touches + query_touches; }
};

// Shards 0..shard_count(run)-1, in order; rows without traffic are zeros.
std::vector<ShardTotals> shard_totals(const RunResult& run);

// True when there is at least one shard and every one has its server.json line: only then
// are result rows per shard (and their balance) defined. Without it, rows are absent,
// never zeros.
bool has_every_server_line(const std::vector<ShardTotals>& shards);

}  // namespace stampede::results
