// The issue-16 switches on the real stack (server_mysql_tests, under the stack fixture):
// --shard-latency and --pool-size on the mysql store, the pool's wait in Server-Timing and
// /metrics, and --cache redis (hits, misses, TTL, invalidation seen by a second server, a
// stopped Redis answered from the database). Only lower bounds on time are asserted.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "reference-server/mysql_store.h"
#include "reference-server/redis_cache.h"
#include "reference-server/router.h"
#include "reference-server/tests/mysql_test_stack.h"
#include "reference-server/tests/store_contract.h"

namespace stampede::server::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class MysqlTuningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto missing = missing_tools(); !missing.empty()) GTEST_SKIP() << "not installed: " << missing;
    stack_ = SuiteStack::get();
    ASSERT_NE(stack_, nullptr);
    ASSERT_TRUE(SuiteStack::error().empty()) << "fixtures/stack up failed:\n" << SuiteStack::error();
    std::string output;
    if (stack_->run("status") != 0) {
      ASSERT_EQ(stack_->run("up", &output), 0) << output;
    }
  }

  std::unique_ptr<MysqlStore> open(ShardLatency latency = {}, int pool_size = 16) {
    MysqlStoreOptions options;
    options.settings = stack_->settings();
    options.shard_latency = latency;
    options.pool_size = pool_size;
    return std::make_unique<MysqlStore>(options);
  }

  std::unique_ptr<RedisCache> redis_cache(std::chrono::nanoseconds ttl) {
    return std::make_unique<RedisCache>(stack_->settings().redis, "stampede-test:" + std::to_string(::getpid()) + ":",
                                        ttl, 500ms, 50ms);
  }

  static HttpResponse get(Router& router, std::string_view target) { return router.handle({"GET", target, "", {}}); }
  static HttpResponse grab(Router& router, int user, int coupon) {
    const std::string body = R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": )" + std::to_string(coupon) + "}";
    return router.handle({"POST", "/api/coupon/grab", body, {}});
  }
  static bool hit(const HttpResponse& r) { return r.server_timing.find("cache;desc=hit") != std::string::npos; }
  static bool miss(const HttpResponse& r) { return r.server_timing.find("cache;desc=miss") != std::string::npos; }

  Stack* stack_ = nullptr;
};

TEST_F(MysqlTuningTest, ShardLatencyIsInEveryShardVisitAndPoolWaitsAreReported) {
  auto store = open(ShardLatency{20ms, 20ms}, 2);
  seed_store(*store, small_config(3), Strategy::hash);
  const auto fanout = store->user_results(7, ShardList{0, 1, 2, 3}, 10);
  ASSERT_EQ(fanout.timings.size(), 4u);
  for (const auto& t : fanout.timings) {
    EXPECT_GE(t.elapsed, 20ms) << "shard " << t.shard;
    ASSERT_TRUE(t.pool_wait.has_value()) << "the mysql store has a bounded pool";
    EXPECT_LE(*t.pool_wait, t.elapsed);
  }
  const auto outcome = store->grab({7, 6, 2, kT0, 3});
  ASSERT_TRUE(outcome.success);
  EXPECT_GE(outcome.timings.at(0).elapsed, 20ms);
  EXPECT_TRUE(outcome.timings.at(0).pool_wait.has_value());
  for (const auto& status : store->shard_status()) EXPECT_LE(status.pool_size, 2) << "--pool-size 2";

  Metrics metrics(4);
  RouterOptions options;
  options.routing.room_count = 8;
  Router router(*store, options, metrics, [] { return kT0; });
  const auto r = get(router, "/api/statistics/global");
  ASSERT_EQ(r.status, 200) << r.body;
  for (int k = 0; k < 4; ++k) {
    EXPECT_NE(r.server_timing.find("pool-" + std::to_string(k) + ";dur="), std::string::npos) << r.server_timing;
  }
  const auto text = get(router, "/metrics").body;
  EXPECT_NE(text.find("stampede_server_shard_pool_waits_total{shard=\"3\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_shard_pool_wait_seconds_total{shard=\"3\"}"), std::string::npos);
}

