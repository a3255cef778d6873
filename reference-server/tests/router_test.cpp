// The router without any I/O, on a real (temporary) SQLite store.
#include "reference-server/router.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"
#include "reference-server/tests/small_dataset.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

using nlohmann::json;
constexpr std::int64_t kNow = 1'800'000'000'000;  // fixed wall clock for the tests

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override { make_router(Strategy::hash); }

  void make_router(Strategy strategy) {
    router_.reset();
    store_ = std::make_unique<SqliteStore>(SqliteStoreOptions{dir_.path(), 4, 0});
    seed_store(*store_, testing::small_dataset(1'000, 8, 2, 2), strategy);
    RouterOptions options;
    options.routing.strategy = strategy;
    options.routing.room_count = 8;
    options.max_body_bytes = 256;
    options.set_shard_offline = [this](int k, bool off) { store_->set_shard_offline(k, off); };
    options.admin.token = kToken;
    metrics_ = std::make_unique<Metrics>(4);
    router_ = std::make_unique<Router>(*store_, options, *metrics_, [this] { return now_; });
  }

  // As a legitimate admin client asks: loopback Host, JSON, the router's token.
  HttpResponse get(std::string_view target) { return router_->handle({"GET", target, "", admin_}); }
  HttpResponse post(std::string_view target, std::string_view body) {
    return router_->handle({"POST", target, body, admin_});
  }
  static json parse(const HttpResponse& r) { return json::parse(r.body); }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Router> router_;
  std::int64_t now_ = kNow;
  static constexpr const char* kToken = "router-test-admin-token";
  const std::string bearer_ = std::string("Bearer ") + kToken;
  const AdminHeaders admin_{"127.0.0.1:8000", "", "application/json", bearer_};
};

TEST_F(RouterTest, GrabSucceedsThenReportsDuplicateAndOutOfStock) {
  auto r = post("/api/coupon/grab", R"({"user_id": 5, "coupon_id": 6, "room_id": 2})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.endpoint, Endpoint::grab);
  auto body = parse(r);
  EXPECT_EQ(body["grab_status"], 1);
  EXPECT_TRUE(body["fail_reason"].is_null());
  EXPECT_EQ(body["remaining_stock"], 1);
  EXPECT_EQ(body["shard"], 1);  // hash: 5 mod 4
  EXPECT_GT(body["result_id"].get<std::int64_t>(), 0);
  EXPECT_EQ(body["grab_time_ms"], kNow);
  EXPECT_TRUE(r.server_timing.starts_with("shard-1;dur=")) << r.server_timing;

  body = parse(post("/api/coupon/grab", R"({"user_id": 5, "coupon_id": 6})"));
  EXPECT_EQ(body["grab_status"], 0);
  EXPECT_EQ(body["fail_reason"], "duplicate");
  parse(post("/api/coupon/grab", R"({"user_id": 6, "coupon_id": 6})"));
  body = parse(post("/api/coupon/grab", R"({"user_id": 7, "coupon_id": 6})"));
  EXPECT_EQ(body["fail_reason"], "out_of_stock");
  EXPECT_EQ(body["remaining_stock"], 0);
  EXPECT_EQ(metrics_->shard_queries(1) + metrics_->shard_queries(2) + metrics_->shard_queries(3), 4);
}

TEST_F(RouterTest, GrabValidationErrors) {
  struct Case {
    std::string body;
    int status;
    std::string error;
  };
  const Case cases[] = {
      {"{not json", 400, "malformed JSON body"},
      {"", 400, "malformed JSON body"},
      {"[1,2]", 400, "body must be a JSON object"},
      {R"({"coupon_id": 6})", 400, "invalid grab request"},
      {R"({"user_id": "5", "coupon_id": 6})", 400, "invalid grab request"},
      {R"({"user_id": 5.5, "coupon_id": 6})", 400, "invalid grab request"},
      {R"({"user_id": 5, "coupon_id": 6, "room_id": true})", 400, "invalid grab request"},
      {R"({"user_id": 5, "coupon_id": 6, "room_id": 3})", 400, "room does not own the coupon"},
      {R"({"user_id": 5000, "coupon_id": 6})", 404, "unknown user"},
      {R"({"user_id": -1, "coupon_id": 6})", 404, "unknown user"},
      // Beyond int64: refused as invalid, never echoed back as a wrapped "-1".
      {R"({"user_id": 9223372036854775808, "coupon_id": 6})", 400, "invalid grab request"},
      {R"({"user_id": 18446744073709551615, "coupon_id": 6})", 400, "invalid grab request"},
      {R"({"user_id": 5, "coupon_id": 9223372036854775808})", 400, "invalid grab request"},
      {R"({"user_id": 5, "coupon_id": 41})", 404, "unknown coupon"},
      {R"({"user_id": 5, "coupon_id": 6, "room_id": 99})", 404, "unknown room"},
      {std::string(300, ' '), 413, "request body too large"},
  };
  for (const auto& c : cases) {
    auto r = post("/api/coupon/grab", c.body);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 60) << " -> " << r.body;
    EXPECT_EQ(parse(r)["error"], c.error) << c.body.substr(0, 60);
    if (c.status == 400) {
      EXPECT_EQ(r.body.find("\"-1\""), std::string::npos) << r.body;
    }
  }
  // Every problem is listed, not only the first.
  auto both = parse(post("/api/coupon/grab", R"({"user_id": null, "coupon_id": "x"})"));
  ASSERT_EQ(both["details"].size(), 2u) << both.dump();
  EXPECT_EQ(store_->stock(6)->remaining_stock, 2);  // nothing was taken
}

TEST_F(RouterTest, UserCouponsUseOneShardUnderHash) {
  post("/api/coupon/grab", R"({"user_id": 9, "coupon_id": 1})");
  post("/api/coupon/grab", R"({"user_id": 9, "coupon_id": 2})");
  auto r = get("/api/user/9/coupons");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = parse(r);
  EXPECT_EQ(body["user_id"], 9);
  EXPECT_EQ(body["coupons"].size(), 2u);
  EXPECT_EQ(body["shards_queried"], json::array({1}));
  EXPECT_TRUE(r.server_timing.starts_with("shard-1;dur=")) << r.server_timing;
  EXPECT_EQ(r.server_timing.find(','), std::string::npos);
  EXPECT_EQ(parse(get("/api/user/9/coupons?limit=1"))["coupons"].size(), 1u);
  EXPECT_EQ(get("/api/user/abc/coupons").status, 400);
  EXPECT_EQ(get("/api/user/9/coupons?limit=0").status, 400);
  EXPECT_EQ(get("/api/user/9/coupons?limit=x").status, 400);
  EXPECT_EQ(get("/api/user/1001/coupons").status, 404);
}

TEST_F(RouterTest, RoomQueriesFanOutUnderHash) {
  post("/api/coupon/grab", R"({"user_id": 1, "coupon_id": 6})");
  post("/api/coupon/grab", R"({"user_id": 2, "coupon_id": 7})");
  auto r = get("/api/room/2/orders?limit=10");
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = parse(r);
  EXPECT_EQ(body["count"], 2);
  EXPECT_EQ(body["shards_queried"], json::array({0, 1, 2, 3}));
  EXPECT_EQ(std::count(r.server_timing.begin(), r.server_timing.end(), ','), 3) << r.server_timing;

  auto stats = parse(get("/api/room/2/stats"));
  EXPECT_EQ(stats["grabs"], 2);
  EXPECT_EQ(stats["successes"], 2);
  EXPECT_EQ(stats["by_coupon"].size(), 5u);
  EXPECT_EQ(get("/api/room/99/stats").status, 404);
  EXPECT_EQ(get("/api/room/x/orders").status, 400);
  EXPECT_EQ(get("/api/room/99/orders").status, 404);
}

TEST_F(RouterTest, RangeStrategyPutsRoomQueriesOnOneShard) {
  make_router(Strategy::range);  // 8 rooms / 4 shards: rooms 3-4 -> shard 1
  auto grab = parse(post("/api/coupon/grab", R"({"user_id": 1, "coupon_id": 11})"));  // room 3
  EXPECT_EQ(grab["shard"], 1);
  auto r = get("/api/room/3/orders");
  EXPECT_EQ(parse(r)["shards_queried"], json::array({1}));
  EXPECT_EQ(parse(r)["count"], 1);
  EXPECT_EQ(parse(get("/api/user/1/coupons"))["shards_queried"], json::array({0, 1, 2, 3}));
}

TEST_F(RouterTest, RecentOrdersAndGlobalStatistics) {
  now_ = kNow - 2 * 3'600'000;
  post("/api/coupon/grab", R"({"user_id": 1, "coupon_id": 1})");
  now_ = kNow;
  post("/api/coupon/grab", R"({"user_id": 2, "coupon_id": 1})");
  post("/api/coupon/grab", R"({"user_id": 3, "coupon_id": 1})");  // out of stock (2)
  auto recent = parse(get("/api/orders/recent?hours=1"));
  EXPECT_EQ(recent["count"], 2);
  EXPECT_EQ(recent["orders"][0]["grab_time_ms"], kNow);
  EXPECT_EQ(recent["orders"][1]["grab_time_ms"], kNow);
  EXPECT_EQ(parse(get("/api/orders/recent?hours=3&limit=10"))["count"], 3);
  EXPECT_EQ(parse(get("/api/orders/recent?hours=0.5"))["count"], 2);
  EXPECT_EQ(get("/api/orders/recent?hours=-1").status, 400);
  EXPECT_EQ(get("/api/orders/recent?hours=abc").status, 400);

  auto global = get("/api/statistics/global");
  auto body = parse(global);
  EXPECT_EQ(body["total_grabs"], 3);
  EXPECT_EQ(body["successful_grabs"], 2);
  EXPECT_EQ(body["failed_grabs"], 1);
  EXPECT_EQ(body["per_shard"].size(), 4u);
  EXPECT_NE(global.server_timing.find("shard-3;dur="), std::string::npos);

  auto stock = parse(get("/api/coupon/1/stock"));
  EXPECT_EQ(stock["total_stock"], 2);
  EXPECT_EQ(stock["remaining_stock"], 0);
  EXPECT_EQ(get("/api/coupon/999/stock").status, 404);
  EXPECT_EQ(get("/api/coupon/x/stock").status, 400);
}

TEST_F(RouterTest, TimeStrategyRecentOrdersTouchOnlyCoveringBuckets) {
  make_router(Strategy::time);
  now_ = 1000 * 3'600'000LL + 40 * 60'000;  // bucket 1000 -> shard 0, 40 min in
  auto grab = parse(post("/api/coupon/grab", R"({"user_id": 7, "coupon_id": 1})"));
  EXPECT_EQ(grab["shard"], 0);
  auto r = get("/api/orders/recent?hours=0.5");
  EXPECT_EQ(parse(r)["shards_queried"], json::array({0}));
  EXPECT_EQ(r.server_timing.find(','), std::string::npos);
  EXPECT_EQ(parse(r)["count"], 1);
}

TEST_F(RouterTest, ShardDownGives503OnlyForRequestsThatNeedIt) {
  ASSERT_EQ(post("/admin/shards/1/offline", "").status, 200);
  auto down = post("/api/coupon/grab", R"({"user_id": 5, "coupon_id": 6})");  // shard 1
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(parse(down)["shard"], 1);
  EXPECT_EQ(post("/api/coupon/grab", R"({"user_id": 6, "coupon_id": 6})").status, 200);  // shard 2
  EXPECT_EQ(get("/api/user/5/coupons").status, 503);
  EXPECT_EQ(get("/api/user/6/coupons").status, 200);
  EXPECT_EQ(get("/api/room/2/orders").status, 503);  // fan-out needs shard 1
  EXPECT_EQ(get("/health").status, 200);
  auto status = parse(get("/admin/shards/status"));
  EXPECT_FALSE(status["shards"][1]["up"]);
  EXPECT_TRUE(status["shards"][2]["up"]);
  EXPECT_EQ(metrics_->shard_unavailable(1), 3);
  ASSERT_EQ(post("/admin/shards/1/online", "").status, 200);
  EXPECT_EQ(post("/api/coupon/grab", R"({"user_id": 5, "coupon_id": 6})").status, 200);
  EXPECT_EQ(post("/admin/shards/9/offline", "").status, 404);
}

TEST_F(RouterTest, AdminEndpointsAndReset) {
  post("/api/coupon/grab", R"({"user_id": 5, "coupon_id": 6})");
  auto status = parse(get("/admin/shards/status"));
  EXPECT_EQ(status["shards"].size(), 4u);
  EXPECT_EQ(status["shards"][1]["rows"], 1);
  EXPECT_EQ(status["store"], "sqlite");

  auto reset = post("/admin/reset", "");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(store_->stock(6)->remaining_stock, 2);
  EXPECT_EQ(parse(get("/api/statistics/global"))["total_grabs"], 0);

  metrics_->record_request(Endpoint::grab, 200, std::chrono::microseconds(300));
  auto stats = parse(get("/admin/stats"));
  EXPECT_EQ(stats["strategy"], "hash");
  EXPECT_EQ(stats["store"], "sqlite");
  EXPECT_EQ(stats["requests"]["grab"], 1);
  EXPECT_EQ(stats["shard_queries"].size(), 4u);

  auto metrics = get("/metrics");
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4");
  EXPECT_NE(metrics.body.find("stampede_server_requests_total{endpoint=\"grab\",code=\"2xx\"} 1"),
            std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("stampede_server_shard_queries_total{shard=\"1\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("le=\"0.0005\"} 1"), std::string::npos) << metrics.body;
  EXPECT_EQ(parse(get("/health"))["status"], "ok");
}

// Refused before anything runs: the status, the JSON error, the challenge on 401.
TEST_F(RouterTest, AdminRoutesAreGuarded) {
  post("/api/coupon/grab", R"({"user_id": 5, "coupon_id": 6})");
  AdminHeaders no_token = admin_;
  no_token.authorization = "";
  auto r = router_->handle({"POST", "/admin/reset", "", no_token});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.endpoint, Endpoint::admin_reset);
  EXPECT_EQ(parse(r)["error"], "admin token required");
  EXPECT_EQ(r.www_authenticate.substr(0, 6), "Bearer");
  EXPECT_EQ(store_->stock(6)->remaining_stock, 1) << "not reset";
  EXPECT_EQ(router_->handle({"GET", "/admin/reshard", "", no_token}).status, 401);
  EXPECT_EQ(router_->handle({"GET", "/admin/stats", "", no_token}).status, 200);
  EXPECT_EQ(router_->handle({"GET", "/admin/shards/status", "", no_token}).status, 200);

  AdminHeaders foreign = admin_;
  foreign.host = "attacker.example";
  r = router_->handle({"POST", "/admin/reset", "", foreign});
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(r.www_authenticate.empty());
  AdminHeaders text = admin_;
  text.content_type = "text/plain";
  EXPECT_EQ(router_->handle({"POST", "/admin/shards/1/offline", "", text}).status, 415);
  EXPECT_TRUE(store_->shard_status()[1].up);
  // The load's own routes ask nothing of the headers.
  EXPECT_EQ(router_->handle({"GET", "/api/coupon/6/stock", "", {}}).status, 200);
  EXPECT_EQ(store_->stock(6)->remaining_stock, 1);
}

