#include "gui/model/run_model.h"

#include <gtest/gtest.h>

#include "gui/tests/lab_fixture.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

using testing::hash_run;

TEST(RunModel, ReadsARealRunAndItsSeries) {
  const RunModel m = RunModel::load(hash_run());
  ASSERT_TRUE(m.ok()) << m.error().toStdString();
  const auto direct = results::read_result_folder(hash_run().toStdString());
  EXPECT_EQ(m.display_name(), QStringLiteral("coupon-hash"));
  EXPECT_EQ(m.result().info.target_host, direct.info.target_host);
  EXPECT_DOUBLE_EQ(m.duration_s(), direct.info.duration_s);
  EXPECT_DOUBLE_EQ(m.requests_per_s(),
                   static_cast<double>(direct.aggregated.requests) / direct.info.duration_s);

  const std::size_t lines = direct.history.size();
  ASSERT_GT(lines, 3u);
  const SeriesData users = m.users_series();
  const SeriesData rps = m.rps_series();
  ASSERT_EQ(users.points.size(), static_cast<qsizetype>(lines));
  ASSERT_EQ(rps.points.size(), static_cast<qsizetype>(lines));
  // Every request of the history is in the rate series (interval × rate summed back).
  double from_series = 0;
  std::uint64_t from_history = 0;
  for (std::size_t i = 0; i < lines; ++i) {
    from_series += rps.points[i].y() * direct.history[i].interval_s;
    from_history += direct.history[i].total().requests;
    EXPECT_DOUBLE_EQ(users.points[i].x(), direct.history[i].elapsed_s);
    EXPECT_EQ(users.points[i].y(), direct.history[i].users);
  }
  EXPECT_NEAR(from_series, static_cast<double>(from_history), 1e-6);
  EXPECT_GT(from_history, 0u);

  const SeriesData p95 = m.latency_series(95);
  ASSERT_FALSE(p95.points.isEmpty());
  const auto& first_busy = *std::find_if(direct.history.begin(), direct.history.end(),
                                         [](const auto& p) { return p.total().requests > 0; });
  EXPECT_DOUBLE_EQ(p95.points.front().y(),
                   first_busy.total().latency.value_at_percentile(95) / 1000.0);
}

TEST(RunModel, EndpointLatencyAndHistograms) {
  const RunModel m = RunModel::load(hash_run());
  ASSERT_TRUE(m.ok());
  const QStringList keys = m.endpoint_keys();
  ASSERT_EQ(keys.size(), static_cast<qsizetype>(m.result().endpoints.size()));
  const QString grab = QStringLiteral("POST /api/coupon/grab [Hot Room]");
  ASSERT_TRUE(keys.contains(grab));
  const auto& hist = m.latency_histogram(grab);
  EXPECT_EQ(hist.count(), m.result().endpoints[keys.indexOf(grab)].requests);
  EXPECT_EQ(m.latency_histogram({}).count(), m.result().aggregated.requests);
  // The endpoint's series has at most one point per history line and only its own data.
  const SeriesData s = m.latency_series(50, grab);
  EXPECT_GT(s.points.size(), 0);
  EXPECT_LE(s.points.size(), m.users_series().points.size());
  EXPECT_TRUE(m.latency_series(50, QStringLiteral("GET /nowhere")).points.isEmpty());
}

TEST(RunModel, StageMarksFollowTheRamp) {
  // Ramp 4 users/s to 8: the user count stops changing after the ramp.
  const RunModel m = RunModel::load(hash_run());
  ASSERT_TRUE(m.ok());
  const QList<double> marks = m.stage_marks();
  ASSERT_FALSE(marks.isEmpty());
  const SeriesData users = m.users_series();
  // At the first mark after the ramp starts, users reached their steady count.
  bool found_peak = false;
  for (double t : marks) {
    for (const QPointF& p : users.points) {
      if (p.x() == t && p.y() == m.result().info.users) found_peak = true;
    }
  }
  EXPECT_TRUE(found_peak);
}

