// The run itself: spawn users over worker threads at the spawn rate, follow the load shape,
// snapshot statistics every second into the result folder, print the live table, stop at
// the run time or on interruption, and write the final result.
#pragma once

#include <atomic>
#include <iosfwd>

#include "generator/run_config.h"
#include "scenarios/scenario.h"

namespace stampede::generator {

// Exit codes of `stampede run` (documented in docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRequestsFailed = 1;
inline constexpr int kExitUsage = 2;

// Runs the load test; returns the exit code. `interrupts` counts SIGINT/SIGTERM received:
// the first stops the run gracefully (users finish in-flight requests within the stop
// timeout), a second abandons in-flight requests at once. The result folder is complete
// in every case. Progress goes to `out`, warnings to `err`.
// Throws std::runtime_error only for set-up failures (e.g. the result folder can't be
// created) before any load is sent.
int run_load_test(const RunConfig& config, const scenarios::Scenario& scenario,
                  const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

}  // namespace stampede::generator
