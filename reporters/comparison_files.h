// Reading result folders into the side-by-side comparison (reporters/comparison.h) and
// writing its files; shared by `stampede lab` and `stampede compare`.
//
// Errors: read_compared_runs throws std::runtime_error naming the folder that is not a
// result folder; write_text_file throws naming the file. Not thread-safe (files).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "reporters/comparison.h"

namespace stampede::reporters {

// One ComparedRun per folder, in order, labelled with default_run_label and
// de-duplicated ("hash", "hash (2)").
std::vector<ComparedRun> read_compared_runs(const std::vector<std::filesystem::path>& folders);

// Writes atomically, creating parent folders.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace stampede::reporters
