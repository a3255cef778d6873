// The run itself: spawn users over worker threads at the spawn rate, follow the load shape,
// snapshot statistics every second into the result folder, print the live table, stop at
// the run time or on interruption, and write the final result.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <iosfwd>

#include "generator/engine/run_config.h"
#include "generator/engine/user_control.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

// What a finished run measured, for the caller to decide what it means (the `stampede run`
// command turns it into an exit code; the lab into a run's status).
struct RunOutcome {
  std::filesystem::path folder;  // the result folder, complete
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  bool interrupted = false;      // stopped by SIGINT/SIGTERM
};

// The default result folder: results/runs/<timestamp>-<label>[-N], the first that does not
// exist yet (relative to the working directory).
std::filesystem::path default_out_dir(const std::string& label, std::int64_t unix_ms);
std::int64_t unix_ms_now();

// Runs the load test. `interrupts` counts SIGINT/SIGTERM received:
// the first stops the run gracefully (users finish in-flight requests within the stop
// timeout), a second abandons in-flight requests at once. The result folder is complete
// in every case. Progress goes to `out`, warnings to `err`.
// Throws std::runtime_error only for set-up failures (e.g. the result folder can't be
// created) before any load is sent.
RunOutcome run_load_test(const RunConfig& config, const scenarios::Scenario& scenario,
                         const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

// The same run with its users set from outside while it runs (`stampede worker`: a Locust
// master's per-class counts): `control`'s targets replace -u/-r and the scenario's load
// shape (the open model is not steered: an open-model config runs as run_load_test does);
// the run starts with no users, follows every set_users, publishes each history point, and
// ends at control.finish() (besides the run time and interrupts, as run_load_test). The
// caller steers from another thread; this call returns when the result folder is complete.
RunOutcome run_steered(const RunConfig& config, const scenarios::Scenario& scenario, UserControl& control,
                       const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

}  // namespace stampede::engine
