// The reporters read what the engine wrote: a result folder written with
// results::ResultWriter and read back with results::read_result_folder must format exactly
// like the in-memory RunResult it came from.
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "reporters/console_table.h"
#include "reporters/locust_csv.h"
#include "reporters/tests/sample_result.h"
#include "results/result_folder.h"

namespace stampede::reporters {
namespace {

std::string final_text(const results::RunResult& r) {
  std::ostringstream out;
  print_final_summary(out, r);
  return out.str();
}

std::string live_text(const results::RunResult& r) {
  std::ostringstream out;
  print_live_table(out, r);
  return out.str();
}

TEST(ResultFolderRoundTrip, FormatsLikeTheInMemoryResult) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("stampede-reporters-roundtrip-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto original = testing::make_sample_result(true);
  {
    results::ResultWriter writer(dir);
    auto running = original.info;
    running.status = "running";
    writer.write_run_info(running);
    for (const auto& p : original.history) writer.append_history(p);
    writer.finish(original);
  }
  const auto read = results::read_result_folder(dir);
  EXPECT_EQ(locust_stats_csv(read), locust_stats_csv(original));
  EXPECT_EQ(locust_stats_history_csv(read, false), locust_stats_history_csv(original, false));
  EXPECT_EQ(locust_stats_history_csv(read, true), locust_stats_history_csv(original, true));
  EXPECT_EQ(locust_failures_csv(read), locust_failures_csv(original));
  EXPECT_EQ(final_text(read), final_text(original));
  EXPECT_EQ(live_text(read), live_text(original));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede::reporters
