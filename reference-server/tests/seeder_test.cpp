#include "reference-server/seeder.h"

#include <gtest/gtest.h>

#include <chrono>

#include "reference-server/sqlite_store.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

TEST(Seeder, SameSeedGivesSameData) {
  SeedConfig config;
  config.users = 5'000;
  const Dataset a = generate_dataset(config);
  const Dataset b = generate_dataset(config);
  ASSERT_EQ(a.users.size(), b.users.size());
  for (std::size_t i = 0; i < a.users.size(); ++i) {
    EXPECT_EQ(a.users[i].level, b.users[i].level);
    EXPECT_EQ(a.users[i].created_at_ms, b.users[i].created_at_ms);
  }
  ASSERT_EQ(a.coupons.size(), b.coupons.size());
  for (std::size_t i = 0; i < a.coupons.size(); ++i) {
    EXPECT_EQ(a.coupons[i].total_stock, b.coupons[i].total_stock);
    EXPECT_EQ(a.coupons[i].amount_cents, b.coupons[i].amount_cents);
  }
  EXPECT_EQ(a.rooms[7].streamer_id, b.rooms[7].streamer_id);
}

TEST(Seeder, DifferentSeedGivesDifferentStock) {
  SeedConfig one;
  SeedConfig two;
  two.seed = one.seed + 1;
  const Dataset a = generate_dataset(one);
  const Dataset b = generate_dataset(two);
  int differing = 0;
  for (std::size_t i = 0; i < a.coupons.size(); ++i) {
    differing += a.coupons[i].total_stock != b.coupons[i].total_stock;
  }
  EXPECT_GT(differing, 400);
}

TEST(Seeder, DefaultShapeMatchesTheSeed) {
  const Dataset data = generate_dataset(SeedConfig{});
  ASSERT_EQ(data.users.size(), 100'000u);
  ASSERT_EQ(data.rooms.size(), 100u);
  ASSERT_EQ(data.coupons.size(), 500u);
  ASSERT_EQ(data.details.size(), 500u);
  int levels[3] = {0, 0, 0};
  for (const auto& u : data.users) ++levels[static_cast<int>(u.level)];
  EXPECT_NEAR(levels[0] / 100'000.0, 0.70, 0.01);
  EXPECT_NEAR(levels[1] / 100'000.0, 0.25, 0.01);
  EXPECT_NEAR(levels[2] / 100'000.0, 0.05, 0.005);
  for (const auto& r : data.rooms) EXPECT_EQ(r.hot, r.id <= 5) << r.id;
  for (const auto& c : data.coupons) {
    EXPECT_EQ(c.room_id, (c.id - 1) / 5 + 1);
    if (c.room_id <= 5) {
      EXPECT_GE(c.total_stock, 5'000);
      EXPECT_LE(c.total_stock, 20'000);
    } else {
      EXPECT_GE(c.total_stock, 500);
      EXPECT_LE(c.total_stock, 5'000);
    }
  }
}

TEST(Seeder, RejectsBadConfig) {
  SeedConfig config;
  config.users = 0;
  EXPECT_THROW(generate_dataset(config), std::invalid_argument);
  config = SeedConfig{};
  config.normal_percent = 90;
  config.vip_percent = 20;
  EXPECT_TRUE(validate(config));
}

TEST(Seeder, SeedsTheDefaultDataSetIntoSqliteQuickly) {
  testing::TempDir dir;
  SqliteStore store({dir.path(), 4, 0});
  EXPECT_FALSE(store.meta());
  const auto start = std::chrono::steady_clock::now();
  seed_store(store, SeedConfig{}, Strategy::hash);
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("seeded the default data set into sqlite in %.2f s\n", took);
  EXPECT_LT(took, 10.0);
  auto meta = store.meta();
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->users, 100'000);
  EXPECT_EQ(meta->coupons, 500);
  EXPECT_EQ(meta->strategy, "hash");
  EXPECT_EQ(meta->shard_count, 4);
  EXPECT_TRUE(store.user_exists(100'000));
  EXPECT_FALSE(store.user_exists(100'001));
  ASSERT_TRUE(store.find_coupon(500));
  EXPECT_EQ(store.find_coupon(500)->room_id, 100);
  // Reopening reads the same catalog back from disk.
  SqliteStore reopened({dir.path(), 4, 0});
  EXPECT_TRUE(reopened.user_exists(99'999));
  EXPECT_EQ(reopened.find_room(3)->coupon_ids, (std::vector<std::int64_t>{11, 12, 13, 14, 15}));
  EXPECT_TRUE(reopened.find_room(3)->hot);
}

}  // namespace
}  // namespace stampede::server
