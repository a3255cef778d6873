// The queued write path against a real stack with RabbitMQ (ctest's fixture queue_stack,
// queue_path.cmake): the Lua stock under many concurrent grabs, grabs through the queue
// to committed rows, a redelivered grab that must not make a second row, and consumers
// killed between the shard commit and the ack. Every wait is bounded; nothing is timed.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "reference-server/redis_stock.h"
#include "reference-server/tests/queue_test_stack.h"

namespace stampede::server::testing {
namespace {

using namespace std::chrono_literals;

#define QUEUE_STACK_OR_SKIP(stack)                \
  std::string why_skipped;                        \
  auto stack = queue_stack(why_skipped);          \
  if (!stack) GTEST_SKIP() << why_skipped

// Waits (bounded) until `done()`; true when it came.
template <class Done>
bool eventually(Done done, std::chrono::seconds bound = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

TEST(QueueStock, ThousandsOfConcurrentGrabsNeverOversellAndWinOncePerUser) {
  QUEUE_STACK_OR_SKIP(stack);
  RedisStock stock(stack->settings().redis, "stampede:test-lua-" + std::to_string(::getpid()) + ":");
  constexpr std::int64_t kStock = 120;
  constexpr int kThreads = 8, kTriesPerThread = 500, kUsers = 300;  // every user tries ~13 times
  stock.load({{1, kStock, {}}, {2, kStock, {}}});
  std::mutex mutex;
  std::map<std::int64_t, std::multiset<std::int64_t>> winners;  // coupon -> users who got a unit
  std::atomic<int> duplicates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTriesPerThread; ++i) {
        const std::int64_t user = 1 + (t * 7919 + i * 31) % kUsers;
        const std::int64_t coupon = 1 + i % 2;
        const auto r = stock.take(coupon, user);
        if (r.status == RedisStock::Take::taken) {
          std::lock_guard lock(mutex);
          winners[coupon].insert(user);
        } else if (r.status == RedisStock::Take::duplicate) {
          duplicates.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (std::int64_t coupon : {1, 2}) {
    const auto& won = winners[coupon];
    EXPECT_EQ(static_cast<std::int64_t>(won.size()), kStock) << "coupon " << coupon << ": units handed out";
    EXPECT_EQ(std::set<std::int64_t>(won.begin(), won.end()).size(), won.size()) << "a user won twice";
    EXPECT_EQ(stock.remaining(coupon), 0);
  }
  EXPECT_GT(duplicates.load(), 0);  // users did come back, and were refused
  const auto tallies = stock.tallies({1, 2});
  EXPECT_EQ(tallies[0].winners, kStock);
  EXPECT_EQ(tallies[1].remaining, 0);
  // Giving a unit back is the exact inverse, once.
  const std::int64_t some_winner = *winners[1].begin();
  stock.give_back(1, some_winner);
  stock.give_back(1, some_winner);
  EXPECT_EQ(stock.remaining(1), 1);
  EXPECT_EQ(stock.take(1, some_winner).status, RedisStock::Take::taken);
}

TEST(QueueWritePath, ConcurrentGrabsBecomeOneRowEachAndTheDrainProofAgrees) {
  QUEUE_STACK_OR_SKIP(stack);
  QueueRig rig(*stack, "drain", 2, /*users=*/400, /*stock=*/50);
  std::atomic<int> queued{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::int64_t user = 1 + t; user <= 400; user += 4) {
        for (std::int64_t coupon : {1, 2, 6}) {  // 400 users want 50 units of each
          const auto answer = rig.path->grab(rig.request(user, coupon));
          (answer.queued ? queued : refused).fetch_add(1);
          if (answer.queued) {
            EXPECT_TRUE(answer.outcome.success);
            EXPECT_FALSE(answer.grab_id.empty());
          } else {
            EXPECT_EQ(answer.outcome.fail_reason, FailReason::out_of_stock);
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(queued.load(), 150);
  EXPECT_EQ(refused.load(), 3 * 400 - 150);
  const auto report = rig.wait_drained();
  EXPECT_EQ(report["drained"], true) << report.dump(2);
  EXPECT_EQ(report["consistent"], true) << report.dump(2);
  EXPECT_EQ(report["totals"]["result_rows"], 150) << report.dump(2);
  for (const auto& c : report["coupons"]) {
    EXPECT_EQ(c["result_rows"], 50) << c.dump();
    EXPECT_EQ(c["successful_grabs"], 50) << c.dump();
    EXPECT_EQ(c["stock_taken"], 50) << c.dump();
  }
  auto& m = rig.path->metrics();
  EXPECT_EQ(m.published(), 150);
  EXPECT_EQ(m.acked(), 150);
  EXPECT_EQ(m.written(), 150);
  EXPECT_EQ(m.depth(), 0);
  const auto stats = rig.path->stats();
  std::int64_t delays = 0;
  for (const auto& shard : stats["delay_ms"]) delays += shard["count"].get<std::int64_t>();
  EXPECT_EQ(delays, 150);
  EXPECT_EQ(stats["publish_ms"]["count"], 150);
}

TEST(QueueWritePath, ARedeliveredGrabMakesNoSecondRow) {
  QUEUE_STACK_OR_SKIP(stack);
  QueueRig rig(*stack, "redeliver", 1);
  const auto r = rig.request(17, 3);
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  const QueuedGrab grab{new_grab_id(), r.user_id, r.coupon_id, r.room_id, r.shard, r.grab_time_ms, now_us};
  rig.path->publish(grab);
  rig.path->publish(grab);  // the same grab again, as a redelivery after a lost ack would be
  auto& m = rig.path->metrics();
  ASSERT_TRUE(eventually([&] { return m.acked() == 2; })) << rig.path->stats().dump(2);
  EXPECT_EQ(m.written(), 1);
  EXPECT_EQ(m.duplicates(), 1);
  const auto rows = rig.store->user_results(17, {r.shard}, 50);
  ASSERT_EQ(rows.value.size(), 1u);
  EXPECT_EQ(rows.value[0].coupon_id, 3);
  EXPECT_TRUE(rows.value[0].success);
}

TEST(QueueWritePath, ConsumersKilledBetweenCommitAndAckLoseAndDuplicateNothing) {
  QUEUE_STACK_OR_SKIP(stack);
  QueueRig rig(*stack, "crash", 2, /*users=*/400, /*stock=*/100);
  auto& m = rig.path->metrics();
  // A backlog first: the consumers are stopped while 200 grabs are queued.
  rig.path->stop_consumers();
  for (std::int64_t user = 1; user <= 100; ++user) {
    for (std::int64_t coupon : {4, 9}) ASSERT_TRUE(rig.path->grab(rig.request(user, coupon)).queued);
  }
  EXPECT_EQ(m.depth(), 200);
  // Each consumer commits one row and dies before its ack; the broker redelivers those.
  rig.path->crash_consumers_after_next_commit();
  rig.path->start_consumers();
  ASSERT_TRUE(eventually([&] { return rig.path->running_consumers() == 0; })) << rig.path->stats().dump(2);
  // Two deliveries handled, none acked: a consumer may have died on the other's redelivered
  // row (found written: a duplicate) rather than on a new one.
  EXPECT_EQ(m.written() + m.duplicates(), 2);
  EXPECT_EQ(m.acked(), 0);
  const auto committed_unacked = m.written();
  ASSERT_GE(committed_unacked, 1);
  // Restarted mid-backlog, and stopped and started once more while grabs keep coming.
  rig.path->start_consumers();
  for (std::int64_t user = 101; user <= 150; ++user) {
    ASSERT_TRUE(rig.path->grab(rig.request(user, 5)).queued);
    if (user == 120) rig.path->stop_consumers();
    if (user == 130) rig.path->start_consumers();
  }
  const auto report = rig.wait_drained();
  EXPECT_EQ(report["drained"], true) << report.dump(2);
  EXPECT_EQ(report["consistent"], true) << report.dump(2);
  EXPECT_EQ(report["totals"]["result_rows"], 250) << report.dump(2);
  EXPECT_EQ(m.written(), 250);
  // The rows committed before the crash came back, and were not written again.
  EXPECT_GE(m.duplicates(), committed_unacked);
  EXPECT_EQ(m.in_progress(), 0);
}

}  // namespace
}  // namespace stampede::server::testing
