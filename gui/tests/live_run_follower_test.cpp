#include "gui/model/live_run_follower.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <gtest/gtest.h>

#include "gui/tests/engine_info.h"
#include "gui/tests/run_folder_writing.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

using testing::history_line;
using testing::live_info;

TEST(LiveRunFollower, EmitsAppendedPointsAndStopsWhenTheRunEnds) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/run");
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(live_info("live"));
  for (int i = 1; i <= 3; ++i) writer.append_history(history_line(i, i, 10 * i));

  LiveRunFollower follower(dir);
  QSignalSpy appended(&follower, &LiveRunFollower::pointsAppended);
  QSignalSpy status(&follower, &LiveRunFollower::statusChanged);
  QSignalSpy finished(&follower, &LiveRunFollower::finished);
  follower.start(50);
  ASSERT_EQ(appended.count(), 1);  // what was already there, at once
  EXPECT_EQ(appended.at(0).at(0).toInt(), 0);
  EXPECT_EQ(appended.at(0).at(1).toInt(), 3);
  ASSERT_EQ(status.count(), 1);
  EXPECT_EQ(status.at(0).at(0).toString(), QStringLiteral("running"));
  EXPECT_TRUE(follower.isFollowing());

  writer.append_history(history_line(4, 4, 40));
  writer.append_history(history_line(5, 4, 45));
  ASSERT_TRUE(appended.wait(3000));
  while (follower.points().size() < 5 && appended.wait(3000)) {}
  ASSERT_EQ(follower.points().size(), 5);
  EXPECT_EQ(appended.last().at(0).toInt() + appended.last().at(1).toInt(), 5);
  EXPECT_DOUBLE_EQ(follower.points().back().elapsed_s, 5.0);
  EXPECT_EQ(follower.points().back().endpoints.at(0).requests, 45u);

  // The last line and the final status arrive together: both are reported.
  writer.append_history(history_line(6, 0, 7));
  writer.write_run_info(live_info("live", "complete"));
  ASSERT_TRUE(finished.wait(3000));
  EXPECT_EQ(finished.at(0).at(0).toString(), QStringLiteral("complete"));
  EXPECT_EQ(follower.status(), QStringLiteral("complete"));
  EXPECT_EQ(follower.points().size(), 6);
  EXPECT_FALSE(follower.isFollowing());
}

TEST(LiveRunFollower, WaitsForAFolderThatIsNotWrittenYet) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/later");
  LiveRunFollower follower(dir);
  QSignalSpy appended(&follower, &LiveRunFollower::pointsAppended);
  QSignalSpy errors(&follower, &LiveRunFollower::errorOccurred);
  follower.start(30);
  EXPECT_EQ(appended.count(), 0);
  EXPECT_EQ(errors.count(), 0);
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(live_info("live"));
  writer.append_history(history_line(1, 1, 3));
  ASSERT_TRUE(appended.wait(3000));
  EXPECT_EQ(follower.points().size(), 1);
  EXPECT_EQ(errors.count(), 0);
}

// An engine killed mid-run leaves run.json at "running": the follower reads what it wrote
// and stops, rather than waiting for an end that will not come.
TEST(LiveRunFollower, StopsWhenTheEngineIsGone) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/killed");
  {
    results::ResultWriter writer(dir.toStdString());
    writer.write_run_info(testing::engine_info(::getpid()));  // alive: this process
    writer.append_history(history_line(1, 1, 3));
  }
  LiveRunFollower follower(dir);
  QSignalSpy finished(&follower, &LiveRunFollower::finished);
  follower.start(30);
  QTest::qWait(200);
  EXPECT_TRUE(follower.isFollowing());
  EXPECT_EQ(follower.status(), QStringLiteral("running"));

  // The same folder as an engine that has exited left it, one more line written.
  results::RunInfo gone = testing::engine_info(testing::reaped_pid());
  results::write_file_atomically((dir + QStringLiteral("/run.json")).toStdString(), results::to_json(gone).dump());
  {
    std::ofstream history((dir + QStringLiteral("/history.jsonl")).toStdString(), std::ios::app);
    history << results::to_json(history_line(2, 1, 4)).dump() << "\n";
  }
  ASSERT_TRUE(finished.wait(3000));
  EXPECT_EQ(finished.at(0).at(0).toString(), QStringLiteral("engine gone"));
  EXPECT_EQ(follower.status(), QStringLiteral("engine gone"));
  EXPECT_FALSE(follower.isFollowing());
  EXPECT_EQ(follower.points().size(), 2);  // the last line is read before stopping
}

TEST(LiveRunFollower, AMalformedLineIsAnErrorNotACrash) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/bad");
  {
    results::ResultWriter writer(dir.toStdString());
    writer.write_run_info(live_info("live"));
    writer.append_history(history_line(1, 1, 3));
  }
  LiveRunFollower follower(dir);
  QSignalSpy errors(&follower, &LiveRunFollower::errorOccurred);
  follower.start(30);
  EXPECT_EQ(follower.points().size(), 1);
  std::ofstream(dir.toStdString() + "/history.jsonl", std::ios::app) << "{\"elapsed_s\":\"two\"}\n";
  ASSERT_TRUE(errors.wait(3000));
  EXPECT_TRUE(errors.at(0).at(0).toString().contains(QStringLiteral("history.jsonl")))
      << errors.at(0).at(0).toString().toStdString();
  EXPECT_FALSE(follower.isFollowing());
}

}  // namespace
}  // namespace stampede::gui
