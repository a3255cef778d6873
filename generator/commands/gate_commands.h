// The CI gate on the command line: `stampede run … --threshold …` and `stampede check`.
// Thresholds come from --threshold flags and from the scenario's "thresholds" array; they
// are evaluated on the result folder as written (read back with read_result_folder, which
// holds the full history), printed as a pass/fail table, and written as JUnit XML and a
// Markdown summary when asked.
//
// Exit codes (docs/ci.md): 0 pass, 1 request failures, 2 usage/scenario error,
// 3 thresholds failed — 3 wins over 1.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <iosfwd>
#include <string>
#include <vector>

#include "gate/evaluate.h"

namespace CLI {
class App;
}

namespace stampede::commands {

// The gate's flags as typed.
struct RawGateOptions {
  std::vector<std::string> thresholds;
  std::string warmup;
  std::string junit;
  std::string summary_md;
};

// The gate's flags, checked.
struct GateOptions {
  std::vector<gate::Threshold> thresholds;
  gate::EvaluateOptions evaluate;
  std::filesystem::path junit;       // empty: none
  std::filesystem::path summary_md;  // empty: none
  // Anything to do after the run?
  bool active() const { return !thresholds.empty() || !junit.empty() || !summary_md.empty(); }
};

// --threshold (repeatable), --warmup, --junit, --summary-md.
void add_gate_options(CLI::App& app, RawGateOptions& raw);

// Converts the flags; every problem (with the threshold's caret line) lands in `problems`.
void to_gate_options(const RawGateOptions& raw, GateOptions& options, std::vector<std::string>& problems);

// Adds thresholds written in a scenario ("thresholds" array); problems name their origin.
void add_scenario_thresholds(const std::vector<std::string>& texts, const std::string& origin,
                             GateOptions& options, std::vector<std::string>& problems);

// The run's abort hook for thresholds marked `abort`: after the warm-up, each one is
// evaluated on the figures so far and the first that fails stops the run (its reason
// names the threshold and the measured value). Sets *aborted when it fires. Empty when no
// threshold asks for it.
std::function<std::optional<std::string>(const results::RunResult&)> make_abort_check(
    const GateOptions& options, std::shared_ptr<bool> aborted);

// Reads the result folder, evaluates, prints the table to `out` (unless quiet), writes
// JUnit/Markdown. Returns kExitOk or kExitThresholdsFailed; kExitUsage when the folder
// can't be read or a report can't be written (said on `err`).
int apply_gate(const GateOptions& options, const std::filesystem::path& run_dir, bool quiet,
               std::ostream& out, std::ostream& err);

// `stampede check RUN_FOLDER [gate options]`: the subcommand's flags and its body.
struct RawCheckOptions {
  std::string run_dir;
  RawGateOptions gate;
};
void add_check_options(CLI::App& check, RawCheckOptions& raw);
int run_check(const RawCheckOptions& raw, std::ostream& out, std::ostream& err);

}  // namespace stampede::commands
