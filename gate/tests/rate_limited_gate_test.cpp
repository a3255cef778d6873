// rate_limited in the gate (results/README.md, "rate limited"): HTTP 429 answers judged
// apart from failures — with % their share of the requests, without a unit their count —
// parsed with clear errors (never per shard), evaluated over the whole run, per endpoint,
// over windows and after a warm-up, on the committed rate-limited-run fixture.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "gate/evaluate.h"
#include "results/result_folder.h"

namespace stampede::gate {
namespace {

const std::filesystem::path kFixture =
    std::filesystem::path(STAMPEDE_SOURCE_DIR) / "results/tests/fixtures/rate-limited-run";

Outcome judge(const std::string& expr, const results::RunResult& run, std::chrono::milliseconds warmup = {}) {
  EvaluateOptions o;
  o.warmup = warmup;
  return evaluate(parse_threshold(expr), run, o);
}

std::string parse_error(const std::string& expr) {
  try {
    parse_threshold(expr);
  } catch (const ThresholdError& e) {
    return e.problem();
  }
  return "(parsed)";
}

TEST(RateLimitedThreshold, PercentIsAShareAndAPlainNumberACount) {
  Threshold share = parse_threshold("rate_limited < 1%");
  EXPECT_EQ(share.metric, Metric::kRateLimited);
  EXPECT_EQ(share.unit, Unit::kPercent);
  EXPECT_DOUBLE_EQ(share.limit, 0.01);
  EXPECT_EQ(share.metric_name(), "rate_limited");
  Threshold count = parse_threshold("rate_limited{name=\"/api/grab\"} <= 10 over 5s abort");
  EXPECT_EQ(count.unit, Unit::kNone);
  EXPECT_DOUBLE_EQ(count.limit, 10);
  EXPECT_TRUE(count.abort);
  EXPECT_EQ(count.format_value(7), "7");
}

TEST(RateLimitedThreshold, BadUnitsAndShardsAreRefusedClearly) {
  EXPECT_EQ(parse_error("rate_limited < 5ms"),
            "unknown unit 'ms'; rate_limited takes % (a share of the requests) or a plain count");
  EXPECT_NE(parse_error("rate_limited{shard=0} < 1%").find("rate-limited answers are not recorded per shard"),
            std::string::npos);
  EXPECT_NE(parse_error("rate_limit < 1%").find("rate_limited"), std::string::npos) << "named among the metrics";
}

TEST(RateLimitedThreshold, JudgesThe429sApartFromFailures) {
  const results::RunResult run = results::read_result_folder(kFixture);
  ASSERT_GT(run.aggregated.rate_limited, 0u);
  const double share = double(run.aggregated.rate_limited) / double(run.aggregated.requests);

  const Outcome whole = judge("rate_limited < 1%", run);
  EXPECT_EQ(whole.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(whole.measured, share);
  EXPECT_NE(whole.message.find("HTTP 429"), std::string::npos) << whole.message;
  EXPECT_EQ(judge("rate_limited < 50%", run).verdict, Verdict::kPass);
  const Outcome count = judge("rate_limited <= " + std::to_string(run.aggregated.rate_limited), run);
  EXPECT_EQ(count.verdict, Verdict::kPass);
  EXPECT_DOUBLE_EQ(count.measured, double(run.aggregated.rate_limited));

  // Only GET /api/items/[id] is limited; the cart never.
  EXPECT_EQ(judge("rate_limited{name=\"/api/cart\"} < 1", run).verdict, Verdict::kPass);
  EXPECT_EQ(judge("rate_limited{name=\"/api/items/[id]\"} < 1", run).verdict, Verdict::kFail);

  // error_rate leaves the 429s out.
  const Outcome errors = judge("error_rate < 100%", run);
  EXPECT_DOUBLE_EQ(errors.measured, double(run.aggregated.failures) / double(run.aggregated.requests));
}

TEST(RateLimitedThreshold, WindowsAndWarmUpReadTheHistory) {
  const results::RunResult run = results::read_result_folder(kFixture);
  // The limiter starts in the fourth second: a warm-up of 2 s keeps all of them...
  EXPECT_DOUBLE_EQ(judge("rate_limited >= 0", run, std::chrono::seconds(2)).measured, double(run.aggregated.rate_limited));
  // ...and the first 3 s alone have none: some 3 s window passes, the worst fails.
  const Outcome window = judge("rate_limited < 1 over 3s", run);
  EXPECT_EQ(window.verdict, Verdict::kFail);
  EXPECT_GT(window.measured, 0);
  EXPECT_GE(window.window_end_s, 4);
}

}  // namespace
}  // namespace stampede::gate
