// The open-files limit is raised before a run, within the hard limit.
#include "generator/engine/open_files.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace stampede::engine {
namespace {

class OpenFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved_), 0); }
  void TearDown() override { setrlimit(RLIMIT_NOFILE, &saved_); }
  rlimit saved_{};
};

TEST_F(OpenFilesTest, RaisesALowSoftLimitUpToTheHardLimit) {
  if (saved_.rlim_max != RLIM_INFINITY && saved_.rlim_max < 2048) GTEST_SKIP() << "hard limit below 2048";
  rlimit low = saved_;
  low.rlim_cur = 128;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  const OpenFilesLimit after = raise_open_files_limit(2048);
  EXPECT_EQ(after.soft, 2048u);
  rlimit now{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &now), 0);
  EXPECT_EQ(now.rlim_cur, 2048u) << "the process limit itself was raised";
}

TEST_F(OpenFilesTest, NeverLowersAndStopsAtTheHardLimit) {
  if (saved_.rlim_max == RLIM_INFINITY || saved_.rlim_max < 256) GTEST_SKIP() << "needs a finite hard limit";
  rlimit low = saved_;
  low.rlim_cur = 128;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  const OpenFilesLimit capped = raise_open_files_limit(static_cast<std::uint64_t>(saved_.rlim_max) + 1000);
  EXPECT_EQ(capped.soft, static_cast<std::uint64_t>(saved_.rlim_max));
  EXPECT_EQ(raise_open_files_limit(16).soft, capped.soft) << "a smaller wish never lowers it";
}

TEST(OpenFiles, NeededCountsAConnectionPerUserAndSlack) {
  EXPECT_EQ(open_files_needed(1000, 2, 1), 1000u + 32u + 64u);
  EXPECT_EQ(open_files_needed(1000, 2, 3), 3000u + 32u + 64u) << "a multi handle per user";
  EXPECT_GT(open_files_needed(0, 0, 1), 0u);
}

}  // namespace
}  // namespace stampede::engine
