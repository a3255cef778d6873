// The console's lines for rate-limited answers (results/README.md, "rate limited"): the
// requests answered HTTP 429, which are not failures. Printed by print_final_summary after
// the percentiles, and on the live status line, only when there are any; a result without
// them prints as before.
//
//   Rate limited (HTTP 429, not failures): 113 of 2916 requests (3.88%)
//     GET    /api/items/[id]          113 (12.56%)
//
// Pure formatter: writes only to the given stream.
#pragma once

#include <cstdint>
#include <ostream>

#include "reporters/console_table.h"
#include "results/run_result.h"

namespace stampede::reporters {

// The run's rate-limited answers: the aggregated row's, or the endpoints' summed when it has
// none (a live folder's aggregate rebuilt from an empty history).
std::uint64_t rate_limited_total(const results::RunResult& result);
void print_rate_limited(std::ostream& out, const results::RunResult& result, const TableOptions& options = {});

}  // namespace stampede::reporters
