// The per-shard section of the final summary, from RunResult::shards (the reference
// server's W3C Server-Timing entries "shard-<k>;dur=<ms>").
//
//   Shard timings: one row per (shard, endpoint) in the result's order (shard, name,
//   method): how many responses named the shard, that row's share of the endpoint's shard
//   hits, p50/p95/p99 of the shard's own time, and how many responses touched only this
//   shard with the p95 of their end-to-end latency ("-" when none); in an open-model run
//   that recorded it, also the p95 of their service time (from the send, "single svc p95").
//   Shard totals: per shard, the responses that named it and its share of all shard hits.
//
// Prints nothing when the result has no shard data. Pure formatter: writes only to `out`.
#pragma once

#include <ostream>

#include "reporters/console_table.h"
#include "results/run_result.h"

namespace stampede::reporters {

void print_shard_tables(std::ostream& out, const results::RunResult& result,
                        const TableOptions& options = {});

}  // namespace stampede::reporters
