// --cache on the embedded store, through the router: hits and misses in Server-Timing and
// /metrics, the TTL, each invalidation rule of a grab, reset, and a cache that is away
// (answers from the database, counted, logged at most once a second).
#include "reference-server/cache_aside.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reference-server/router.h"
#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"
#include "reference-server/tests/small_dataset.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
constexpr std::int64_t kNow = 1'800'000'000'000;

// A cache that can be made to fail like a Redis that went away.
class SwitchableCache final : public ReadCache {
 public:
  explicit SwitchableCache(MemoryCache& inner) : inner_(inner) {}
  std::string_view kind() const override { return "switchable"; }
  std::chrono::nanoseconds ttl() const override { return inner_.ttl(); }
  std::optional<std::string> get(std::string_view key, std::string_view field) override {
    check();
    return inner_.get(key, field);
  }
  void put(std::string_view key, std::string_view field, std::string_view value) override {
    check();
    inner_.put(key, field, value);
  }
  void invalidate(std::span<const std::string> keys) override {
    check();
    inner_.invalidate(keys);
  }
  void clear() override {
    check();
    inner_.clear();
  }
  bool away = false;

 private:
  void check() const {
    if (away) throw CacheUnavailable("redis 127.0.0.1:1: Connection refused");
  }
  MemoryCache& inner_;
};

class CacheAsideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::make_unique<SqliteStore>(SqliteStoreOptions{dir_.path(), 4, 0});
    seed_store(*store_, testing::small_dataset(1'000, 8, 2, 5), Strategy::hash);
    RouterOptions options;
    options.routing.room_count = 8;
    options.cache = &cache_;
    options.log_error = [this](std::string_view line) { log_.emplace_back(line); };
    options.admin.token = kToken;
    router_ = std::make_unique<Router>(*store_, options, metrics_, [this] { return now_ms_; });
  }

  HttpResponse get(std::string_view target) { return router_->handle({"GET", target, "", {}}); }
  HttpResponse grab(int user, int coupon) {
    const std::string body = R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": )" +
                             std::to_string(coupon) + "}";
    return router_->handle({"POST", "/api/coupon/grab", body, {}});
  }
  static bool hit(const HttpResponse& r) { return r.server_timing.find("cache;desc=hit") != std::string::npos; }
  static bool miss(const HttpResponse& r) { return r.server_timing.find("cache;desc=miss") != std::string::npos; }

  static constexpr const char* kToken = "cache-aside-test-admin-token";
  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  Metrics metrics_{4};
  std::chrono::steady_clock::time_point now_{std::chrono::steady_clock::time_point{} + 1h};
  MemoryCache memory_{1s, [this] { return now_; }};
  SwitchableCache cache_{memory_};
  std::int64_t now_ms_ = kNow;
  std::vector<std::string> log_;
  std::unique_ptr<Router> router_;
};

TEST_F(CacheAsideTest, EveryCachedEndpointMissesThenHitsWithTheSameBody) {
  for (const char* target : {"/api/coupon/6/stock", "/api/room/2/stats", "/api/statistics/global",
                             "/api/user/5/coupons", "/api/user/5/coupons?limit=3"}) {
    const auto first = get(target);
    ASSERT_EQ(first.status, 200) << target << ": " << first.body;
    EXPECT_TRUE(miss(first)) << target << ": " << first.server_timing;
    const auto second = get(target);
    ASSERT_EQ(second.status, 200) << target;
    EXPECT_EQ(second.server_timing, "cache;desc=hit") << target << ": no shard was asked";
    EXPECT_EQ(second.body, first.body) << target;
  }
  const auto room = get("/api/room/3/stats");
  EXPECT_NE(room.server_timing.find("shard-"), std::string::npos) << "a miss keeps its shard timings";
  EXPECT_TRUE(room.server_timing.ends_with(", cache;desc=miss")) << room.server_timing;

  EXPECT_EQ(metrics_.cache_hits(Endpoint::user_coupons), 2);
  EXPECT_EQ(metrics_.cache_misses(Endpoint::user_coupons), 2) << "one entry per ?limit=";
  EXPECT_EQ(metrics_.cache_misses(Endpoint::room_stats), 2);
  const auto text = get("/metrics").body;
  EXPECT_NE(text.find("stampede_server_cache_requests_total{endpoint=\"coupon_stock\",result=\"hit\"} 1"),
            std::string::npos) << text;
  EXPECT_EQ(get("/api/room/2/orders").server_timing.find("cache"), std::string::npos) << "not a cached endpoint";
}

TEST_F(CacheAsideTest, UnknownIdsAreNotCachedAndStillAnswered404) {
  EXPECT_EQ(get("/api/coupon/999/stock").status, 404);
  EXPECT_EQ(get("/api/coupon/999/stock").status, 404);
  EXPECT_EQ(get("/api/user/99999/coupons").status, 404);
  EXPECT_EQ(metrics_.cache_misses(Endpoint::coupon_stock), 0);
  EXPECT_EQ(memory_.keys(), 0u);
}

TEST_F(CacheAsideTest, ACachedAnswerIsServedUntilTheTtlThenReadAgain) {
  const auto before = json::parse(get("/api/statistics/global").body);
  ASSERT_EQ(grab(1, 6).status, 200);  // a grab does not drop the global statistics
  now_ += 999ms;
  const auto stale = get("/api/statistics/global");
  EXPECT_TRUE(hit(stale));
  EXPECT_EQ(json::parse(stale.body)["total_grabs"], before["total_grabs"]) << "stale within the TTL";
  now_ += 1ms;
  const auto fresh = get("/api/statistics/global");
  EXPECT_TRUE(miss(fresh));
  EXPECT_EQ(json::parse(fresh.body)["total_grabs"], before["total_grabs"].get<int>() + 1);
}