TEST_F(MysqlTuningTest, RedisCacheHitsMissesFieldsInvalidationAndTtl) {
  auto cache = redis_cache(400ms);
  cache->clear();
  EXPECT_FALSE(cache->get("user:1", "limit=50"));
  cache->put("user:1", "limit=50", "fifty");
  cache->put("user:1", "limit=10", "ten");
  cache->put("room:2", "-", "room");
  EXPECT_EQ(cache->get("user:1", "limit=50"), "fifty");
  EXPECT_EQ(cache->get("user:1", "limit=10"), "ten");
  const std::vector<std::string> user{"user:1"};
  cache->invalidate(user);
  EXPECT_FALSE(cache->get("user:1", "limit=50"));
  EXPECT_FALSE(cache->get("user:1", "limit=10"));
  EXPECT_EQ(cache->get("room:2", "-"), "room");
  std::this_thread::sleep_for(600ms);  // longer than the TTL: Redis has expired the key
  EXPECT_FALSE(cache->get("room:2", "-"));
  cache->put("stock:6", "-", "x");
  cache->clear();
  EXPECT_FALSE(cache->get("stock:6", "-"));
}

TEST_F(MysqlTuningTest, RedisCacheOnTheMysqlStoreIsSharedByServersAndInvalidatedByTheirGrabs) {
  auto store = open();
  seed_store(*store, small_config(3), Strategy::hash);
  auto other_store = open();  // a second server process on the same stack
  auto cache = redis_cache(60s);
  auto other_cache = redis_cache(60s);
  cache->clear();
  Metrics metrics(4);
  Metrics other_metrics(4);
  RouterOptions options;
  options.routing.room_count = 8;
  options.cache = cache.get();
  Router router(*store, options, metrics, [] { return kT0; });
  options.cache = other_cache.get();
  Router other(*other_store, options, other_metrics, [] { return kT0; });

  for (const char* target : {"/api/coupon/6/stock", "/api/room/2/stats", "/api/user/5/coupons"}) {
    ASSERT_TRUE(miss(get(router, target))) << target;
    const auto again = get(router, target);
    EXPECT_EQ(again.server_timing, "cache;desc=hit") << target;
    EXPECT_TRUE(hit(get(other, target))) << target << ": one cache for every server on the stack";
  }
  ASSERT_EQ(json::parse(grab(other, 5, 6).body)["grab_status"], 1);
  const auto stock = get(router, "/api/coupon/6/stock");
  EXPECT_TRUE(miss(stock)) << "the other server's grab invalidated it";
  EXPECT_EQ(json::parse(stock.body)["remaining_stock"], 2);
  EXPECT_TRUE(miss(get(router, "/api/room/2/stats")));
  EXPECT_EQ(json::parse(get(router, "/api/user/5/coupons").body)["count"], 1);
  EXPECT_EQ(metrics.cache_fallbacks(), 0);
}

TEST_F(MysqlTuningTest, AStoppedRedisCacheFallsBackToTheDatabaseWithoutFailingARequest) {
  auto store = open();
  seed_store(*store, small_config(3), Strategy::hash);
  auto cache = redis_cache(60s);
  cache->clear();
  Metrics metrics(4);
  RouterOptions options;
  options.routing.room_count = 8;
  options.cache = cache.get();
  std::vector<std::string> log;
  options.log_error = [&log](std::string_view line) { log.emplace_back(line); };
  Router router(*store, options, metrics, [] { return kT0; });
  ASSERT_TRUE(miss(get(router, "/api/room/2/stats")));
  ASSERT_TRUE(hit(get(router, "/api/room/2/stats")));

  ASSERT_EQ(stack_->stop_instance("redis"), "");
  // Stock lives in Redis on this store (its 503 is the stock's, not the cache's); the reads
  // that need only the shards are answered from them.
  for (const char* target : {"/api/room/2/stats", "/api/user/5/coupons", "/api/statistics/global", "/api/room/2/stats"}) {
    const auto r = get(router, target);
    ASSERT_EQ(r.status, 200) << target << ": " << r.body;
    EXPECT_TRUE(miss(r)) << target << ": " << r.server_timing;
  }
  EXPECT_GE(metrics.cache_fallbacks(), 4);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log[0].find("cache (redis) unavailable"), std::string::npos) << log[0];
  EXPECT_EQ(log.size(), 1u) << "the router's clock stands still: one line";
  EXPECT_NE(get(router, "/metrics").body.find("stampede_server_cache_fallbacks_total"), std::string::npos);

  std::string output;
  ASSERT_EQ(stack_->run("up", &output), 0) << output;  // a new, empty Redis
  std::this_thread::sleep_for(100ms);                  // past the cache's 50 ms rest
  ASSERT_TRUE(miss(get(router, "/api/room/2/stats")));
  EXPECT_TRUE(hit(get(router, "/api/room/2/stats"))) << "the cache is used again";
}

}  // namespace
}  // namespace stampede::server::testing
