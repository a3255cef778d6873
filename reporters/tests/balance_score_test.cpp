#include <gtest/gtest.h>

#include <cmath>

#include "reporters/comparison.h"

namespace stampede::reporters {
namespace {

TEST(BalanceScore, EvenSharesScore100) {
  EXPECT_DOUBLE_EQ(balance_score({250, 250, 250, 250}), 100.0);
  EXPECT_DOUBLE_EQ(balance_score({7, 7}), 100.0);
}

TEST(BalanceScore, OneShardTakingEverythingOfFourClampsToZero) {
  // mean 0.25, population sd sqrt(0.1875) = 0.433, CV = sqrt(3) = 1.73 -> 100 × (1 − 1.73) < 0.
  EXPECT_DOUBLE_EQ(balance_score({1, 0, 0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(balance_score({0, 0, 900, 0}), 0.0);
}

TEST(BalanceScore, HandComputedCase) {
  // 550,150,150,150: mean 250, deviations 300,-100,-100,-100, variance 30000,
  // sd 173.205, CV 0.69282 -> 30.718.
  EXPECT_NEAR(balance_score({550, 150, 150, 150}), 100.0 * (1.0 - std::sqrt(30000.0) / 250.0), 1e-9);
  EXPECT_NEAR(balance_score({550, 150, 150, 150}), 30.718, 1e-3);
  // Two shards 3:1: mean 2, sd 1, CV 0.5 -> 50.
  EXPECT_NEAR(balance_score({3, 1}), 50.0, 1e-12);
}

TEST(BalanceScore, DegenerateInputsScore100) {
  EXPECT_DOUBLE_EQ(balance_score({}), 100.0);        // no shards: nothing is uneven
  EXPECT_DOUBLE_EQ(balance_score({42}), 100.0);      // one shard
  EXPECT_DOUBLE_EQ(balance_score({0, 0, 0}), 100.0); // mean 0: no traffic at all
}

TEST(BalanceScore, NeverOutsideZeroToHundred) {
  for (const auto& v : {std::vector<double>{1, 2, 3, 4}, {0, 0, 0, 1e9}, {1e-9, 1, 1, 1}, {5, 0}}) {
    const double s = balance_score(v);
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 100.0);
    EXPECT_FALSE(std::isnan(s));
  }
}

}  // namespace
}  // namespace stampede::reporters
