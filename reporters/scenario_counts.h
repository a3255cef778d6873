// The console's lines for what a scenario for a real application did beside its requests
// (results/README.md, "skipped and invalid cookies"): requests and tasks skipped because
// their `when` was false, and Set-Cookie headers the users' cookie jars ignored in part or
// whole. Printed by print_final_summary after the percentiles, only when a count is not 0;
// a result without them prints as before.
//
//   Skipped (their `when` false): 8 | Set-Cookie headers ignored (invalid): 6
//     POST   /api/cart          5 skipped
//     GET    /api/items/[id]    6 cookies ignored
//     POST   /logout            3 skipped
//
// Pure formatter: writes only to the given stream.
#pragma once

#include <ostream>

#include "reporters/console_table.h"
#include "results/run_result.h"

namespace stampede::reporters {

// Whether the result has skipped requests or ignored cookies (its aggregated row's counts,
// or its endpoints' for a result without one).
bool has_scenario_counts(const results::RunResult& result);
void print_scenario_counts(std::ostream& out, const results::RunResult& result, const TableOptions& options = {});

}  // namespace stampede::reporters
