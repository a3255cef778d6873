// Test helpers for merge/: small runs made from known samples, so that a merged histogram
// can be checked against one histogram of all the samples.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "results/run_result.h"

namespace stampede::merge::testing {

// A run of scenario `scenario_name` labelled `label`, started at `started_unix_ms`, with
// `seconds` one-second history points. Each second records `per_second` requests on each
// of "GET /a" and "POST /b", latencies drawn from `rng` (µs, spread over four decades),
// every 10th request of /b a failure "HTTP 503", every request of /a naming shard (i % 2).
// Every sample recorded is also recorded into `all` (and into `all_a` for /a).
results::RunResult make_run(const std::string& scenario_name, const std::string& label,
                            std::int64_t started_unix_ms, int seconds, int per_second, std::mt19937_64& rng,
                            results::Histogram& all, results::Histogram& all_a);

}  // namespace stampede::merge::testing