TEST_F(CacheAsideTest, AGrabInvalidatesItsCouponsStockItsRoomsStatsAndItsUsersCoupons) {
  for (const char* target : {"/api/coupon/6/stock", "/api/coupon/7/stock", "/api/room/2/stats", "/api/room/3/stats",
                             "/api/user/5/coupons", "/api/user/5/coupons?limit=2", "/api/user/6/coupons"}) {
    ASSERT_TRUE(miss(get(target))) << target;
    ASSERT_TRUE(hit(get(target))) << target;
  }
  ASSERT_EQ(json::parse(grab(5, 6).body)["grab_status"], 1);  // coupon 6 is in room 2

  const auto stock = get("/api/coupon/6/stock");
  EXPECT_TRUE(miss(stock));
  EXPECT_EQ(json::parse(stock.body)["remaining_stock"], 4);
  const auto stats = get("/api/room/2/stats");
  EXPECT_TRUE(miss(stats));
  EXPECT_EQ(json::parse(stats.body)["successes"], 1);
  const auto coupons = get("/api/user/5/coupons");
  EXPECT_TRUE(miss(coupons));
  EXPECT_EQ(json::parse(coupons.body)["count"], 1);
  EXPECT_TRUE(miss(get("/api/user/5/coupons?limit=2"))) << "every ?limit= of the user";

  EXPECT_TRUE(hit(get("/api/coupon/7/stock"))) << "another coupon of the room";
  EXPECT_TRUE(hit(get("/api/room/3/stats"))) << "another room";
  EXPECT_TRUE(hit(get("/api/user/6/coupons"))) << "another user";

  // A failed grab writes a result row too: the room's and the user's answers change.
  ASSERT_TRUE(hit(get("/api/room/2/stats")));
  ASSERT_EQ(json::parse(grab(5, 6).body)["fail_reason"], "duplicate");
  EXPECT_EQ(json::parse(get("/api/room/2/stats").body)["grabs"], 2);
  EXPECT_EQ(json::parse(get("/api/user/5/coupons").body)["count"], 2);
}

TEST_F(CacheAsideTest, GrabsNeverReadTheCacheSoAStaleStockCannotOversell) {
  ASSERT_EQ(json::parse(get("/api/coupon/8/stock").body)["remaining_stock"], 5);
  for (int user = 1; user <= 8; ++user) grab(user, 8);
  EXPECT_EQ(json::parse(get("/api/coupon/8/stock").body)["remaining_stock"], 0);
  EXPECT_EQ(json::parse(get("/api/room/2/stats").body)["successes"], 5);
}

TEST_F(CacheAsideTest, ResetDropsEverything) {
  ASSERT_EQ(grab(5, 6).status, 200);
  ASSERT_TRUE(miss(get("/api/statistics/global")));
  ASSERT_TRUE(hit(get("/api/statistics/global")));
  const std::string bearer = std::string("Bearer ") + kToken;
  const AdminHeaders admin{"127.0.0.1:8000", "", "application/json", bearer};
  const auto stats = json::parse(router_->handle({"GET", "/admin/stats", "", admin}).body);
  EXPECT_EQ(stats["cache"], "switchable");
  EXPECT_EQ(stats["cache_fallbacks"], 0);
  const auto reset = router_->handle({"POST", "/admin/reset", "{}", admin});
  ASSERT_EQ(reset.status, 200) << reset.body;
  const auto after = get("/api/statistics/global");
  EXPECT_TRUE(miss(after));
  EXPECT_EQ(json::parse(after.body)["total_grabs"], 0);
}

TEST_F(CacheAsideTest, ACacheThatIsAwayFallsBackToTheDatabaseCountedAndLoggedOnceASecond) {
  ASSERT_TRUE(miss(get("/api/coupon/6/stock")));
  cache_.away = true;
  for (int i = 0; i < 3; ++i) {
    const auto r = get("/api/coupon/6/stock");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(miss(r)) << r.server_timing;
  }
  const auto g = grab(5, 6);
  ASSERT_EQ(g.status, 200) << "a grab never fails because of the cache: " << g.body;
  EXPECT_EQ(json::parse(get("/api/coupon/6/stock").body)["remaining_stock"], 4);
  EXPECT_EQ(get("/api/room/2/stats").status, 200);
  // 4 stock reads + 1 room read, each a failed read and a failed store; 1 invalidation.
  EXPECT_EQ(metrics_.cache_fallbacks(), 11);
  ASSERT_EQ(log_.size(), 1u) << "at most one line a second";
  EXPECT_NE(log_[0].find("cache (switchable) unavailable"), std::string::npos) << log_[0];
  EXPECT_NE(log_[0].find("Connection refused"), std::string::npos) << log_[0];
  now_ms_ += 1'000;
  get("/api/coupon/6/stock");
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[1].find("(10 more since the last line)"), std::string::npos) << log_[1];
  EXPECT_NE(get("/metrics").body.find("stampede_server_cache_fallbacks_total 13"), std::string::npos);

  cache_.away = false;  // back: the stale entry of coupon 6 was never invalidated in it
  EXPECT_TRUE(hit(get("/api/coupon/6/stock")));
  now_ += 1s;  // ... but it lives no longer than the TTL
  EXPECT_EQ(json::parse(get("/api/coupon/6/stock").body)["remaining_stock"], 4);
}

}  // namespace
}  // namespace stampede::server
