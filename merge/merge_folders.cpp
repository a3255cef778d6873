#include "merge/merge_folders.h"

#include <unistd.h>

#include <system_error>

#include "merge/merge_runs.h"
#include "results/result_folder.h"

namespace stampede::merge {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void output_error(const fs::path& out, const std::string& what) {
  throw MergeError(MergeError::Kind::kOutput, "--out " + out.string() + ": " + what);
}

// `out` without a trailing '/', so that its name and its parent are what they look like.
fs::path normalized(const fs::path& out) {
  fs::path p = out.lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return p;
}

void check_output(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return;
  if (!fs::is_directory(out, ec)) output_error(out, "exists and is not a folder");
  if (!fs::is_empty(out, ec)) output_error(out, "exists and is not empty (merge never overwrites a run)");
}

void write_folder(const fs::path& dir, const results::RunResult& run) {
  results::ResultWriter writer(dir);
  writer.write_scenario(run.scenario);
  for (const results::HistoryPoint& p : run.history) writer.append_history(p);
  writer.finish(run);
  if (run.info.status != "complete") writer.write_run_info(run.info);  // finish() would say complete
}

}  // namespace

results::RunResult merge_folders(const std::vector<fs::path>& runs, const fs::path& out_arg,
                                 const std::string& label, const std::vector<std::string>& command_line) {
  const fs::path out = normalized(out_arg);
  if (out.empty()) output_error(out_arg, "names no folder");
  check_output(out);
  if (runs.size() < 2)  // before reading anything, so a lone missing folder gets this reason
    throw MergeError(MergeError::Kind::kTooFewRuns,
                     "expected two or more result folders to merge, got " + std::to_string(runs.size()));

  std::vector<MergePart> parts;
  parts.reserve(runs.size());
  for (const fs::path& dir : runs) parts.push_back({dir.string(), results::read_result_folder(dir)});
  results::RunResult merged = merge_runs(parts, label, command_line);

  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) output_error(out, "cannot create its parent folder: " + ec.message());
  const fs::path staging = parent / ("." + out.filename().string() + ".merging-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  try {
    write_folder(staging, merged);
  } catch (const std::exception& e) {
    fs::remove_all(staging, ec);
    output_error(out, std::string("cannot write the merged run: ") + e.what());
  }
  // rename(2) replaces an empty folder; anything else there appeared while we merged.
  fs::rename(staging, out, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    output_error(out, "cannot move the merged run into place: " + ec.message());
  }
  return merged;
}

}  // namespace stampede::merge
