// `stampede lab`: the sharding lab (issue #5). For each strategy in order: start
// stampede-server with it (fresh SQLite data under the lab folder, or the MariaDB stack),
// warm up, POST /admin/reset, snapshot /admin/stats, run the scenario in-process through
// the runner into `<lab>/<strategy>/` (run.json lab = strategy, store, shards, folder), collect
// the server's own report into that folder's server.json, stop the server. Then the
// comparison report (reporters/comparison.h) with the study's checks (study_checks.h) as
// report.md, report.html, report.json and on the console, and lab.json with the lab's
// configuration and what happened to each run.
// Step by step, with the report's sections: docs/lab.md.
//
#pragma once

#include <atomic>
#include <filesystem>
#include <iosfwd>

#include "lab/lab_config.h"

namespace stampede::lab {

// A measured run whose failed requests exceed this share (percent) fails the lab (exit 1):
// above it the latencies describe errors, not the sharding strategy.
inline constexpr double kLabMaxFailurePct = 1.0;

// How a lab ended; the command turns it into its exit code.
enum class LabOutcome {
  kMeasured,    // every strategy measured, none failed more than kLabMaxFailurePct of its requests
  kFailed,      // a run failed too many requests, a server or the stack failed, the report could
                // not be written, or the lab was interrupted (the report covers what was measured)
  kCannotStart, // what was asked can't be met: no server binary, a stack with another shard count
};

// Runs the lab. Throws only before anything starts (bad scenario: ScenarioError).
LabOutcome run_lab(const LabConfig& config, const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

// The stampede-server next to the running executable: `<exe dir>/../reference-server/
// stampede-server` (build tree), else `<exe dir>/stampede-server` (installed). Empty path
// when neither exists.
std::filesystem::path find_server_binary();

// results/labs/<YYYYmmdd-HHMMSS>-lab[-N] (UTC, like run folders), the first that does not exist yet.
std::filesystem::path default_lab_dir(std::int64_t unix_ms);

}  // namespace stampede::lab
