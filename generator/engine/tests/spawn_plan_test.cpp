#include "generator/engine/spawn_plan.h"

#include <gtest/gtest.h>

namespace stampede::engine {
namespace {

std::vector<scenarios::UserClass> coupon_classes() {
  std::vector<scenarios::UserClass> classes(4);
  const char* names[] = {"Normal", "Hot", "Cross", "Admin"};
  double weights[] = {5, 3, 1, 1};
  for (int i = 0; i < 4; ++i) {
    classes[i].name = names[i];
    classes[i].weight = weights[i];
  }
  return classes;
}

TEST(SpawnPlan, FinalMixFollowsWeights) {
  auto classes = coupon_classes();
  SpawnPlan plan(classes);
  for (int i = 0; i < 1000; ++i) ASSERT_LT(plan.next(1000), classes.size());
  EXPECT_EQ(plan.counts(), (std::vector<int>{500, 300, 100, 100}));
  EXPECT_EQ(plan.next(1000), classes.size()) << "no class may exceed its share";
}

TEST(SpawnPlan, MixStaysCloseToWeightsDuringTheRamp) {
  auto classes = coupon_classes();
  SpawnPlan plan(classes);
  for (int k = 1; k <= 1000; ++k) {
    plan.next(1000);
    const auto& c = plan.counts();
    double weights[] = {0.5, 0.3, 0.1, 0.1};
    for (int i = 0; i < 4; ++i)
      ASSERT_LE(std::abs(c[i] - weights[i] * k), 1.0) << "after " << k << " users, class " << i;
  }
}

TEST(SpawnPlan, FixedCountClassesComeFirst) {
  auto classes = coupon_classes();
  classes[3].fixed_count = 2;
  SpawnPlan plan(classes);
  EXPECT_EQ(plan.next(20), 3u);
  EXPECT_EQ(plan.next(20), 3u);
  for (int i = 2; i < 20; ++i) EXPECT_NE(plan.next(20), 3u);
  EXPECT_EQ(plan.counts()[3], 2);
}

TEST(SpawnPlan, RemovedUsersAreRespawnedInTheirClass) {
  auto classes = coupon_classes();
  SpawnPlan plan(classes);
  for (int i = 0; i < 10; ++i) plan.next(10);
  plan.removed(1);
  EXPECT_EQ(plan.next(10), 1u);
}

TEST(SpawnPlan, PerClassTargetsAreFilledExactlyWhateverTheWeights) {
  auto classes = coupon_classes();  // weights 5:3:1:1, which per-class targets override
  SpawnPlan plan(classes);
  const std::vector<int> targets{0, 2, 0, 6};
  for (int i = 0; i < 8; ++i) ASSERT_LT(plan.next_toward(targets), classes.size());
  EXPECT_EQ(plan.counts(), targets);
  EXPECT_EQ(plan.next_toward(targets), classes.size()) << "every class has its count";
  EXPECT_EQ(plan.over(targets), classes.size());
}

TEST(SpawnPlan, PerClassTargetsInterleaveClassesDuringTheRamp) {
  auto classes = coupon_classes();
  SpawnPlan plan(classes);
  const std::vector<int> targets{3, 3, 0, 0};
  std::vector<std::size_t> order;
  for (int i = 0; i < 6; ++i) order.push_back(plan.next_toward(targets));
  for (std::size_t k = 0; k + 1 < order.size(); k += 2)
    EXPECT_NE(order[k], order[k + 1]) << "the mix stays 1:1 at every step";
}

TEST(SpawnPlan, OverNamesTheClassFurthestAboveItsNewCount) {
  auto classes = coupon_classes();
  SpawnPlan plan(classes);
  const std::vector<int> first{4, 1, 0, 0};
  for (int i = 0; i < 5; ++i) plan.next_toward(first);
  const std::vector<int> second{1, 0, 0, 3};  // shorter vectors and missing classes mean 0
  EXPECT_EQ(plan.over(second), 0u);
  plan.removed(0);
  plan.removed(0);
  EXPECT_EQ(plan.over(second), 0u);
  plan.removed(0);
  EXPECT_EQ(plan.over(second), 1u);
  plan.removed(1);
  EXPECT_EQ(plan.over(second), classes.size());
  EXPECT_EQ(plan.over({1}), classes.size()) << "missing entries are 0, and class 0 has 1";
  EXPECT_EQ(plan.next_toward(second), 3u);
}

TEST(UsersDue, RampsAtTheSpawnRate) {
  EXPECT_EQ(users_due(0.0, 10, 0, 100), 1);
  EXPECT_EQ(users_due(0.5, 10, 0, 100), 5);
  EXPECT_EQ(users_due(2.05, 10, 0, 100), 20);
  EXPECT_EQ(users_due(100, 10, 0, 100), 100);
  EXPECT_EQ(users_due(1.0, 50, 100, 200), 150);
  EXPECT_EQ(users_due(1.0, 0, 0, 100), 100) << "rate 0 spawns everyone at once";
  EXPECT_EQ(users_due(1.0, 10, 100, 40), 40) << "ramp-down is immediate";
}

}  // namespace
}  // namespace stampede::engine
