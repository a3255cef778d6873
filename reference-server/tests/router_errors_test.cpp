// What the router answers when the store fails: 503 with Retry-After for what is down (a
// shard, a dependency such as Redis), 500 for anything else, never the store's own text
// (it may name files); that text goes to the log instead. A FaultyStore over a real SQLite
// store throws what each test sets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reference-server/route_support.h"
#include "reference-server/router.h"
#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"
#include "reference-server/tests/faulty_store.h"
#include "reference-server/tests/small_dataset.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

using nlohmann::json;

class RouterErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sqlite_ = std::make_unique<SqliteStore>(SqliteStoreOptions{dir_.path(), 4, 0});
    seed_store(*sqlite_, testing::small_dataset(100, 4, 1, 10), Strategy::hash);
    store_ = std::make_unique<testing::FaultyStore>(*sqlite_);
    RouterOptions options;
    options.routing.room_count = 4;
    options.admin_token_source = "STAMPEDE_SERVER_ADMIN_TOKEN";
    options.log_error = [this](std::string_view line) { log_.emplace_back(line); };
    metrics_ = std::make_unique<Metrics>(4);
    router_ = std::make_unique<Router>(*store_, options, *metrics_, [this] { return now_; });
  }

  HttpResponse grab() { return router_->handle({"POST", "/api/coupon/grab", R"({"user_id": 5, "coupon_id": 1})", {}}); }
  // The file a SQLite error would name: somewhere on the server's machine.
  std::string shard_file() const { return (dir_.path() / "shard-1.db").string(); }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> sqlite_;
  std::unique_ptr<testing::FaultyStore> store_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Router> router_;
  std::vector<std::string> log_;
  std::int64_t now_ = 1'800'000'000'000;
};

TEST_F(RouterErrorsTest, RedisDownIs503NamingTheStockStoreWithRetryAfter) {
  store_->fail_with(std::make_exception_ptr(
      DependencyUnavailable("stock store (redis)", "redis 127.0.0.1:16379: Connection refused")));
  for (const auto& r : {grab(), router_->handle({"GET", "/api/coupon/1/stock", "", {}})}) {
    ASSERT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.retry_after, "1");
    const auto body = json::parse(r.body);
    EXPECT_EQ(body["error"], "stock store (redis) unavailable");
    EXPECT_EQ(body["dependency"], "stock store (redis)");
    EXPECT_TRUE(body["details"].is_array());
    EXPECT_EQ(r.body.find("Connection refused"), std::string::npos) << "the cause is for the log";
  }
  ASSERT_EQ(log_.size(), 1u) << "503s are logged at most once a second";
  EXPECT_NE(log_[0].find("(grab): stock store (redis) unavailable: redis 127.0.0.1:16379: Connection refused"),
            std::string::npos)
      << log_[0];
  now_ += 1000;
  EXPECT_EQ(grab().status, 503);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[1].find("[1 more 503s since the last such line]"), std::string::npos) << log_[1];

  store_->fail_with(nullptr);  // Redis is back
  EXPECT_EQ(grab().status, 200);
}

TEST_F(RouterErrorsTest, ShardDownIs503WithRetryAfterAndNoStoreText) {
  store_->fail_with(std::make_exception_ptr(ShardUnavailable(1, "open " + shard_file() + ": disk I/O error")));
  const auto r = router_->handle({"GET", "/api/user/5/coupons", "", {}});
  ASSERT_EQ(r.status, 503);
  EXPECT_EQ(r.retry_after, "1");
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["error"], "shard unavailable");
  EXPECT_EQ(body["shard"], 1);
  EXPECT_EQ(r.body.find(dir_.path().string()), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("disk I/O"), std::string::npos) << r.body;
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find(shard_file()), std::string::npos) << "the log keeps the whole text: " << log_[0];
  EXPECT_EQ(metrics_->shard_unavailable(1), 1);
}

// Issue 20: a store error's text (here a SQLite file's path) was passed to the client.
TEST_F(RouterErrorsTest, OtherStoreErrorsAre500WithoutTheirTextWhichIsLogged) {
  store_->fail_with(std::make_exception_ptr(StoreError("step 'SELECT ...': open " + shard_file() + ": malformed")));
  const auto r = router_->handle({"GET", "/api/statistics/global", "", {}});
  ASSERT_EQ(r.status, 500);
  EXPECT_TRUE(r.retry_after.empty()) << "a bug is not worth retrying";
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["error"], "internal error");
  EXPECT_EQ(body["details"], json::array({"the server logged the cause as error 1"}));
  EXPECT_EQ(r.body.find(dir_.path().string()), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("malformed"), std::string::npos) << r.body;
  // Every 500 is logged, numbered as its answer says.
  EXPECT_EQ(json::parse(grab().body)["details"][0], "the server logged the cause as error 2");
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_TRUE(log_[0].starts_with("error 1 (global_stats): step 'SELECT ...': open " + shard_file())) << log_[0];
  EXPECT_TRUE(log_[1].starts_with("error 2 (grab): ")) << log_[1];
}

TEST_F(RouterErrorsTest, ShardStatusErrorsShowFileNamesNotPaths) {
  store_->status_error(2, "open " + (dir_.path() / "shard-2.db").string() + ": unable to open database file");
  const auto r = router_->handle({"GET", "/admin/shards/status", "", {"127.0.0.1", "", "", ""}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find(dir_.path().string()), std::string::npos) << r.body;
  EXPECT_EQ(json::parse(r.body)["shards"][2]["error"], "open shard-2.db: unable to open database file");
}

TEST_F(RouterErrorsTest, AdminStatsSaysWhereTheTokenCameFromNotTheToken) {
  const auto r = router_->handle({"GET", "/admin/stats", "", {"127.0.0.1", "", "", ""}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["admin_token_source"], "STAMPEDE_SERVER_ADMIN_TOKEN");
}

TEST(WithoutPaths, CutsPathsToTheirFileNameAndLeavesTheRest) {
  EXPECT_EQ(without_paths("open /srv/stampede/data/shard-2.db: disk I/O error"), "open shard-2.db: disk I/O error");
  EXPECT_EQ(without_paths("'./rel/main.db' and ~/x/y.db, ../up/z.db"), "'main.db' and y.db, z.db");
  EXPECT_EQ(without_paths("(/a/b)"), "(b)");
  EXPECT_EQ(without_paths("127.0.0.1:13306: Lost connection, 3 / 4 up"), "127.0.0.1:13306: Lost connection, 3 / 4 up");
  EXPECT_EQ(without_paths(""), "");
  EXPECT_EQ(without_paths("/"), "/");
}

}  // namespace
}  // namespace stampede::server
