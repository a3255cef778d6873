// `stampede merge`: result folders of one scenario (say, stampede workers under one Locust
// master, docs/distributed.md) merged into one result folder (merge/merge_folders.h).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace stampede::commands {

// `stampede merge RUN1 RUN2 [RUN…] --out DIR [--label L]`: exit 0 and one line naming the
// merged folder and its totals on `out`; 2 for usage errors, a folder that cannot be read,
// runs that cannot be merged (different scenarios, overlapping labels) or an --out that
// exists and is not empty, each with the reason on `err`. Nothing is written on failure.
struct RawMergeOptions {
  std::vector<std::string> run_dirs;
  std::string out;
  std::string label;
};
void add_merge_options(CLI::App& merge, RawMergeOptions& raw);
int run_merge(const RawMergeOptions& raw, const std::vector<std::string>& command_line, std::ostream& out,
              std::ostream& err);

}  // namespace stampede::commands
