// distribute_users: Locust-style split of a user count over classes.
#include <gtest/gtest.h>

#include <numeric>

#include "scenarios/scenario.h"

namespace stampede::scenarios {
namespace {

std::vector<UserClass> classes(const std::vector<double>& weights) {
  std::vector<UserClass> out;
  for (double w : weights) {
    UserClass c;
    c.name = "C" + std::to_string(out.size());
    c.weight = w;
    out.push_back(c);
  }
  return out;
}

TEST(DistributeUsers, CouponWeightsWithTenAndThousandUsers) {
  const auto cs = classes({5, 3, 1, 1});
  EXPECT_EQ(distribute_users(cs, 10), (std::vector<int>{5, 3, 1, 1}));
  EXPECT_EQ(distribute_users(cs, 1000), (std::vector<int>{500, 300, 100, 100}));
  EXPECT_EQ(distribute_users(cs, 0), (std::vector<int>{0, 0, 0, 0}));
}

TEST(DistributeUsers, LargestRemainderKeepsTheTotal) {
  const auto cs = classes({5, 3, 1, 1});
  for (int total : {1, 2, 3, 7, 11, 13, 99, 101, 997}) {
    const auto counts = distribute_users(cs, total);
    EXPECT_EQ(std::accumulate(counts.begin(), counts.end(), 0), total) << total;
  }
  // 13 users: quotas 6.5, 3.9, 1.3, 1.3 -> floors 6,3,1,1 (11), remainders give 3.9 then 6.5.
  EXPECT_EQ(distribute_users(cs, 13), (std::vector<int>{7, 4, 1, 1}));
}

TEST(DistributeUsers, EveryClassGetsOneWhenThereAreEnoughUsers) {
  const auto cs = classes({5, 3, 1, 1});
  EXPECT_EQ(distribute_users(cs, 4), (std::vector<int>{1, 1, 1, 1}));
  EXPECT_EQ(distribute_users(cs, 5), (std::vector<int>{2, 1, 1, 1}));
  EXPECT_EQ(distribute_users(cs, 2), (std::vector<int>{1, 1, 0, 0}));
}

TEST(DistributeUsers, FixedCountComesFirst) {
  auto cs = classes({5, 3, 1, 1});
  cs[3].fixed_count = 2;  // exactly two admins whatever the total
  EXPECT_EQ(distribute_users(cs, 20), (std::vector<int>{10, 6, 2, 2}));
  EXPECT_EQ(distribute_users(cs, 2), (std::vector<int>{0, 0, 0, 2}));
  EXPECT_EQ(distribute_users(cs, 1), (std::vector<int>{0, 0, 0, 1}));
}

TEST(DistributeUsers, ZeroWeightClassesGetNoUsers) {
  const auto cs = classes({1, 0, 1});
  EXPECT_EQ(distribute_users(cs, 10), (std::vector<int>{5, 0, 5}));
}

}  // namespace
}  // namespace stampede::scenarios
