#include "gui/model/series.h"

#include <cmath>
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

TEST(Series, PercentileCurveStopsWhereTheDataDoes) {
  results::Histogram h;
  for (std::uint64_t v = 1; v <= 94; ++v) h.record(v * 100);  // 0.1 .. 9.4 ms
  const SeriesData s = percentile_curve(h, QStringLiteral("x"));
  ASSERT_GE(s.points.size(), 3);
  // Levels up to 1/(1-p) = 63 (p98.4); the next (100, p99) is beyond 94 requests.
  EXPECT_NEAR(s.points[s.points.size() - 2].x(), percentile_to_x(100.0 * (1 - std::pow(10.0, -1.8))), 1e-9);
  EXPECT_DOUBLE_EQ(s.points.back().x(), 94.0);
  EXPECT_NEAR(s.points.back().y(), 9.4, 0.01);  // the max
  for (int i = 1; i < s.points.size(); ++i) EXPECT_GT(s.points[i].x(), s.points[i - 1].x());

  results::Histogram one;
  one.record(2500);
  const SeriesData single = percentile_curve(one, QStringLiteral("one"));
  ASSERT_EQ(single.points.size(), 1);  // p0 at x = 1 is the max as well
  EXPECT_DOUBLE_EQ(single.points.front().x(), 1.0);
  EXPECT_NEAR(single.points.front().y(), 2.5, 0.01);
}

TEST(Series, PercentileAxisEndsOnADecade) {
  EXPECT_DOUBLE_EQ(percentile_axis_end({}), 10.0);
  EXPECT_DOUBLE_EQ(percentile_axis_end({SeriesData{QStringLiteral("a"), {{1, 1}}}}), 10.0);
  EXPECT_DOUBLE_EQ(percentile_axis_end({SeriesData{QStringLiteral("a"), {{1, 1}, {94, 2}}}}), 100.0);
  EXPECT_DOUBLE_EQ(percentile_axis_end({SeriesData{QStringLiteral("a"), {{1, 1}, {100, 2}}},
                                        SeriesData{QStringLiteral("b"), {{1, 1}, {1e4, 2}}}}), 1e4);
  EXPECT_DOUBLE_EQ(percentile_axis_end({SeriesData{QStringLiteral("a"), {{1, 1}, {10001, 2}}}}), 1e5);
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

// A log axis cannot show 0: the range covers the positive values on whole decades, and a
// zero is drawn on its bottom rather than left out.
TEST(Series, LogRangesCoverThePositiveValuesAndKeepZeros) {
  const SeriesData a{QStringLiteral("a"), {{1, 0.0}, {2, 0.42}, {3, 3.5}}};
  const SeriesData b{QStringLiteral("b"), {{1, 120.0}}};
  const AxisRange r = log_axis_range({a, b});
  EXPECT_DOUBLE_EQ(r.min, 0.1);
  EXPECT_DOUBLE_EQ(r.max, 1000.0);
  const AxisRange exact = log_axis_range({{QStringLiteral("x"), {{1, 10.0}, {2, 100.0}}}});
  EXPECT_DOUBLE_EQ(exact.min, 10.0);   // a value on a decade is its own bottom ...
  EXPECT_DOUBLE_EQ(exact.max, 100.0);  // ... and top
  const AxisRange one = log_axis_range({{QStringLiteral("x"), {{1, 5.0}}}});
  EXPECT_DOUBLE_EQ(one.min, 1.0);
  EXPECT_DOUBLE_EQ(one.max, 10.0);
  const AxisRange none = log_axis_range({{QStringLiteral("x"), {{1, 0.0}}}, {}});
  EXPECT_DOUBLE_EQ(none.min, 1.0);
  EXPECT_DOUBLE_EQ(none.max, 10.0);
  const QList<QPointF> lifted = on_log_axis(a.points, r.min);
  ASSERT_EQ(lifted.size(), a.points.size());  // nothing dropped
  EXPECT_DOUBLE_EQ(lifted[0].y(), 0.1);
  EXPECT_DOUBLE_EQ(lifted[1].y(), 0.42);
  EXPECT_DOUBLE_EQ(lifted[0].x(), 1.0);
}

TEST(Series, LogCountRangeStartsBelowOneRequest) {
  EXPECT_LT(kLogCountFloor, 1.0);
  EXPECT_GT(kLogCountFloor, 0.0);
  EXPECT_DOUBLE_EQ(log_count_range(0).min, kLogCountFloor);
  EXPECT_DOUBLE_EQ(log_count_range(0).max, 10.0);
  EXPECT_DOUBLE_EQ(log_count_range(9).max, 10.0);
  EXPECT_DOUBLE_EQ(log_count_range(10).max, 100.0);  // the tallest bin below the top
  EXPECT_DOUBLE_EQ(log_count_range(4321).max, 10000.0);
}

}  // namespace
}  // namespace stampede::gui
