#include "gui/model/series.h"

#include <gtest/gtest.h>

namespace stampede::gui {
namespace {

TEST(Series, PercentileLevelsSpanZeroToFourNines) {
  const QList<double> levels = percentile_levels();
  ASSERT_EQ(levels.size(), 21);
  EXPECT_DOUBLE_EQ(levels.front(), 0.0);
  EXPECT_NEAR(levels[5], 90.0, 1e-9);
  EXPECT_NEAR(levels[10], 99.0, 1e-9);
  EXPECT_NEAR(levels.back(), 99.99, 1e-9);
}

TEST(Series, PercentileCurveIsMonotoneAndEndsAtTheTail) {
  results::Histogram h;
  for (std::uint64_t v = 1; v <= 10000; ++v) h.record(v * 10);  // 10 µs .. 100 ms
  const SeriesData s = percentile_curve(h, QStringLiteral("x"));
  ASSERT_EQ(s.points.size(), 21);
  EXPECT_DOUBLE_EQ(s.points.front().x(), 1.0);
  EXPECT_DOUBLE_EQ(s.points.front().y(), 0.01);  // min
  EXPECT_NEAR(s.points[10].x(), 100.0, 1e-6);    // p99
  EXPECT_NEAR(s.points[10].y(), 99.0, 0.1);
  for (int i = 1; i < s.points.size(); ++i) {
    EXPECT_GT(s.points[i].x(), s.points[i - 1].x());
    EXPECT_GE(s.points[i].y(), s.points[i - 1].y());
  }
  EXPECT_TRUE(percentile_curve(results::Histogram{}, QStringLiteral("e")).points.isEmpty());
}

TEST(Series, LatencyBinsKeepEveryCount) {
  results::Histogram h;
  for (std::uint64_t v = 500; v <= 80000; v += 37) h.record(v);
  h.record(250000, 3);
  const QList<HistogramBin> bins = latency_bins(h, 20);
  ASSERT_EQ(bins.size(), 20);
  quint64 total = 0;
  for (const auto& b : bins) {
    total += b.count;
    EXPECT_LT(b.lo_ms, b.hi_ms);
  }
  EXPECT_EQ(total, h.count());
  EXPECT_NEAR(bins.front().lo_ms, 0.5, 1e-9);
  EXPECT_NEAR(bins.back().hi_ms, 250.0, 1e-6);
  EXPECT_EQ(bins.back().count, 3u);

  results::Histogram one;
  one.record(1234, 5);
  const auto single = latency_bins(one, 20);
  ASSERT_EQ(single.size(), 1);
  EXPECT_EQ(single[0].count, 5u);
  EXPECT_TRUE(latency_bins(results::Histogram{}).isEmpty());
}

}  // namespace
}  // namespace stampede::gui
