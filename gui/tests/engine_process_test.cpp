#include "gui/model/engine_process.h"

#include <gtest/gtest.h>

#include "gui/tests/engine_info.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

TEST(EngineProcess, ARunningRunWhoseEngineExitedHereIsGone) {
  EXPECT_TRUE(engine_gone(testing::engine_info(testing::reaped_pid())));
}

TEST(EngineProcess, ALiveEngineAFinishedRunOrAnotherHostIsNotGone) {
  EXPECT_FALSE(engine_gone(testing::engine_info(::getpid())));  // this process runs
  const pid_t dead = testing::reaped_pid();
  EXPECT_FALSE(engine_gone(testing::engine_info(dead, "complete")));
  EXPECT_FALSE(engine_gone(testing::engine_info(dead, "interrupted")));
  results::RunInfo elsewhere = testing::engine_info(dead);
  elsewhere.hostname = testing::this_host() + "-elsewhere";
  EXPECT_FALSE(engine_gone(elsewhere)) << "a pid on another machine says nothing here";
  results::RunInfo no_host = testing::engine_info(dead);
  no_host.hostname.clear();
  EXPECT_FALSE(engine_gone(no_host));
}

// A pid of another type ("123", 1.5) never reaches RunInfo: the reader refuses it in a
// version-2 run.json and leaves it in a version-1 folder's extra (results/tests).
TEST(EngineProcess, WithoutAUsablePidNothingIsKnown) {
  results::RunInfo info = testing::engine_info(testing::reaped_pid());
  info.pid.reset();  // folders from engines before the pid was recorded
  EXPECT_FALSE(engine_gone(info));
  for (const std::int64_t bad : {std::int64_t{0}, std::int64_t{-5}, std::int64_t{1} << 40}) {
    info.pid = bad;
    EXPECT_FALSE(engine_gone(info)) << bad;
  }
}

// What the reader makes of a version-1 folder's extra.pid is what the engine check uses.
TEST(EngineProcess, AVersion1FoldersPidIsUsed) {
  nlohmann::json run = results::to_json(testing::engine_info(testing::reaped_pid()));
  run["format_version"] = 1;
  run["extra"] = {{"pid", run.at("pid")}};
  run.erase("pid");
  EXPECT_TRUE(engine_gone(results::run_info_from_json(run)));
  run["extra"]["pid"] = std::to_string(run["extra"]["pid"].get<std::int64_t>());  // a string: ignored, as before
  EXPECT_FALSE(engine_gone(results::run_info_from_json(run)));
}

}  // namespace
}  // namespace stampede::gui