TEST(RunModel, CorruptServerJsonIsAClearErrorNotACrash) {
  testing::LabRunCopy copy("hash");
  ASSERT_TRUE(copy.ok);
  ASSERT_TRUE(RunModel::load(copy.dir).ok());
  QFile f(copy.dir + QStringLiteral("/server.json"));
  ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(R"({"format_version": 1, "shards": [{"shard": "zero"}]})");
  f.close();
  const RunModel m = RunModel::load(copy.dir);
  EXPECT_FALSE(m.ok());
  EXPECT_TRUE(m.error().contains(QStringLiteral("server.json"))) << m.error().toStdString();
}

TEST(RunModel, FailuresSeriesCountsFailures) {
  const RunModel m = RunModel::load(testing::overload_run());
  ASSERT_TRUE(m.ok()) << m.error().toStdString();
  double failures = 0;
  const auto& h = m.result().history;
  const SeriesData f = m.failures_series();
  ASSERT_EQ(f.points.size(), static_cast<qsizetype>(h.size()));
  for (int i = 0; i < f.points.size(); ++i) failures += f.points[i].y() * h[i].interval_s;
  std::uint64_t expected = 0;
  for (const auto& p : h) expected += p.total().failures;
  EXPECT_GT(expected, 0u);
  EXPECT_NEAR(failures, static_cast<double>(expected), 1e-6);
  EXPECT_NEAR(m.error_rate(), static_cast<double>(m.result().aggregated.failures) /
                                  static_cast<double>(m.result().aggregated.requests), 1e-12);
}

TEST(RunModel, CorruptOrMissingFolderGivesAClearError) {
  const RunModel corrupt = RunModel::load(testing::corrupt_run());
  EXPECT_FALSE(corrupt.ok());
  EXPECT_TRUE(corrupt.error().contains(QStringLiteral("stats.json"))) << corrupt.error().toStdString();
  EXPECT_TRUE(corrupt.users_series().points.isEmpty());

  const RunModel missing = RunModel::load(testing::fixture("gui/tests/fixtures/no-such-run"));
  EXPECT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().contains(QStringLiteral("run.json"))) << missing.error().toStdString();
}

TEST(RunModel, LiveFolderReadsFromHistory) {
  const RunModel m = RunModel::load(testing::live_run());
  ASSERT_TRUE(m.ok()) << m.error().toStdString();
  EXPECT_EQ(m.result().info.status, "running");
  // No stats.json yet: one point per history line, and totals summed from the history.
  QFile history(testing::live_run() + QStringLiteral("/history.jsonl"));
  ASSERT_TRUE(history.open(QIODevice::ReadOnly));
  const qsizetype lines = history.readAll().count('\n');
  ASSERT_GE(lines, 3);
  EXPECT_EQ(m.users_series().points.size(), lines);
  std::uint64_t requests = 0;
  for (const auto& p : m.result().history) requests += p.total().requests;
  EXPECT_GT(requests, 0u);
  EXPECT_EQ(m.result().aggregated.requests, requests);
  // A torn last line (the engine mid-write) is left out, not an error.
  QTemporaryDir tmp;
  const QString copy = tmp.path() + QStringLiteral("/live");
  ASSERT_TRUE(testing::copy_run(testing::live_run(), copy));
  QFile torn(copy + QStringLiteral("/history.jsonl"));
  ASSERT_TRUE(torn.open(QIODevice::Append));
  torn.write(R"({"t_s": 5.0, "users": 12, "endpoints": [{"na)");
  torn.close();
  const RunModel cut = RunModel::load(copy);
  ASSERT_TRUE(cut.ok()) << cut.error().toStdString();
  EXPECT_EQ(cut.users_series().points.size(), lines);
}

}  // namespace
}  // namespace stampede::gui
