// Randomness: bounds and proportions of every distribution, and weighted task choice.
// Seeds are fixed, so these statistical checks are deterministic.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "scenarios/expression.h"
#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

constexpr int kDraws = 100'000;

// Pearson chi-square statistic of observed counts against expected probabilities.
double chi_square(const std::vector<double>& observed, const std::vector<double>& probabilities) {
  double total = 0;
  for (double o : observed) total += o;
  double chi = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double expected = total * probabilities[i];
    chi += (observed[i] - expected) * (observed[i] - expected) / expected;
  }
  return chi;
}

// Critical values at p = 0.001 by degrees of freedom (1..4).
constexpr double kChiCritical[] = {0, 10.83, 13.82, 16.27, 18.47};

std::map<std::int64_t, double> histogram(const std::string& text, int draws = kDraws) {
  Scope scope;
  CompileState state;
  std::vector<ExprError> errors;
  Expr e = Expr::compile(text, 1, scope, state, errors);
  EXPECT_TRUE(errors.empty()) << text;
  std::vector<Value> slots;
  std::vector<std::int64_t> counters(4, 0);
  Rng rng(2024);
  EvalContext ctx{slots, counters, rng};
  std::map<std::int64_t, double> counts;
  for (int i = 0; i < draws; ++i) counts[e.eval(ctx).as_int()] += 1;
  return counts;
}

TEST(Distributions, UniformIsInclusiveAndFlat) {
  auto counts = histogram("uniform(1, 5)");
  ASSERT_EQ(counts.size(), 5u);
  EXPECT_EQ(counts.begin()->first, 1);
  EXPECT_EQ(counts.rbegin()->first, 5);
  std::vector<double> observed;
  for (auto& [v, c] : counts) observed.push_back(c);
  EXPECT_LT(chi_square(observed, std::vector<double>(5, 0.2)), kChiCritical[4]);
}

TEST(Distributions, UniformSingleValueAndNegativeRange) {
  auto single = histogram("uniform(7, 7)", 100);
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single.begin()->first, 7);
  auto negative = histogram("uniform(-2, 1)", 10000);
  ASSERT_EQ(negative.size(), 4u);
  EXPECT_EQ(negative.begin()->first, -2);
  EXPECT_EQ(negative.rbegin()->first, 1);
}

TEST(Distributions, UniformRealStaysInRange) {
  Rng rng(5);
  double lo = 1e9, hi = -1e9, sum = 0;
  for (int i = 0; i < kDraws; ++i) {
    const double v = rng.uniform_real(2.0, 4.0);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    sum += v;
  }
  EXPECT_GE(lo, 2.0);
  EXPECT_LT(hi, 4.0);
  EXPECT_NEAR(sum / kDraws, 3.0, 0.01);
}

TEST(Distributions, ChoiceIsUniformOverItsArguments) {
  auto counts = histogram("choice(10, 20, 30)");
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts.count(20), 1u);
  std::vector<double> observed;
  for (auto& [v, c] : counts) observed.push_back(c);
  EXPECT_LT(chi_square(observed, {1.0 / 3, 1.0 / 3, 1.0 / 3}), kChiCritical[2]);
}

TEST(Distributions, WeightedFollowsItsWeights) {
  auto counts = histogram("weighted(1, 6, 2, 3, 3, 1)");
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_LT(chi_square({counts[1], counts[2], counts[3]}, {0.6, 0.3, 0.1}), kChiCritical[2]);
  EXPECT_NEAR(counts[1] / kDraws, 0.6, 0.01);
}

TEST(Distributions, WeightedWithZeroWeightNeverPicksIt) {
  auto counts = histogram("weighted(1, 1, 2, 0, 3, 1)", 20000);
  EXPECT_EQ(counts.count(2), 0u);
  EXPECT_EQ(counts.size(), 2u);
}

TEST(Distributions, ZipfRankFrequencies) {
  constexpr int n = 50;
  constexpr double s = 1.2;
  auto counts = histogram("zipf(50, 1.2)", 200'000);
  EXPECT_GE(counts.begin()->first, 1);
  EXPECT_LE(counts.rbegin()->first, n);
  double norm = 0;
  for (int k = 1; k <= n; ++k) norm += 1.0 / std::pow(k, s);
  for (int k : {1, 2, 3, 10}) {
    const double expected = 1.0 / std::pow(k, s) / norm;
    EXPECT_NEAR(counts[k] / 200'000.0, expected, 0.05 * expected + 0.001) << "rank " << k;
  }
  EXPECT_GT(counts[1], counts[2]);
  EXPECT_GT(counts[2], counts[10]);
}

TEST(Distributions, ZipfWithZeroExponentIsUniform) {
  auto counts = histogram("zipf(4, 0)");
  std::vector<double> observed;
  for (auto& [v, c] : counts) observed.push_back(c);
  ASSERT_EQ(observed.size(), 4u);
  EXPECT_LT(chi_square(observed, std::vector<double>(4, 0.25)), kChiCritical[3]);
}

TEST(Distributions, WeightedTaskChoiceFollowsTaskWeights) {
  const Scenario scenario = Scenario::load("scenarios/coupon.json");
  const UserClass& normal = scenario.user_classes()[0];
  ASSERT_EQ(normal.name, "NormalCouponUser");
  UserSession session(normal, Rng(99));
  RenderedRequest out;
  std::map<std::string, double> counts;
  for (int i = 0; i < kDraws; ++i) {
    session.render(session.next(), out);
    counts[scenario.endpoints()[out.endpoint_id].name] += 1;
  }
  const std::vector<double> observed = {counts["/api/coupon/grab [Random]"],
                                        counts["/api/user/:id/coupons [Query Own]"],
                                        counts["/api/coupon/:id/stock [Check Stock]"]};
  EXPECT_LT(chi_square(observed, {10.0 / 14, 3.0 / 14, 1.0 / 14}), kChiCritical[2]);
  EXPECT_NEAR(observed[0] / kDraws, 10.0 / 14, 0.01);
}

TEST(Distributions, RngIsReproducibleAndSeedSensitive) {
  Rng a(1), b(1), c(2);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a();
    EXPECT_EQ(x, b());
    differs = differs || x != c();
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace stampede::scenarios
