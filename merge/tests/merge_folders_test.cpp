#include "merge/merge_folders.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "merge/merge_runs.h"
#include "merge/tests/merge_test_runs.h"
#include "results/result_folder.h"

namespace stampede::merge {
namespace {

namespace fs = std::filesystem;

class MergeFolders : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stampede-merge-test-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void write_run(const std::string& name, const results::RunResult& run) {
    results::ResultWriter writer(root_ / name);
    writer.write_scenario(run.scenario);
    writer.write_run_info(run.info);
    for (const auto& p : run.history) writer.append_history(p);
    writer.finish(run);
  }

  // Nothing but `expected` in root_: no staging folder left behind.
  void expect_only(const std::vector<std::string>& expected) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(root_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, expected);
  }

  fs::path root_;
};

TEST_F(MergeFolders, MergedFolderReadsBackWithExactHistograms) {
  std::mt19937_64 rng(3);
  results::Histogram all, all_a;
  write_run("w1", testing::make_run("coupon", "w1", 1'700'000'000'000, 4, 25, rng, all, all_a));
  write_run("w2", testing::make_run("coupon", "w2", 1'700'000'000'600, 4, 25, rng, all, all_a));
  merge_folders({root_ / "w1", root_ / "w2"}, root_ / "big", "", {"stampede", "merge"});

  const results::RunResult merged = results::read_result_folder(root_ / "big");
  EXPECT_EQ(merged.info.status, "complete");
  EXPECT_EQ(merged.info.label, "w1+w2");
  EXPECT_EQ(merged.aggregated.latency, all);
  EXPECT_EQ(merged.endpoints.at(0).latency, all_a);
  EXPECT_EQ(merged.info.extra.at("merged_from").size(), 2u);
  results::Histogram from_history;
  for (const auto& p : merged.history) from_history.merge(p.total().latency);
  EXPECT_EQ(from_history, all);
  expect_only({"big", "w1", "w2"});
}

TEST_F(MergeFolders, AnInterruptedPartKeepsTheMergeInterrupted) {
  std::mt19937_64 rng(3);
  results::Histogram all, all_a;
  auto r2 = testing::make_run("coupon", "w2", 1'700'000'000'600, 2, 5, rng, all, all_a);
  r2.info.status = "interrupted";
  write_run("w1", testing::make_run("coupon", "w1", 1'700'000'000'000, 2, 5, rng, all, all_a));
  write_run("w2", r2);
  merge_folders({root_ / "w1", root_ / "w2"}, root_ / "big/", "", {});
  EXPECT_EQ(results::read_result_folder(root_ / "big").info.status, "interrupted");
}

TEST_F(MergeFolders, RefusesANonEmptyOutputAndLeavesNothingBehind) {
  std::mt19937_64 rng(3);
  results::Histogram all, all_a;
  write_run("w1", testing::make_run("coupon", "w1", 1'700'000'000'000, 2, 5, rng, all, all_a));
  write_run("w2", testing::make_run("coupon", "w2", 1'700'000'000'600, 2, 5, rng, all, all_a));
  fs::create_directories(root_ / "big");
  std::ofstream(root_ / "big" / "keep.txt") << "mine";
  try {
    merge_folders({root_ / "w1", root_ / "w2"}, root_ / "big", "", {});
    FAIL() << "merged over a non-empty folder";
  } catch (const MergeError& e) {
    EXPECT_EQ(e.kind(), MergeError::Kind::kOutput);
    EXPECT_NE(std::string(e.what()).find("not empty"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::exists(root_ / "big" / "keep.txt"));
  expect_only({"big", "w1", "w2"});
}

TEST_F(MergeFolders, AnEmptyOutputFolderIsFilled) {
  std::mt19937_64 rng(3);
  results::Histogram all, all_a;
  write_run("w1", testing::make_run("coupon", "w1", 1'700'000'000'000, 2, 5, rng, all, all_a));
  write_run("w2", testing::make_run("coupon", "w2", 1'700'000'000'600, 2, 5, rng, all, all_a));
  fs::create_directories(root_ / "big");
  merge_folders({root_ / "w1", root_ / "w2"}, root_ / "big", "", {});
  EXPECT_EQ(results::read_result_folder(root_ / "big").aggregated.latency, all);
}

TEST_F(MergeFolders, AMissingPartIsNamedAndNothingIsWritten) {
  std::mt19937_64 rng(3);
  results::Histogram all, all_a;
  write_run("w1", testing::make_run("coupon", "w1", 1'700'000'000'000, 2, 5, rng, all, all_a));
  try {
    merge_folders({root_ / "w1", root_ / "nope"}, root_ / "big", "", {});
    FAIL() << "merged a missing folder";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << e.what();
  }
  expect_only({"w1"});
}

TEST_F(MergeFolders, OneFolderIsRefusedBeforeItIsRead) {
  try {
    merge_folders({root_ / "nope"}, root_ / "big", "", {});
    FAIL() << "merged one folder";
  } catch (const MergeError& e) {
    EXPECT_EQ(e.kind(), MergeError::Kind::kTooFewRuns);
    EXPECT_NE(std::string(e.what()).find("two or more"), std::string::npos) << e.what();
  }
  expect_only({});
}

}  // namespace
}  // namespace stampede::merge
