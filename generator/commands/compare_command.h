// `stampede compare`: the side-by-side comparison report of result folders and, with
// rules, the regression gate of each later run against the first.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace stampede::commands {

// `stampede compare RUN_A RUN_B [RUN_C…] [--max-regression RULE]... [--markdown F] [--html F]
// [--json F] [--junit F]` : the side-by-side comparison
// report of every folder (reporters/comparison.h), then — only with rules — the regression
// table of each later run against the first. Runs of labs (`<lab>/<variant>/`, lab/lab_report.h)
// are named by their variants, with each variant's server command line at the top and the
// checks of what the variants vary, as in the lab's report. Warnings on `err`; exit 0, 3 when a rule
// fails, 2 for usage errors or a folder that is not a result folder.
struct RawCompareOptions {
  std::vector<std::string> run_dirs;  // 2 or more; the first is the baseline
  std::vector<std::string> rules;
  std::uint64_t min_requests = 100;  // rows with fewer requests on a side are not judged
  std::string markdown;
  std::string html;
  std::string json;
  std::string junit;
};
void add_compare_options(CLI::App& compare, RawCompareOptions& raw);
int run_compare(const RawCompareOptions& raw, std::ostream& out, std::ostream& err);

}  // namespace stampede::commands
