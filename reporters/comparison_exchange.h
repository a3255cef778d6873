// The comparison report's exchange figures (reporters/comparison.h, ExchangeCell): how each
// run's requests travelled, as a report section and as JSON members. Shown only when a
// compared run recorded them (Comparison::any_exchange); without, the report and its JSON
// are as before. Pure, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reporters/comparison.h"
#include "reporters/comparison_sections.h"

namespace stampede::reporters {

// "Connections, time to first byte and cache": per run the whole run's figures and the
// responses per server, then per endpoint and run.
ReportSection exchange_section(const Comparison& c);

// {new_connections, connect_p95_ms, tls_handshakes, tls_resumed, tls_p95_ms, ttfb_p50_ms,
// ttfb_p95_ms, cache_hits, cache_misses, cache_hit_pct, servers: {"<i>": n}}; null figures
// where nothing was measured; null for a run or endpoint without any.
nlohmann::json exchange_json(const std::optional<ExchangeCell>& cell);

}  // namespace stampede::reporters