TEST_F(RouterTest, ShardsStatusNamesFilesNotPaths) {
  const auto r = get("/admin/shards/status");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(dir_.path().string()), std::string::npos) << r.body;
  const auto status = parse(r);
  EXPECT_EQ(status["main"], "main.db");
  EXPECT_EQ(status["shards"][2]["address"], "shard-2.db");
}

TEST_F(RouterTest, ReshardEstimatesEveryStrategyFromTheStoredRows) {
  // Users 1-8 grab coupon 1 (room 1) in bucket 500000; users 1-4 grab coupon 36 (room 8)
  // four hours later (bucket 500004): 12 rows.
  for (int user = 1; user <= 8; ++user) {
    ASSERT_EQ(post("/api/coupon/grab", R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": 1})").status, 200);
  }
  now_ = kNow + 4 * 3'600'000;
  for (int user = 1; user <= 4; ++user) {
    ASSERT_EQ(post("/api/coupon/grab", R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": 36})").status, 200);
  }
  auto r = get("/admin/reshard");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.endpoint, Endpoint::admin_reshard);
  EXPECT_EQ(std::count(r.server_timing.begin(), r.server_timing.end(), ';'), 4) << r.server_timing;
  const auto body = parse(r);
  EXPECT_EQ(body["from_shards"], 4);
  EXPECT_EQ(body["to_shards"], 5);
  EXPECT_EQ(body["rows"], 12);
  EXPECT_EQ(body["current_strategy"], "hash");
  EXPECT_EQ(body["store"], "sqlite");
  EXPECT_GE(body["elapsed_ms"].get<double>(), 0.0);
  ASSERT_EQ(body["estimates"].size(), 3u);

  const auto& hash = body["estimates"][0];
  EXPECT_EQ(hash["strategy"], "hash");
  // mod 4 == mod 5 for users 1-3; user 4 (2 rows) and users 5-8 (1 row each) move.
  EXPECT_EQ(hash["moved"], 6);
  EXPECT_DOUBLE_EQ(hash["moved_share"].get<double>(), 0.5);
  EXPECT_EQ(hash["rows_before"], json::parse("[3, 3, 3, 3]"));
  // The server's own strategy: rows_before is where the rows are.
  const auto status = parse(get("/admin/shards/status"));
  for (int k = 0; k < 4; ++k) EXPECT_EQ(status["shards"][k]["rows"], hash["rows_before"][k]);

  const auto& range = body["estimates"][1];
  EXPECT_EQ(range["strategy"], "range");
  // 8 rooms on 4 shards: shard 0 = rooms 1-2 holds the most rows (8, all in room 1): the
  // only cut moves room 2, which is empty.
  EXPECT_EQ(range["rows_before"], json::parse("[8, 0, 0, 4]"));
  EXPECT_EQ(range["moved"], 0);
  EXPECT_EQ(range["splits"][0]["first_room"], 2);
  EXPECT_EQ(range["rows_after"], json::parse("[8, 0, 0, 4, 0]"));

  const auto& time = body["estimates"][2];
  EXPECT_EQ(time["strategy"], "time");
  EXPECT_EQ(time["moved"], 4);  // bucket 500004: mod 4 = 0, mod 5 = 4
  EXPECT_EQ(time["rows_after"], json::parse("[8, 0, 0, 0, 4]"));
  EXPECT_EQ(time["moved_if_only_new_data"], 0);

  const auto eight = parse(get("/admin/reshard?to=8"));
  EXPECT_EQ(eight["to_shards"], 8);
  EXPECT_EQ(eight["estimates"][0]["rows_after"].size(), 8u);
  EXPECT_EQ(eight["estimates"][1]["splits"].size(), 4u);
}

