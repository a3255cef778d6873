// Console tables in the spirit of Locust's headless output.
//
//   print_live_table     what the engine prints every few seconds during a run: a status
//                        line (elapsed, users, current req/s, failure %), then one row per
//                        endpoint (sorted by name, then method) and an Aggregated row with
//                        # reqs, # fails (%), Avg/Min/Max/Med/p95/p99 in ms, and the
//                        *current* req/s and failures/s (last 10 s of history).
//   print_final_summary  the end-of-run report: the same table with whole-run req/s,
//                        "Response time percentiles (approximated)", the error report (when
//                        there are failures) and, when the result has shard data, the
//                        per-shard tables (see shard_table.h). When the result recorded
//                        connections, time to first byte or Server-Timing cache/server
//                        figures, their table comes after the percentiles
//                        (exchange_table.h); without them the summary is as before.
//                        HTTP 429 answers (rate limited, not failures), when there are
//                        any, follow (rate_limited_lines.h), and the summary's first line
//                        and the live status line give their share.
//                        Requests skipped by `when` and ignored Set-Cookie headers, when
//                        there are any, follow (scenario_counts.h); the live status line
//                        adds the skipped count when not 0.
//
// Input is the cumulative RunResult so far (endpoints, aggregated, history, failures,
// shards). The live "Elapsed" is info.duration_s when set (> 0), else the newest history
// point's elapsed_s; "users" is the newest history point's. Latencies are shown in milliseconds (format_ms); percentiles come from our
// histograms (within 0.1%), not from Locust's rounded dict. Names longer than
// TableOptions::name_width are shortened in the middle.
//
// The open model (info.open_model present, docs/open-model.md): Avg ... p99 and the
// percentile table are the latency from each request's intended start, and a line above
// the table says so. The tables add "# dropped" (arrivals not sent, EndpointStats::dropped)
// and "svc Med"/"svc p99" (the service time, from the actual send); the live status line
// adds the run's dropped count; the final summary adds an "Open model:" line (rate,
// arrivals, started, dropped, schedule lag) and a second percentile table, "Service time
// percentiles". A closed-model result prints exactly as before.
//
// Pure formatters: they write only to the given stream. Thread-safety: none needed.
#pragma once

#include <cstddef>
#include <ostream>

#include "results/run_result.h"

namespace stampede::reporters {

struct TableOptions {
  std::size_t name_width = 40;  // characters for "Name" (Locust uses 76 off a terminal)
};

void print_live_table(std::ostream& out, const results::RunResult& result,
                      const TableOptions& options = {});

void print_final_summary(std::ostream& out, const results::RunResult& result,
                         const TableOptions& options = {});

// The pieces of print_final_summary, for callers that want only some of them.
void print_stats_table(std::ostream& out, const results::RunResult& result, bool current,
                       const TableOptions& options = {});
void print_percentile_table(std::ostream& out, const results::RunResult& result,
                            const TableOptions& options = {});
void print_error_report(std::ostream& out, const results::RunResult& result,
                        const TableOptions& options = {});

}  // namespace stampede::reporters
