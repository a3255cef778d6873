// The threshold expression parser: what it accepts, and where it points when it doesn't.
#include "gate/threshold.h"

#include <gtest/gtest.h>

namespace stampede::gate {
namespace {

TEST(Threshold, ParsesPercentileWithUnit) {
  Threshold t = parse_threshold("  p95 < 150ms ");
  EXPECT_EQ(t.metric, Metric::kPercentile);
  EXPECT_DOUBLE_EQ(t.percentile, 95);
  EXPECT_EQ(t.comparison, Comparison::kLess);
  EXPECT_DOUBLE_EQ(t.limit, 150'000);  // µs
  EXPECT_TRUE(t.selector.empty());
  EXPECT_FALSE(t.window);
  EXPECT_EQ(t.text, "p95 < 150ms");
  EXPECT_EQ(t.format_limit(), "< 150ms");
}

TEST(Threshold, ParsesNameSelectorWithSpacesAndBrackets) {
  Threshold t = parse_threshold(R"(p99{name="/api/coupon/grab [Hot Room]"} < 80ms)");
  ASSERT_TRUE(t.selector.name);
  EXPECT_EQ(*t.selector.name, "/api/coupon/grab [Hot Room]");
  EXPECT_DOUBLE_EQ(t.limit, 80'000);
}

TEST(Threshold, ParsesEveryMetricAndUnit) {
  EXPECT_DOUBLE_EQ(parse_threshold("error_rate < 1%").limit, 0.01);
  EXPECT_EQ(parse_threshold("error_rate < 1%").unit, Unit::kPercent);
  EXPECT_DOUBLE_EQ(parse_threshold("error_rate <= 0.05").limit, 0.05);
  Threshold rps = parse_threshold("rps > 400");
  EXPECT_EQ(rps.metric, Metric::kRps);
  EXPECT_EQ(rps.comparison, Comparison::kGreater);
  EXPECT_DOUBLE_EQ(rps.limit, 400);
  Threshold shard = parse_threshold("p95{shard=0} < 20ms");
  ASSERT_TRUE(shard.selector.shard);
  EXPECT_EQ(*shard.selector.shard, 0);
  Threshold avg = parse_threshold(R"(avg{method="GET"} <= 0.2s)");
  EXPECT_EQ(avg.metric, Metric::kAvg);
  EXPECT_EQ(*avg.selector.method, "GET");
  EXPECT_EQ(avg.comparison, Comparison::kLessEqual);
  EXPECT_DOUBLE_EQ(avg.limit, 200'000);
  EXPECT_DOUBLE_EQ(parse_threshold("p99.9 < 500us").percentile, 99.9);
  EXPECT_DOUBLE_EQ(parse_threshold("p99.9 < 500us").limit, 500);
  EXPECT_EQ(parse_threshold("p50 >= 1ms").comparison, Comparison::kGreaterEqual);
  EXPECT_EQ(parse_threshold("min < 1ms").metric, Metric::kMin);
  EXPECT_EQ(parse_threshold("max < 1s").metric, Metric::kMax);
  EXPECT_EQ(parse_threshold("count >= 100").metric, Metric::kCount);
  EXPECT_EQ(parse_threshold("p99.9 < 1ms").metric_name(), "p99.9");
}

TEST(Threshold, ParsesCombinedSelectorsAndWindow) {
  Threshold t = parse_threshold(R"(p90{ name = "a \"b\"", method="POST", shard="3" } < 2s over 10s)");
  EXPECT_EQ(*t.selector.name, "a \"b\"");
  EXPECT_EQ(*t.selector.method, "POST");
  EXPECT_EQ(*t.selector.shard, 3);
  ASSERT_TRUE(t.window);
  EXPECT_EQ(t.window->count(), 10'000);
  EXPECT_EQ(parse_threshold("rps > 1 over 1500ms").window->count(), 1500);
  EXPECT_EQ(parse_threshold("p95 < 150 ms").limit, 150'000) << "a space before the unit";
  EXPECT_EQ(parse_threshold("error_rate < 1 %").limit, 0.01);
  EXPECT_EQ(parse_threshold("p95 < 2 s over 10 s").window->count(), 10'000);
  EXPECT_EQ(parse_threshold("rps > 1 over 2m").window->count(), 120'000);
  // The window takes the project's duration units (units/duration.h).
  EXPECT_EQ(parse_threshold("rps > 1 over 1h").window->count(), 3'600'000);
  EXPECT_THROW(parse_threshold("rps > 1 over 10 weeks"), ThresholdError);
  EXPECT_EQ(parse_threshold("rps > 1 over 1000000000s").window->count(), 1'000'000'000'000);  // the longest
  EXPECT_FALSE(parse_threshold("rps > 1 over 2m").abort);
  EXPECT_TRUE(parse_threshold("error_rate < 5% abort").abort);
  Threshold both = parse_threshold("p99 < 300ms over 10s abort");
  EXPECT_TRUE(both.abort);
  EXPECT_EQ(both.window->count(), 10'000);
}

TEST(Threshold, ComparisonAndFormatting) {
  Threshold t = parse_threshold("p95 < 150ms");
  EXPECT_TRUE(t.passes(149'999));
  EXPECT_FALSE(t.passes(150'000));
  EXPECT_EQ(t.format_value(162'400), "162.4ms");
  EXPECT_EQ(t.format_value(12), "12us") << "too small for ms: a finer unit, not 0.0ms";
  EXPECT_EQ(parse_threshold("p95 < 1s").format_value(48), "0.048ms");
  EXPECT_EQ(parse_threshold("p95 < 1s").format_value(1'500'000), "1.500s");
  EXPECT_TRUE(parse_threshold("p95 <= 150ms").passes(150'000));
  EXPECT_FALSE(parse_threshold("rps >= 10").passes(9.99));
  EXPECT_EQ(parse_threshold("error_rate < 1%").format_value(0.0052), "0.52%");
}

TEST(Threshold, ParsesServiceTimeAndDropped) {
  Threshold service = parse_threshold(R"(service.p99.9{name="/api/items"} < 50ms over 10s abort)");
  EXPECT_EQ(service.of, LatencyOf::kService);
  EXPECT_EQ(service.metric, Metric::kPercentile);
  EXPECT_DOUBLE_EQ(service.percentile, 99.9);
  EXPECT_TRUE(service.is_latency());
  EXPECT_DOUBLE_EQ(service.limit, 50'000);
  EXPECT_EQ(*service.selector.name, "/api/items");
  EXPECT_EQ(service.window->count(), 10'000);
  EXPECT_TRUE(service.abort);
  EXPECT_EQ(service.metric_name(), "service.p99.9");
  EXPECT_EQ(parse_threshold("p99 < 50ms").of, LatencyOf::kLatency) << "plain latency is not the service time";
  EXPECT_EQ(parse_threshold("service.avg < 1s").metric_name(), "service.avg");
  EXPECT_EQ(parse_threshold("service.min < 1s").metric, Metric::kMin);
  EXPECT_EQ(parse_threshold("service.max <= 2 s").metric_name(), "service.max");
  Threshold dropped = parse_threshold(R"(dropped{method="POST"} <= 10 over 1m abort)");
  EXPECT_EQ(dropped.metric, Metric::kDropped);
  EXPECT_EQ(dropped.of, LatencyOf::kLatency);
  EXPECT_DOUBLE_EQ(dropped.limit, 10);
  EXPECT_EQ(dropped.metric_name(), "dropped");
  EXPECT_EQ(dropped.format_value(3), "3");
  EXPECT_EQ(dropped.format_limit(), "<= 10");
}

struct Bad {
  const char* text;
  std::size_t column;
  const char* says;
};

class ThresholdErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(ThresholdErrors, NameExpressionColumnAndProblem) {
  const Bad& bad = GetParam();
  try {
    parse_threshold(bad.text);
    FAIL() << "accepted: " << bad.text;
  } catch (const ThresholdError& e) {
    EXPECT_EQ(e.column(), bad.column) << e.what();
    EXPECT_NE(e.problem().find(bad.says), std::string::npos) << e.what();
    std::string what = e.what();
    EXPECT_NE(what.find(std::string("'") + bad.text + "'"), std::string::npos) << what;
    // The caret sits under the column.
    std::string caret = "\n  " + std::string(bad.column - 1, ' ') + "^";
    EXPECT_NE(what.find(caret), std::string::npos) << what;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Invalid, ThresholdErrors,
    ::testing::Values(Bad{"p95 < 150", 10, "missing unit"},
                      Bad{"p95 < 150xs", 10, "unknown unit 'xs'"},
                      Bad{"p95 = 150ms", 5, "unsupported operator"},
                      Bad{"latency < 1ms", 1, "unknown metric 'latency'"},
                      Bad{"p101 < 1ms", 1, "bad percentile"},
                      Bad{"p95{nme=\"x\"} < 1ms", 5, "unknown selector 'nme'"},
                      Bad{"p95{name=\"x} < 1ms", 10, "unterminated string"},
                      Bad{"p95{shard=x} < 1ms", 11, "shard number"},
                      Bad{"p95{name=\"x\" method=\"GET\"} < 1ms", 14, "expected ',' or '}'"},
                      Bad{"rps > 400ms", 10, "plain number"},
                      Bad{"error_rate < 5", 14, "fraction"},
                      Bad{"p95 <", 6, "missing limit"},
                      Bad{"p95", 4, "missing comparison"},
                      Bad{"p95 < 1ms over", 15, "window duration"},
                      Bad{"p95 < 1ms over 10", 16, "duration unit"},
                      Bad{"p95 < 1ms over 500ms", 16, "at least 1s"},
                      // Found by fuzz/threshold_fuzz.cpp: 1e16 s overflowed the window's
                      // milliseconds into a negative window, which evaluate ran off its end.
                      Bad{"rps>1 over 9999999999999993s", 12, "at most 1e9 s"},
                      Bad{"rps > 1 over 1000000001s", 14, "at most 1e9 s"},
                      Bad{"p95 < 150 over 10s", 10, "missing unit"},
                      Bad{"p95 < 1ms abort now", 17, "after 'abort'"},
                      Bad{"p95 < 1ms abort over 1s", 17, "after 'abort'"},
                      Bad{"p95 < 1ms and more", 11, "unexpected 'and'"},
                      Bad{"", 1, "empty expression"},
                      Bad{"service.rps > 1", 9, "'service.' goes with a latency metric"},
                      Bad{"service.dropped < 1", 9, "'service.' goes with a latency metric"},
                      Bad{"service.p101 < 1ms", 9, "bad percentile"},
                      Bad{"service.lat < 1ms", 9, "unknown latency metric 'lat'"},
                      Bad{"service. < 1ms", 9, "expected a latency metric after 'service.'"},
                      Bad{"service < 1ms", 1, "expected 'service.'"},
                      Bad{"service.p99 < 150", 18, "missing unit"},
                      Bad{"service.p95{shard=0} < 1ms", 13, "service time is not recorded per shard"},
                      Bad{"dropped{shard=1} < 1", 9, "not recorded per shard"},
                      Bad{"dropped < 1%", 12, "plain number"},
                      Bad{"dropped < 5ms", 12, "plain number"}));

}  // namespace
}  // namespace stampede::gate
