// MysqlStore against a real stack: 5 mariadbd + redis-server started by fixtures/stack.
// Under ctest, one stack is a fixture shared by the test processes (mysql_store.cmake:
// set up by mysql_stack_up, removed by mysql_stack_down, tests serialised on it); run
// directly, the binary starts a private stack in a scratch folder on ports derived from
// its pid and stops it at the end. Skipped only when mariadbd/redis-server are missing.
#include "reference-server/mysql_store.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>

#include "reference-server/mysql_conn.h"
#include "reference-server/seeder.h"
#include "reference-server/tests/key_counts.h"
#include "reference-server/tests/mysql_test_stack.h"

namespace stampede::server {
namespace {

using testing::alive;
using testing::missing_tools;
using testing::Stack;
using testing::SuiteStack;
using namespace std::chrono_literals;

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

MysqlStoreOptions options_for(const Stack& stack) {
  MysqlStoreOptions options;
  options.settings = stack.settings();
  return options;
}

// ---- the stack script itself ---------------------------------------------------------

TEST(StackScript, UpTwiceIsIdempotentAndDownStopsEveryProcess) {
  if (auto missing = missing_tools(); !missing.empty()) GTEST_SKIP() << "not installed: " << missing;
  Stack stack(1);
  std::string output;
  ASSERT_EQ(stack.run("up", &output), 0) << output;
  const auto first = stack.pids();
  for (pid_t pid : first) {
    ASSERT_GT(pid, 0);
    EXPECT_TRUE(alive(pid)) << pid;
  }
  EXPECT_EQ(stack.run("status", &output), 0) << output;

  ASSERT_EQ(stack.run("up", &output), 0) << output;  // already up: nothing restarts
  EXPECT_EQ(stack.pids(), first);

  ASSERT_EQ(stack.run("down", &output), 0) << output;
  for (pid_t pid : first) EXPECT_FALSE(alive(pid)) << "pid " << pid << " survived down";
  EXPECT_NE(stack.run("status", &output), 0) << output;
  EXPECT_NE(output.find("down"), std::string::npos) << output;
  EXPECT_EQ(stack.run("down", &output), 0) << output;  // already down: fine
  EXPECT_EQ(stack.run("down --purge", &output), 0) << output;
}

// ---- the store -----------------------------------------------------------------------

class MysqlStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = missing_tools(); !missing.empty()) GTEST_SKIP() << "not installed: " << missing;
    stack_ = SuiteStack::get();
    ASSERT_NE(stack_, nullptr);
    ASSERT_TRUE(SuiteStack::error().empty()) << "fixtures/stack up failed:\n" << SuiteStack::error();
    std::string output;
    if (stack_->run("status") != 0) {  // an earlier test may have left a shard stopped
      ASSERT_EQ(stack_->run("up", &output), 0) << output;
    }
    store_ = std::make_unique<MysqlStore>(options_for(*stack_));
    seed_store(*store_, small_config(3), Strategy::hash);
  }
  GrabOutcome grab(std::int64_t user, std::int64_t coupon, std::int64_t time_ms = kT0) {
    const auto info = store_->find_coupon(coupon);
    return store_->grab({user, coupon, info->room_id, time_ms, static_cast<int>(user % 4)});
  }

  Stack* stack_ = nullptr;
  std::unique_ptr<MysqlStore> store_;
};


