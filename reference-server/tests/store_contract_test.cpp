// The Store contract (store.h), run on every store: see store_contract.h.
#include "reference-server/tests/store_contract.h"

#include <atomic>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>
#include <vector>

#include "reference-server/tests/key_counts.h"

namespace stampede::server::testing {
namespace {

TEST_P(StoreContract, GrabTakesStockOncePerUserAndNeverOversells) {
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

TEST_P(StoreContract, QueriesReadBackResultsAcrossShards) {
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
  EXPECT_EQ(status[1].address, backend_->shard_address(1));
}

TEST_P(StoreContract, CountsResultKeysPerShardForTheReshardEstimate) {
  constexpr std::int64_t kHour = 3'600'000;
  grab(1, 6, kT0);              // room 2, shard 1
  grab(5, 6, kT0 + 1);          // room 2, shard 1
  grab(2, 7, kT0 + kHour - 1);  // room 2, shard 2 (last ms of bucket 500000)
  grab(2, 8, kT0 + kHour);      // room 2, shard 2 (first ms of bucket 500001)
  grab(1, 1, kT0 + 2 * kHour);  // room 1, shard 1
  grab(3, 40, -1);              // room 8, shard 3, before the epoch: bucket -1

  auto all = store_->result_key_counts({0, 1, 2, 3}, std::chrono::hours(1));
  EXPECT_EQ(all.timings.size(), 4u);
  EXPECT_EQ(sum_by_key(all.value.by_user), (KeyRows{{1, 2}, {2, 2}, {3, 1}, {5, 1}}));
  EXPECT_EQ(sum_by_key(all.value.by_room), (KeyRows{{1, 1}, {2, 4}, {8, 1}}));
  EXPECT_EQ(sum_by_key(all.value.by_time_bucket),
            (KeyRows{{-1, 1}, {500'000, 3}, {500'001, 1}, {500'002, 1}}));

  auto one = store_->result_key_counts({1}, std::chrono::minutes(30));
  ASSERT_EQ(one.timings.size(), 1u);
  EXPECT_EQ(one.timings[0].shard, 1);
  EXPECT_EQ(sum_by_key(one.value.by_user), (KeyRows{{1, 2}, {5, 1}}));
  EXPECT_EQ(sum_by_key(one.value.by_room), (KeyRows{{1, 1}, {2, 2}}));
  EXPECT_EQ(sum_by_key(one.value.by_time_bucket), (KeyRows{{1'000'000, 2}, {1'000'004, 1}}));
}

TEST_P(StoreContract, ResetRestoresStockAndEmptiesResults) {
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

TEST_P(StoreContract, ReopeningKeepsStockAndWinners) {
  grab(1, 6);
  grab(2, 6);
  grab(2, 6);
  store_.reset();
  auto reopened = backend_->open();
  EXPECT_EQ(reopened->stock(6)->remaining_stock, 1);  // 3 seeded - 2 success rows
  EXPECT_EQ(reopened->grab({2, 6, 2, kT0, 2}).fail_reason, FailReason::duplicate);
  EXPECT_TRUE(reopened->grab({3, 6, 2, kT0, 3}).success);
  EXPECT_EQ(reopened->grab({4, 6, 2, kT0, 0}).fail_reason, FailReason::out_of_stock);
}

TEST_P(StoreContract, DownShardFailsOnlyRequestsThatNeedItAndRecovers) {
  EXPECT_TRUE(grab(2, 7).success);  // shard 2 is in use before it goes down
  backend_->take_shard_down(*store_, 2);
  if (HasFatalFailure()) return;

  try {
    grab(6, 6);  // 6 % 4 == 2
    FAIL() << "expected ShardUnavailable";
  } catch (const ShardUnavailable& e) {
    EXPECT_EQ(e.shard(), 2);
  }
  EXPECT_EQ(store_->stock(6)->remaining_stock, 3);  // the failed grab took nothing
  EXPECT_TRUE(grab(1, 6).success);                  // shard 1 still works
  EXPECT_THROW(store_->room_orders(2, {0, 1, 2, 3}, 10), ShardUnavailable);
  EXPECT_THROW(store_->result_key_counts({0, 1, 2, 3}, std::chrono::hours(1)), ShardUnavailable);
  EXPECT_NO_THROW(store_->user_results(1, {1}, 10));
  auto status = store_->shard_status();
  EXPECT_FALSE(status[2].up);
  EXPECT_FALSE(status[2].error.empty());
  EXPECT_TRUE(status[1].up);

  backend_->bring_shard_back(*store_, 2);
  if (HasFatalFailure()) return;
  EXPECT_TRUE(grab(6, 6).success);  // recovered, without reopening the store
  EXPECT_EQ(store_->room_orders(2, {0, 1, 2, 3}, 10).value.size(), 3u);
  EXPECT_TRUE(store_->shard_status()[2].up);
}

// Thousands of concurrent grabs from many users on one coupon with stock 100, through as
// many store instances as may share the data (two "server processes" on the MySQL stack).
TEST_P(StoreContract, ConcurrentGrabsGiveExactlyStockSuccesses) {
  seed_store(*store_, small_config(100), Strategy::hash);
  std::vector<std::unique_ptr<Store>> others;
  std::vector<Store*> stores{store_.get()};
  for (int i = 1; i < backend_->instances_sharing_stock(); ++i) {
    others.push_back(backend_->open());
    stores.push_back(others.back().get());
  }
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
      Store& store = *stores[static_cast<std::size_t>(t) % stores.size()];
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
  std::cout << "[ measured ] " << kThreads * kGrabsPerThread << " concurrent grabs on "
            << store_->kind() << " in " << elapsed.count() << " s\n";
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(successes.load(), 100);
  for (Store* store : stores) EXPECT_EQ(store->stock(kCoupon)->remaining_stock, 0);

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
  const auto logs = backend_->stock_logs(kCoupon);
  EXPECT_EQ(logs.rows, 100);
  EXPECT_EQ(logs.change, -100);
}

}  // namespace
}  // namespace stampede::server::testing