TEST_F(RouterTest, ReshardRejectsABadTargetAndNeedsEveryShard) {
  for (const char* target : {"/admin/reshard?to=1", "/admin/reshard?to=65", "/admin/reshard?to=abc",
                             "/admin/reshard?to=", "/admin/reshard?to=-5"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 400) << target;
    const auto body = parse(r);
    ASSERT_EQ(body["details"].size(), 1u) << r.body;
    EXPECT_TRUE(body["details"][0].get<std::string>().starts_with("to:")) << r.body;
  }
  EXPECT_EQ(post("/admin/reshard", "").status, 405);
  EXPECT_EQ(parse(get("/admin/reshard?to=64"))["to_shards"], 64);
  ASSERT_EQ(post("/admin/shards/2/offline", "").status, 200);
  auto down = get("/admin/reshard");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(parse(down)["shard"], 2);
}

TEST_F(RouterTest, UnknownPathsAndMethods) {
  EXPECT_EQ(get("/nope").status, 404);
  EXPECT_EQ(get("/api/coupon/grab").status, 405);
  EXPECT_EQ(post("/health", "").status, 405);
  EXPECT_EQ(get("/admin/reset").status, 405);
  EXPECT_EQ(get("/a/b/c/d/e/f/g/h/i/j/k").status, 404);
}

