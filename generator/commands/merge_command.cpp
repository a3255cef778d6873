// `stampede merge RUN1 RUN2 … --out DIR`: flags in, merge/ in the middle, exit code out.
#include "generator/commands/merge_command.h"

#include <ostream>

#include <CLI/CLI.hpp>

#include "generator/commands/exit_codes.h"
#include "merge/merge_folders.h"
#include "merge/merge_runs.h"

namespace stampede::commands {

void add_merge_options(CLI::App& merge, RawMergeOptions& raw) {
  merge.add_option("RUNS", raw.run_dirs, "Two or more result folders of the same scenario")->required();
  merge.add_option("--out", raw.out, "The merged result folder (must not exist, or be empty)")->required();
  merge.add_option("--label", raw.label, "Label of the merged run (default: the parts' labels joined with '+')");
}

int run_merge(const RawMergeOptions& raw, const std::vector<std::string>& command_line, std::ostream& out,
              std::ostream& err) {
  std::vector<std::filesystem::path> dirs(raw.run_dirs.begin(), raw.run_dirs.end());
  try {
    const results::RunResult merged = merge::merge_folders(dirs, raw.out, raw.label, command_line);
    for (const std::string& w : merged.warnings) err << "stampede merge: warning: " << w << "\n";
    out << "merged " << dirs.size() << " runs into " << raw.out << ": " << merged.aggregated.requests
        << " requests, " << merged.aggregated.failures << " failures, " << merged.endpoints.size()
        << " endpoints, status " << merged.info.status << "\n";
    return kExitOk;
  } catch (const merge::MergeError& e) {
    err << "stampede merge: " << e.what() << "\n";
    if (e.kind() == merge::MergeError::Kind::kTooFewRuns) err << "Run 'stampede merge --help' for usage.\n";
    return kExitUsage;
  } catch (const std::exception& e) {  // a folder that cannot be read, named by the reader
    err << "stampede merge: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace stampede::commands
