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
