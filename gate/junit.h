// JUnit XML for CI systems (GitHub Actions test reporters, GitLab, Jenkins): one
// <testsuite> per report, one <testcase> per check, a <failure> with the measured value
// and the limit in its message for every check that did not pass. Checks without data
// are failures of type "no-data" (never errors that some CIs ignore).
//
// Output is deterministic for a given report (golden-file tested). Text is XML-escaped;
// characters XML 1.0 can't carry (control characters) become U+FFFD.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "gate/report.h"
#include "reporters/report_table.h"

namespace stampede::gate {

void write_junit(std::ostream& out, const std::vector<GateReport>& reports);
// Writes atomically (tmp + rename); creates parent folders. Throws std::runtime_error.
void write_junit_file(const std::filesystem::path& path, const std::vector<GateReport>& reports);

// The one XML escaping (reporters/report_table.h), used for every text and attribute here.
using reporters::xml_escape;

}  // namespace stampede::gate