TEST_F(MysqlStoreTest, GrabTakesStockOncePerUserAndNeverOversells) {
  auto first = grab(1, 6);
  EXPECT_TRUE(first.success);
  EXPECT_EQ(first.fail_reason, FailReason::none);
  EXPECT_EQ(first.remaining_stock, 2);
  EXPECT_EQ(first.shard, 1);
  EXPECT_GT(first.result_id, 0);
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
  EXPECT_TRUE(store_->user_exists(10'000));
  EXPECT_FALSE(store_->user_exists(10'001));
  ASSERT_TRUE(store_->find_room(2));
  EXPECT_EQ(store_->find_room(2)->coupon_ids, (std::vector<std::int64_t>{6, 7, 8, 9, 10}));
}

TEST_F(MysqlStoreTest, QueriesReadBackResultsAcrossShards) {
  grab(1, 6, kT0);       // room 2, shard 1
  grab(2, 7, kT0 + 10);  // room 2, shard 2
  grab(2, 7, kT0 + 20);  // duplicate
  grab(5, 1, kT0 + 30);  // room 1, shard 1

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
  EXPECT_EQ(status[1].address, stack_->settings().shards[1].address());
}

TEST_F(MysqlStoreTest, CountsResultKeysPerShardForTheReshardEstimate) {
  using testing::KeyRows;
  using testing::sum_by_key;
  constexpr std::int64_t kHour = 3'600'000;  // kT0 is the start of bucket 500000
  grab(1, 6, kT0);              // room 2, shard 1
  grab(5, 6, kT0 + 1);          // room 2, shard 1
  grab(2, 7, kT0 + kHour - 1);  // room 2, shard 2 (last ms of bucket 500000)
  grab(1, 1, kT0 + 2 * kHour);  // room 1, shard 1
  grab(3, 40, -1);              // room 8, shard 3, before the epoch: bucket -1

  auto all = store_->result_key_counts({0, 1, 2, 3}, std::chrono::hours(1));
  EXPECT_EQ(all.timings.size(), 4u);
  EXPECT_EQ(sum_by_key(all.value.by_user), (KeyRows{{1, 2}, {2, 1}, {3, 1}, {5, 1}}));
  EXPECT_EQ(sum_by_key(all.value.by_room), (KeyRows{{1, 1}, {2, 3}, {8, 1}}));
  EXPECT_EQ(sum_by_key(all.value.by_time_bucket), (KeyRows{{-1, 1}, {500'000, 3}, {500'002, 1}}));

  auto one = store_->result_key_counts({1}, std::chrono::minutes(30));
  ASSERT_EQ(one.timings.size(), 1u);
  EXPECT_EQ(one.timings[0].shard, 1);
  EXPECT_EQ(sum_by_key(one.value.by_user), (KeyRows{{1, 2}, {5, 1}}));
  EXPECT_EQ(sum_by_key(one.value.by_room), (KeyRows{{1, 1}, {2, 2}}));
  EXPECT_EQ(sum_by_key(one.value.by_time_bucket), (KeyRows{{1'000'000, 2}, {1'000'004, 1}}));
}

TEST_F(MysqlStoreTest, ResetRestoresStockAndEmptiesResults) {
  grab(1, 6);
  grab(2, 6);
  StoreMeta meta = *store_->meta();
  EXPECT_EQ(meta.strategy, "hash");
  EXPECT_EQ(meta.users, 10'000);
  meta.strategy = "range";
  store_->reset(meta);
  EXPECT_EQ(store_->stock(6)->remaining_stock, 3);
  EXPECT_EQ(store_->global_stats({0, 1, 2, 3}).value[1].total_grabs, 0);
  EXPECT_EQ(store_->meta()->strategy, "range");
  EXPECT_TRUE(grab(1, 6).success);  // user 1 may win again after a reset
}

TEST_F(MysqlStoreTest, StockSurvivesReopeningAndIsRebuiltWhenRedisLosesIt) {
  grab(1, 6);
  grab(2, 6);
  grab(2, 6);
  store_.reset();
  {
    MysqlStore reopened(options_for(*stack_));
    EXPECT_EQ(reopened.stock(6)->remaining_stock, 1);
  }
  // Redis keeps nothing on disk in the stack: emulate its restart.
  const std::string flush = "redis-cli -h 127.0.0.1 -p " + std::to_string(stack_->redis_port()) +
                            " FLUSHALL >/dev/null";
  ASSERT_EQ(std::system(flush.c_str()), 0);
  MysqlStore reopened(options_for(*stack_));
  EXPECT_EQ(reopened.stock(6)->remaining_stock, 1);  // 3 seeded - 2 success rows
  EXPECT_EQ(reopened.grab({2, 6, 2, kT0, 2}).fail_reason, FailReason::duplicate);
  EXPECT_TRUE(reopened.grab({3, 6, 2, kT0, 3}).success);
  EXPECT_EQ(reopened.grab({4, 6, 2, kT0, 0}).fail_reason, FailReason::out_of_stock);
}

TEST_F(MysqlStoreTest, GrabsRecoverAfterARedisRestart) {
  EXPECT_TRUE(grab(1, 6).success);
  MysqlStore other(options_for(*stack_));  // a second "process": one pooled Redis connection
  EXPECT_EQ(other.stock(6)->remaining_stock, 2);

  const pid_t pid = stack_->pid_of("redis");
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  for (int i = 0; i < 100 && alive(pid); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_FALSE(alive(pid)) << "redis did not stop";
  EXPECT_THROW(grab(2, 6), StoreError);  // no stock service while Redis is down
  std::string output;
  ASSERT_EQ(stack_->run("up", &output), 0) << output;  // a new, empty Redis

  // `other` still holds its connection to the old Redis: it is replaced, the scripts are
  // reloaded and the stock rebuilt from the shards; the grab just works and the stock
  // remembers who already won.
  auto second = other.grab({2, 6, 2, kT0, 2});
  EXPECT_TRUE(second.success);
  EXPECT_EQ(second.remaining_stock, 1);
  EXPECT_EQ(grab(1, 6).fail_reason, FailReason::duplicate);
  EXPECT_EQ(store_->stock(6)->remaining_stock, 1);
}

TEST_F(MysqlStoreTest, StoppedShardFailsOnlyRequestsThatNeedItAndRecovers) {
  EXPECT_TRUE(grab(2, 7).success);  // shard 2 has a pooled connection before it stops
  const pid_t pid = stack_->pid_of("shard2");
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  for (int i = 0; i < 300 && alive(pid); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_FALSE(alive(pid)) << "shard 2 did not stop";

  try {
    grab(6, 6);  // 6 % 4 == 2
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
  EXPECT_FALSE(status[2].error.empty());
  EXPECT_TRUE(status[1].up);

  std::string output;
  ASSERT_EQ(stack_->run("up", &output), 0) << output;  // restarts only shard 2
  EXPECT_TRUE(grab(6, 6).success);                       // recovered, no restart of the store
  EXPECT_EQ(store_->room_orders(2, {0, 1, 2, 3}, 10).value.size(), 3u);
  EXPECT_TRUE(store_->shard_status()[2].up);
}

// The default data set (100,000 users, 100 rooms, 500 coupons) within the 10 s.
TEST_F(MysqlStoreTest, SeedsTheDefaultDatasetInUnderTenSeconds) {
  const auto start = std::chrono::steady_clock::now();
  seed_store(*store_, SeedConfig{}, Strategy::hash);
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::cout << "[ measured ] default data set seeded into MariaDB + Redis in " << elapsed.count()
            << " s\n";
  EXPECT_LT(elapsed.count(), 10.0);
  EXPECT_TRUE(store_->user_exists(100'000));
  EXPECT_EQ(store_->find_coupon(500)->room_id, 100);
  EXPECT_EQ(store_->meta()->users, 100'000);
  const auto hot = store_->stock(1)->total_stock;
  EXPECT_GE(hot, 5'000);
  EXPECT_LE(hot, 20'000);
  EXPECT_EQ(store_->stock(1)->remaining_stock, hot);
}

// Thousands of concurrent grabs from many users on one coupon with stock 100, through two
// store instances (two "server processes": separate pools, shared MariaDB + Redis).
TEST_F(MysqlStoreTest, ConcurrentGrabsFromTwoStoresGiveExactlyStockSuccesses) {
  seed_store(*store_, small_config(100), Strategy::hash);
  MysqlStore second(options_for(*stack_));
  MysqlStore* stores[] = {store_.get(), &second};
  constexpr int kThreads = 16;
  constexpr int kGrabsPerThread = 250;  // 4,000 grabs
  constexpr std::int64_t kCoupon = 3;
  const std::int64_t room = store_->find_coupon(kCoupon)->room_id;
  std::atomic<int> successes{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      MysqlStore& store = *stores[t % 2];
      for (int i = 0; i < kGrabsPerThread; ++i) {
        // 1,000 distinct users, each trying about four times from different threads.
        const std::int64_t user = 1 + (t * 7919 + i * 31) % 1000;
        try {
          auto out = store.grab({user, kCoupon, room, kT0 + i, static_cast<int>(user % 4)});
          if (out.success) successes.fetch_add(1);
        } catch (const std::exception&) {
          errors.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::cout << "[ measured ] " << kThreads * kGrabsPerThread << " concurrent grabs in "
            << elapsed.count() << " s\n";
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(successes.load(), 100);
  EXPECT_EQ(store_->stock(kCoupon)->remaining_stock, 0);
  EXPECT_EQ(second.stock(kCoupon)->remaining_stock, 0);

  std::int64_t success_rows = 0;
  std::int64_t all_rows = 0;
  for (const auto& totals : store_->global_stats({0, 1, 2, 3}).value) {
    success_rows += totals.successful_grabs;
    all_rows += totals.total_grabs;
  }
  EXPECT_EQ(success_rows, 100);
  EXPECT_EQ(all_rows, kThreads * kGrabsPerThread);
  std::set<std::int64_t> winners;
  for (std::int64_t user = 1; user <= 1000; ++user) {
    for (const auto& row : store_->user_results(user, {static_cast<int>(user % 4)}, 100).value) {
      if (row.success) {
        EXPECT_TRUE(winners.insert(user).second) << "user " << user << " won twice";
      }
    }
  }
  EXPECT_EQ(winners.size(), 100u);

  // One stock_logs row (change -1) per success, on the success row's shard.
  std::int64_t log_rows = 0;
  std::int64_t log_change = 0;
  const auto settings = stack_->settings();
  for (const auto& shard : settings.shards) {
    mysql::Connection db({shard, settings.user, settings.password});
    const std::array<mysql::Param, 1> coupon{kCoupon};
    const auto rows = db.query(
        "SELECT COUNT(*), CAST(COALESCE(SUM(`change`), 0) AS SIGNED) FROM stock_logs "
        "WHERE coupon_id = ?", coupon, 2);
    log_rows += rows.at(0).at(0);
    log_change += rows.at(0).at(1);
  }
  EXPECT_EQ(log_rows, 100);
  EXPECT_EQ(log_change, -100);
}

}  // namespace
}  // namespace stampede::server
