// The lab's report: the general comparison (reporters/comparison.h) of its variants' run
// folders, each column named after its variant, with the seeds' checks that apply to what
// the variants vary (variant_checks.h), and at its top the servers compared: every variant's
// full stampede-server command line (the lab's flags, --server-flags and its own). The header
// is added around the general renderers' output: after the title in the console text and in
// Markdown, before the section links in HTML, and as `variants` in report.json (a key the
// comparison's readers do not know and skip).
//
// lab_report_texts is pure; write_lab_report writes the files (throws naming a file).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reporters/comparison.h"

namespace stampede::lab {

struct ReportedVariant {
  std::string name;                         // the column's label
  std::filesystem::path folder;             // its run folder
  std::string strategy;                     // the sharding strategy its server used
  std::vector<std::string> flags;           // its server flags besides the lab's own (--server-flags, its own)
  std::vector<std::string> server_command;  // the full command line: the binary, then every argument
};

// The variant a run folder was measured as, for `stampede compare` of a lab's runs: when the
// folder is `<lab>/<name>/` and `<lab>/lab.json` has a measured run in that folder, its variant
// (name, flags split, strategy, server command line; `folder` as given). nullopt for any other
// folder (a plain run, a lab.json that does not name it or cannot be read). Never throws.
std::optional<ReportedVariant> variant_of_run_folder(const std::filesystem::path& folder);

// The comparison of the variants' folders (read from disk; throws std::runtime_error naming a
// folder that is not a result folder), labelled by variant, with the checks that apply.
reporters::Comparison lab_comparison_of(const std::vector<ReportedVariant>& variants, bool strategy_variants);

struct LabReportTexts {
  std::string console;
  std::string markdown;
  std::string html;
  nlohmann::json json;
};

// The four renderings of `c` with the servers compared at the top (`variants` in the same
// order as c.runs).
LabReportTexts lab_report_texts(const reporters::Comparison& c, const std::vector<ReportedVariant>& variants);

// report.md, report.html and report.json in `dir`; returns the console text.
std::string write_lab_report(const std::filesystem::path& dir, const reporters::Comparison& c,
                             const std::vector<ReportedVariant>& variants);

}  // namespace stampede::lab