TEST(ServerTiming, FormatsOneEntryPerShardInMilliseconds) {
  ShardTimings timings = {{0, std::chrono::microseconds(410), std::nullopt},
                          {3, std::chrono::nanoseconds(390'400), std::nullopt}};
  EXPECT_EQ(format_server_timing(timings), "shard-0;dur=0.410, shard-3;dur=0.390");
  // A store with a bounded pool: each shard's wait for a connection after the shards.
  timings[0].pool_wait = std::chrono::microseconds(2);
  timings[1].pool_wait = std::chrono::microseconds(150'000);
  EXPECT_EQ(format_server_timing(timings),
            "shard-0;dur=0.410, shard-3;dur=0.390, pool-0;dur=0.002, pool-3;dur=150.000");
  EXPECT_EQ(format_server_timing({}), "");
  // Reading from replicas (--read-from replicas): which copy answered each shard's part.
  timings[0].pool_wait.reset();
  timings[1].pool_wait.reset();
  timings[0].replica = 2;
  timings[1].replica = 0;
  EXPECT_EQ(format_server_timing(timings),
            "shard-0;dur=0.410, shard-3;dur=0.390, replica-0;desc=r2, replica-3;desc=primary");
}

TEST(ReplicaMetrics, EachReplicasLagUpReadsAndFallbacks) {
  EXPECT_EQ(format_replica_metrics({}), "") << "a store without replicas adds nothing";
  ReplicaStatus a;
  a.shard = 0;
  a.replica = 1;
  a.lag_s = 2;
  a.replicating = true;
  a.reads = 40;
  ReplicaStatus b;
  b.shard = 1;
  b.replica = 1;
  b.error = "connection refused";
  b.fallbacks = 3;
  const std::string text = format_replica_metrics({a, b});
  EXPECT_NE(text.find("# TYPE stampede_server_replica_lag_seconds gauge\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_replica_lag_seconds{shard=\"0\",replica=\"1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_replica_lag_seconds{shard=\"1\",replica=\"1\"} -1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_replica_up{shard=\"0\",replica=\"1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_replica_up{shard=\"1\",replica=\"1\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_replica_reads_total{shard=\"0\",replica=\"1\"} 40\n"), std::string::npos) << text;
  EXPECT_NE(text.find("stampede_server_replica_fallbacks_total{shard=\"1\",replica=\"1\"} 3\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace stampede::server
