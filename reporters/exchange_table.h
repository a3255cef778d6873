// The exchange section of the final summary: how each endpoint's requests travelled beside
// their latency (results::ExchangeStats, results/README.md "exchange figures").
//
//   Connections and time to first byte: one row per endpoint (sorted by name, then method)
//   and the Aggregated row: the requests that opened a connection ("# conns") with the
//   median and p95 of their TCP connect; when any TLS handshake was recorded, the
//   handshakes ("# TLS", of which resumed) and their p95; the time to first byte's median,
//   p95 and p99 (from the send on a ready connection to the response head); and when any
//   response carried Server-Timing `cache;desc=hit|miss`, the hits, misses and hit ratio.
//   "-" where a row has nothing to measure.
//   Servers: when responses named a server (Server-Timing `srv-<i>`), one line of the
//   requests each server answered and its share.
//
// Prints nothing when the result recorded none of these (a result written by an older
// engine, or one with no response): the summary is then exactly what it was before.
// Latencies in ms (format_ms). Pure formatter: writes only to `out`.
#pragma once

#include <ostream>

#include "reporters/console_table.h"
#include "results/run_result.h"

namespace stampede::reporters {

// The result recorded some exchange figure (an endpoint's or the aggregate's).
bool has_exchange_figures(const results::RunResult& result);

void print_exchange_table(std::ostream& out, const results::RunResult& result,
                          const TableOptions& options = {});

}  // namespace stampede::reporters
