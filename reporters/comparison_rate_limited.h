// The comparison report's rate-limited answers (results/README.md, "rate limited"): per run
// and per endpoint the requests answered HTTP 429, beside the failures (which leave them
// out). Shown only when a compared run had any (Comparison::any_rate_limited); without, the
// report and its JSON are as before. Pure, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reporters/comparison.h"
#include "reporters/comparison_sections.h"

namespace stampede::reporters {

// "Rate limited (HTTP 429)": per run requests, rate limited and its %, failed %; then the
// endpoints that any run saw limited, per run.
ReportSection rate_limited_section(const Comparison& c);

// The members the JSON adds with any_rate_limited: {"rate_limited": n, "rate_limited_pct": x}
// on a run (RunHeader) or an endpoint cell.
void add_rate_limited_json(nlohmann::json& into, std::uint64_t rate_limited, std::uint64_t requests);

}  // namespace stampede::reporters
