// A Markdown summary of gate reports, for CI job summaries ($GITHUB_STEP_SUMMARY) and
// merge-request comments: a headline verdict, the run it judged, a table of the checks.
//
// Deterministic (golden-file tested). Table cells escape '|' and keep to one line.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <vector>

#include "gate/report.h"

namespace stampede::gate {

void write_markdown_summary(std::ostream& out, const std::vector<GateReport>& reports);
// Writes atomically (tmp + rename); creates parent folders. Throws std::runtime_error.
void write_markdown_file(const std::filesystem::path& path, const std::vector<GateReport>& reports);

}  // namespace stampede::gate
