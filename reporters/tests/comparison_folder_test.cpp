// The comparison reads what the lab writes: runs written as result folders (with
// server.json) and read back with results::read_result_folder give the same report as the
// in-memory runs they came from.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "reporters/comparison.h"
#include "reporters/tests/lab_runs.h"
#include "results/result_folder.h"

namespace stampede::reporters {
namespace {

TEST(ComparisonFromFolders, SameReportAsTheInMemoryRuns) {
  const auto root = std::filesystem::temp_directory_path() / ("stampede-comparison-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  const std::vector<ComparedRun> original = testing::make_lab_pair({}, {.with_server = false});
  std::vector<ComparedRun> read;
  for (const ComparedRun& r : original) {
    const auto dir = root / r.folder.filename();
    {
      results::ResultWriter writer(dir);
      writer.write_run_info(r.run.info);
      writer.finish(r.run);
    }
    if (r.run.server) results::write_server_report(dir, *r.run.server);
    results::RunResult back = results::read_result_folder(dir);
    read.push_back({default_run_label(back, dir), r.folder, std::move(back)});
  }
  EXPECT_EQ(read[0].label, "hash");
  EXPECT_TRUE(read[0].run.server.has_value());
  EXPECT_FALSE(read[1].run.server.has_value());  // a folder without server.json
  const Comparison a = build_comparison(original);
  const Comparison b = build_comparison(read);
  EXPECT_EQ(comparison_console(b), comparison_console(a));
  EXPECT_EQ(comparison_json(b), comparison_json(a));
  EXPECT_EQ(comparison_html(b), comparison_html(a));
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace stampede::reporters
