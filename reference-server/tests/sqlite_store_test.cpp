#include "reference-server/sqlite_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "reference-server/seeder.h"
#include "reference-server/tests/key_counts.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

constexpr std::int64_t kT0 = 1'800'000'000'000;

SeedConfig small_config(std::int64_t stock) {
  SeedConfig config;
  config.users = 10'000;
  config.rooms = 8;
  config.hot_rooms = 2;
  config.hot_stock_min = config.hot_stock_max = stock;
  config.stock_min = config.stock_max = stock;
  return config;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<SqliteStore>(SqliteStoreOptions{dir_.path(), 4, 0});
    seed_store(*store_, small_config(3), Strategy::hash);
  }
  GrabOutcome grab(std::int64_t user, std::int64_t coupon, std::int64_t time_ms = kT0) {
    const auto info = store_->find_coupon(coupon);
    return store_->grab({user, coupon, info->room_id, time_ms, static_cast<int>(user % 4)});
  }
  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, GrabTakesStockOncePerUserAndNeverOversells) {
  auto first = grab(1, 6);
  EXPECT_TRUE(first.success);
  EXPECT_EQ(first.fail_reason, FailReason::none);
  EXPECT_EQ(first.remaining_stock, 2);
  EXPECT_EQ(first.shard, 1);
  ASSERT_EQ(first.timings.size(), 1u);
  EXPECT_EQ(first.timings[0].shard, 1);
  EXPECT_GT(first.timings[0].elapsed.count(), 0);

  auto again = grab(1, 6);
  EXPECT_FALSE(again.success);
  EXPECT_EQ(again.fail_reason, FailReason::duplicate);
  EXPECT_EQ(again.remaining_stock, 2);

  EXPECT_TRUE(grab(2, 6).success);
  EXPECT_TRUE(grab(3, 6).success);
  auto empty = grab(4, 6);
  EXPECT_FALSE(empty.success);
  EXPECT_EQ(empty.fail_reason, FailReason::out_of_stock);
  EXPECT_EQ(empty.remaining_stock, 0);
  EXPECT_EQ(store_->stock(6)->remaining_stock, 0);
  EXPECT_EQ(store_->stock(6)->total_stock, 3);
  EXPECT_EQ(store_->stock(7)->remaining_stock, 3);
  EXPECT_FALSE(store_->stock(999));
}

