// merge_folders: `stampede merge`'s work on disk. Reads each result folder, merges them
// (merge_runs.h), and writes the merged run as a result folder that every reader reads
// like any run.
//
// Atomic like every result folder: the merged folder is written in full beside `out`
// (a hidden ".<name>.merging-<pid>" sibling, each file itself written atomically) and
// renamed onto `out` only when complete, so a reader never sees half a merge; on any
// failure the partial sibling is removed. `out` must not exist, or be an empty folder.
//
// Errors: MergeError (kind kOutput for the output folder; the refusals of merge_runs.h),
// std::runtime_error from the reader naming the folder that cannot be read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "results/run_result.h"

namespace stampede::merge {

results::RunResult merge_folders(const std::vector<std::filesystem::path>& runs,
                                 const std::filesystem::path& out, const std::string& label,
                                 const std::vector<std::string>& command_line);

}  // namespace stampede::merge
