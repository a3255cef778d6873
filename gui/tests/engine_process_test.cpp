#include "gui/model/engine_process.h"

#include <gtest/gtest.h>

#include "gui/tests/engine_info.h"

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

TEST(EngineProcess, WithoutAUsablePidNothingIsKnown) {
  results::RunInfo info = testing::engine_info(testing::reaped_pid());
  info.extra = nlohmann::json::object();  // folders from engines before extra.pid
  EXPECT_FALSE(engine_gone(info));
  for (const nlohmann::json& bad : {nlohmann::json("123"), nlohmann::json(0), nlohmann::json(-5),
                                    nlohmann::json(1.5), nlohmann::json(std::int64_t{1} << 40)}) {
    info.extra = {{"pid", bad}};
    EXPECT_FALSE(engine_gone(info)) << bad.dump();
  }
  info.extra = nlohmann::json();  // null extra
  EXPECT_FALSE(engine_gone(info));
}

}  // namespace
}  // namespace stampede::gui
