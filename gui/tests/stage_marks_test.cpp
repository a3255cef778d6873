#include "gui/model/stage_marks.h"

#include <gtest/gtest.h>

#include "gui/model/run_model.h"
#include "gui/tests/fixtures.h"

namespace stampede::gui {
namespace {

using nlohmann::json;

TEST(StageMarks, DurationsFollowTheScenarioFormat) {
  EXPECT_EQ(parse_duration_s(json(0.5)), 0.5);
  EXPECT_DOUBLE_EQ(parse_duration_s(json("100us")).value_or(-1), 100e-6);
  EXPECT_EQ(parse_duration_s(json("250ms")), 0.25);
  EXPECT_EQ(parse_duration_s(json("2s")), 2.0);
  EXPECT_EQ(parse_duration_s(json("1.5m")), 90.0);
  EXPECT_EQ(parse_duration_s(json("1h")), 3600.0);
  EXPECT_EQ(parse_duration_s(json("3")), 3.0);
  EXPECT_FALSE(parse_duration_s(json("-1s")));
  EXPECT_FALSE(parse_duration_s(json("2 weeks")));
  EXPECT_FALSE(parse_duration_s(json("s")));
  EXPECT_FALSE(parse_duration_s(json(true)));
}

TEST(StageMarks, DeclaredStagesAndSteps) {
  const json stages = json::parse(R"({"load_shape": {"stages": [{"duration": "1m", "users": 20},
      {"duration": "2m", "users": 50}, {"duration": 30, "users": 10}]}})");
  EXPECT_EQ(declared_stage_starts(stages, 210), (QList<double>{60, 180}));
  EXPECT_EQ(declared_stage_starts(stages, 100), (QList<double>{60}));  // stopped early
  const json step = json::parse(R"({"load_shape": {"step": {"users_per_step": 100,
      "step_duration": "60s", "time_limit": "5m"}}})");
  EXPECT_EQ(declared_stage_starts(step, 300), (QList<double>{60, 120, 180, 240}));
  EXPECT_TRUE(declared_stage_starts(json::object(), 100).isEmpty());
  EXPECT_TRUE(declared_stage_starts(json::parse(R"({"load_shape": {"stages": [{"duration": "soon"}, {}]}})"), 100).isEmpty());
}

TEST(StageMarks, ARealStagedRunIsMarkedAtItsDeclaredStages) {
  const RunModel m = RunModel::load(testing::stages_run());
  ASSERT_TRUE(m.ok()) << m.error().toStdString();
  ASSERT_TRUE(m.result().info.load_shape);  // the engine followed the shape
  EXPECT_EQ(m.stage_marks(), (QList<double>{3, 6}));
  EXPECT_EQ(m.users(), 8);  // the shape's peak, as the history shows it (not run.json's users)
  // The user count, sampled once a second, changes elsewhere (ramps take time): the declared
  // stages are not what the history alone would say.
  EXPECT_NE(m.user_change_marks(), m.stage_marks());
  // Each mark is labelled with the users its stage reaches (coupon-stages.json: 8, then 2).
  EXPECT_EQ(m.stage_labels(m.stage_marks()), (QStringList{"→ 8 users", "→ 2 users"}));
}

TEST(StageMarks, RampMarksAreLabelledWithWhereTheUsersGo) {
  const RunModel m = RunModel::load(testing::hash_run());
  ASSERT_TRUE(m.ok());
  const QList<double> marks = m.user_change_marks();
  const QStringList labels = m.stage_labels(marks);
  ASSERT_EQ(labels.size(), marks.size());
  ASSERT_GE(labels.size(), 2);
  // The ramp-up from 0 users at the start goes to the run's 8 users, which then hold until
  // the run stops (its end: no mark, though the closing line counts 0 users).
  ASSERT_EQ(marks.size(), 2);
  EXPECT_EQ(marks[0], 0.0);
  EXPECT_GT(marks[1], 0.0);
  EXPECT_EQ(labels[0], QStringLiteral("→ 8 users"));
  EXPECT_EQ(labels[1], QStringLiteral("8 users"));
  EXPECT_EQ(m.result().history.back().users, 0);
  EXPECT_TRUE(m.stage_labels({}).isEmpty());
  EXPECT_EQ(m.stage_labels({1000.0}), QStringList{QString()});  // beyond the history
}

// The engine can write a periodic line just after the stop and then its closing line, both
// with 0 users: still the end of the run, not a ramp down.
TEST(StageMarks, TwoClosingLinesAreStillTheStop) {
  const RunModel real = RunModel::load(testing::hash_run());
  ASSERT_TRUE(real.ok());
  results::RunResult r = real.result();
  ASSERT_EQ(r.history.back().users, 0);
  results::HistoryPoint closing = r.history.back();
  r.history.back().elapsed_s -= 0.5;
  r.history.back().interval_s = 0.5;
  closing.interval_s = 0.5;
  r.history.push_back(closing);
  const RunModel twice = RunModel::from_result(real.dir(), r);
  EXPECT_EQ(twice.user_change_marks(), real.user_change_marks());
  EXPECT_EQ(twice.stage_labels(twice.user_change_marks()), (QStringList{"→ 8 users", "8 users"}));
  r.info.status = "running";  // still being written: those zeros are a real drop
  EXPECT_GT(RunModel::from_result(real.dir(), r).user_change_marks().size(), real.user_change_marks().size());
}

TEST(StageMarks, RunModelUsesTheDeclaredStagesOnlyWhenTheRunFollowedThem) {
  const RunModel real = RunModel::load(testing::hash_run());
  ASSERT_TRUE(real.ok());
  results::RunResult r = real.result();
  r.scenario["load_shape"] = json::parse(R"({"stages": [{"duration": "3s", "users": 4}, {"duration": "4s", "users": 8},
      {"duration": "5s", "users": 2}]})");
  r.info.load_shape = true;
  EXPECT_EQ(RunModel::from_result(real.dir(), r).stage_marks(), (QList<double>{3, 7}));
  r.info.load_shape = false;  // the CLI's -u/-r drove the users: marks from the history
  EXPECT_EQ(RunModel::from_result(real.dir(), r).stage_marks(), real.user_change_marks());
  EXPECT_FALSE(real.user_change_marks().isEmpty());
}

}  // namespace
}  // namespace stampede::gui