TEST_F(SqliteStoreTest, QueriesReadBackResultsAcrossShards) {
  grab(1, 6, kT0);        // room 2, shard 1
  grab(2, 7, kT0 + 10);   // room 2, shard 2
  grab(2, 7, kT0 + 20);   // duplicate
  grab(5, 1, kT0 + 30);   // room 1, shard 1

  auto user2 = store_->user_results(2, {2}, 50);
  ASSERT_EQ(user2.value.size(), 2u);
  EXPECT_EQ(user2.value[0].grab_time_ms, kT0 + 20);  // newest first
  EXPECT_EQ(user2.value[0].fail_reason, FailReason::duplicate);
  EXPECT_TRUE(user2.value[1].success);
  EXPECT_EQ(user2.value[1].shard, 2);
  ASSERT_EQ(user2.timings.size(), 1u);
  EXPECT_EQ(user2.timings[0].shard, 2);

  auto orders = store_->room_orders(2, {0, 1, 2, 3}, 2);
  ASSERT_EQ(orders.value.size(), 2u);  // limit applies after the merge
  EXPECT_EQ(orders.value[0].grab_time_ms, kT0 + 20);
  EXPECT_EQ(orders.value[1].grab_time_ms, kT0 + 10);
  ASSERT_EQ(orders.timings.size(), 4u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(orders.timings[static_cast<std::size_t>(k)].shard, k);

  auto stats = store_->room_stats(2, {0, 1, 2, 3});
  ASSERT_EQ(stats.value.size(), 5u);  // every coupon of room 2, zeros included
  EXPECT_EQ(stats.value[0].coupon_id, 6);
  EXPECT_EQ(stats.value[0].grabs, 1);
  EXPECT_EQ(stats.value[1].grabs, 2);
  EXPECT_EQ(stats.value[1].successes, 1);
  EXPECT_EQ(stats.value[4].grabs, 0);

  auto recent = store_->recent_orders(kT0 + 15, {0, 1, 2, 3}, 100);
  ASSERT_EQ(recent.value.size(), 2u);
  EXPECT_EQ(recent.value[0].room_id, 1);

  auto totals = store_->global_stats({0, 1, 2, 3});
  ASSERT_EQ(totals.value.size(), 4u);
  EXPECT_EQ(totals.value[1].total_grabs, 2);
  EXPECT_EQ(totals.value[2].total_grabs, 2);
  EXPECT_EQ(totals.value[2].successful_grabs, 1);
  EXPECT_EQ(totals.value[0].total_grabs, 0);

  auto status = store_->shard_status();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_TRUE(status[1].up);
  EXPECT_EQ(status[1].result_rows, 2);
  EXPECT_GE(status[1].ping_ms, 0.0);
}

TEST_F(SqliteStoreTest, CountsResultKeysPerShardForTheReshardEstimate) {
  using testing::KeyRows;
  using testing::sum_by_key;
  constexpr std::int64_t kHour = 3'600'000;  // kT0 is the start of bucket 500000
  grab(1, 6, kT0);              // room 2, shard 1
  grab(5, 6, kT0 + 1);          // room 2, shard 1
  grab(2, 7, kT0 + kHour);      // room 2, shard 2
  grab(1, 1, kT0 + 2 * kHour);  // room 1, shard 1
  grab(3, 40, -1);              // room 8, shard 3, before the epoch: bucket -1

  auto all = store_->result_key_counts({0, 1, 2, 3}, std::chrono::hours(1));
  EXPECT_EQ(all.timings.size(), 4u);
  EXPECT_EQ(sum_by_key(all.value.by_user), (KeyRows{{1, 2}, {2, 1}, {3, 1}, {5, 1}}));
  EXPECT_EQ(sum_by_key(all.value.by_room), (KeyRows{{1, 1}, {2, 3}, {8, 1}}));
  EXPECT_EQ(sum_by_key(all.value.by_time_bucket),
            (KeyRows{{-1, 1}, {500'000, 2}, {500'001, 1}, {500'002, 1}}));

  auto one = store_->result_key_counts({1}, std::chrono::minutes(30));
  ASSERT_EQ(one.timings.size(), 1u);
  EXPECT_EQ(one.timings[0].shard, 1);
  EXPECT_EQ(sum_by_key(one.value.by_user), (KeyRows{{1, 2}, {5, 1}}));
  EXPECT_EQ(sum_by_key(one.value.by_room), (KeyRows{{1, 1}, {2, 2}}));
  EXPECT_EQ(sum_by_key(one.value.by_time_bucket), (KeyRows{{1'000'000, 2}, {1'000'004, 1}}));

  store_->set_shard_offline(3, true);
  EXPECT_THROW(store_->result_key_counts({0, 1, 2, 3}, std::chrono::hours(1)), ShardUnavailable);
}

TEST_F(SqliteStoreTest, ResetRestoresStockAndEmptiesResults) {
  grab(1, 6);
  grab(2, 6);
  StoreMeta meta = *store_->meta();
  meta.strategy = "range";
  store_->reset(meta);
  EXPECT_EQ(store_->stock(6)->remaining_stock, 3);
  EXPECT_EQ(store_->global_stats({0, 1, 2, 3}).value[1].total_grabs, 0);
  EXPECT_EQ(store_->meta()->strategy, "range");
  EXPECT_TRUE(grab(1, 6).success);  // user 1 may win again after a reset
}

TEST_F(SqliteStoreTest, ReopeningRebuildsStockFromTheShards) {
  grab(1, 6);
  grab(2, 6);
  grab(2, 6);
  store_.reset();
  SqliteStore reopened({dir_.path(), 4, 0});
  EXPECT_EQ(reopened.stock(6)->remaining_stock, 1);
  auto again = reopened.grab({2, 6, 2, kT0, 2});
  EXPECT_EQ(again.fail_reason, FailReason::duplicate);
}

TEST_F(SqliteStoreTest, OfflineShardFailsOnlyRequestsThatNeedIt) {
  store_->set_shard_offline(2, true);
  try {
    grab(2, 6);
    FAIL() << "expected ShardUnavailable";
  } catch (const ShardUnavailable& e) {
    EXPECT_EQ(e.shard(), 2);
  }
  EXPECT_EQ(store_->stock(6)->remaining_stock, 3);  // the failed grab took nothing
  EXPECT_TRUE(grab(1, 6).success);                  // shard 1 still works
  EXPECT_THROW(store_->room_orders(2, {0, 1, 2, 3}, 10), ShardUnavailable);
  EXPECT_NO_THROW(store_->user_results(1, {1}, 10));
  auto status = store_->shard_status();
  EXPECT_FALSE(status[2].up);
  EXPECT_TRUE(status[1].up);
  store_->set_shard_offline(2, false);
  EXPECT_TRUE(grab(2, 6).success);  // recovered
}

// Thousands of concurrent grabs from many users on one coupon with stock 100.
TEST(SqliteStoreConcurrency, ExactlyStockSuccessesNoDuplicates) {
  testing::TempDir dir;
  SqliteStore store({dir.path(), 4, 0});
  seed_store(store, small_config(100), Strategy::hash);
  constexpr int kThreads = 16;
  constexpr int kGrabsPerThread = 250;  // 4,000 grabs
  constexpr std::int64_t kCoupon = 3;
  const std::int64_t room = store.find_coupon(kCoupon)->room_id;
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kGrabsPerThread; ++i) {
        // 1,000 distinct users, each trying about four times from different threads.
        const std::int64_t user = 1 + (t * 7919 + i * 31) % 1000;
        auto out = store.grab({user, kCoupon, room, kT0 + i, static_cast<int>(user % 4)});
        if (out.success) successes.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(successes.load(), 100);
  EXPECT_EQ(store.stock(kCoupon)->remaining_stock, 0);

  std::int64_t success_rows = 0;
  std::int64_t all_rows = 0;
  for (const auto& totals : store.global_stats({0, 1, 2, 3}).value) {
    success_rows += totals.successful_grabs;
    all_rows += totals.total_grabs;
  }
  EXPECT_EQ(success_rows, 100);
  EXPECT_EQ(all_rows, kThreads * kGrabsPerThread);
  std::set<std::int64_t> winners;
  for (std::int64_t user = 1; user <= 1000; ++user) {
    for (const auto& row : store.user_results(user, {static_cast<int>(user % 4)}, 100).value) {
      if (row.success) {
        EXPECT_TRUE(winners.insert(user).second) << "user " << user << " won twice";
      }
    }
  }
  EXPECT_EQ(winners.size(), 100u);
}

}  // namespace
}  // namespace stampede::server
