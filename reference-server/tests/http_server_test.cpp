// The HTTP server in-process on an ephemeral port, with a real SQLite store (test_server.h).
#include "reference-server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "reference-server/tests/admin_requests.h"
#include "reference-server/tests/http_client.h"
#include "reference-server/tests/test_server.h"

namespace stampede::server {
namespace {

using nlohmann::json;
using testing::HttpClient;

class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}) {
    testing::TestServerSetup setup;
    setup.fault_injection = true;
    setup.admin_token = testing::kTestAdminToken;
    options.threads = 2;
    server_ = std::make_unique<testing::TestServer>(setup, options);
  }

  std::unique_ptr<testing::TestServer> server_;
};

TEST_F(HttpServerTest, KeepAliveRequestsWithServerTiming) {
  start();
  HttpClient client(server_->port());
  auto health = client.request("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["status"], "ok");
  EXPECT_EQ(health.headers.count("server-timing"), 0u);

  // Same connection: a grab, then a fan-out query.
  auto grab = client.request("POST", "/api/coupon/grab", R"({"user_id": 6, "coupon_id": 1, "room_id": 1})");
  ASSERT_EQ(grab.status, 200) << grab.body;
  EXPECT_EQ(json::parse(grab.body)["grab_status"], 1);
  EXPECT_TRUE(grab.headers["server-timing"].starts_with("shard-2;dur=")) << grab.headers["server-timing"];

  auto global = client.request("GET", "/api/statistics/global");
  ASSERT_EQ(global.status, 200);
  EXPECT_EQ(json::parse(global.body)["total_grabs"], 1);
  const std::string timing = global.headers["server-timing"];
  for (int k = 0; k < 4; ++k) {
    EXPECT_NE(timing.find("shard-" + std::to_string(k) + ";dur="), std::string::npos) << timing;
  }
  EXPECT_EQ(client.request("GET", "/api/coupon/1/stock").status, 200);
  EXPECT_EQ(client.request("GET", "/nope").status, 404);
  EXPECT_EQ(client.request("POST", "/api/coupon/grab", "{oops").status, 400);
  EXPECT_EQ(server_->metrics.requests(Endpoint::health), 1);
  EXPECT_EQ(server_->metrics.requests(Endpoint::grab), 2);

  auto last = client.request("GET", "/metrics", "", /*keep_alive=*/false);
  EXPECT_EQ(last.status, 200);
  EXPECT_NE(last.body.find("stampede_server_requests_total{endpoint=\"grab\",code=\"2xx\"} 1"), std::string::npos);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServerTest, ANamedServerAddsItsNameToEveryServerTiming) {
  HttpServerOptions options;
  options.server_name = "srv-3";
  start(options);
  HttpClient client(server_->port());
  auto health = client.request("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.headers["server-timing"], "srv-3");
  auto global = client.request("GET", "/api/statistics/global");
  ASSERT_EQ(global.status, 200);
  const std::string timing = global.headers["server-timing"];
  EXPECT_TRUE(timing.starts_with("shard-0;dur=")) << timing;
  EXPECT_TRUE(timing.ends_with(", srv-3")) << timing;
  EXPECT_EQ(client.request("GET", "/nope").headers["server-timing"], "srv-3");
}

TEST_F(HttpServerTest, ReshardEstimateOverHttp) {
  start();
  HttpClient client(server_->port());
  for (int user = 1; user <= 10; ++user) {
    const auto body = R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": 1})";
    ASSERT_EQ(client.request("POST", "/api/coupon/grab", body).status, 200);
  }
  auto r = testing::admin_request(client, "GET", "/admin/reshard?to=6");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_NE(r.headers["server-timing"].find("shard-3;dur="), std::string::npos);
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["from_shards"], 4);
  EXPECT_EQ(body["to_shards"], 6);
  EXPECT_EQ(body["rows"], 10);
  // Users 1-10, mod 4 vs mod 6: only 1, 2, 3 keep their shard.
  EXPECT_EQ(body["estimates"][0]["moved"], 7);
  EXPECT_EQ(testing::admin_request(client, "GET", "/admin/reshard?to=0").status, 400);
  EXPECT_EQ(server_->metrics.requests(Endpoint::admin_reshard), 2);
}

TEST_F(HttpServerTest, OversizedBodyGets413AndTheConnectionCloses) {
  start();
  HttpClient client(server_->port());
  auto response = client.request("POST", "/api/coupon/grab", std::string(5000, 'x'));
  EXPECT_EQ(response.status, 413);
  EXPECT_TRUE(client.closed_by_peer());
}

TEST_F(HttpServerTest, SlowClientIsDisconnectedAfterTheReadTimeout) {
  HttpServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  start(options);
  HttpClient client(server_->port());
  client.send_raw("GET /health HTTP/1.1\r\nHost: x\r\n");  // never finishes the headers
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(client.read_response().status, 408);  // partly read: answered, then closed
  EXPECT_TRUE(client.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(3));
  HttpClient fresh(server_->port());  // the server itself is fine
  EXPECT_EQ(fresh.request("GET", "/health").status, 200);
}

TEST_F(HttpServerTest, ShedsStoreRequestsWhenTheWorkerPoolIsFull) {
  HttpServerOptions options;
  options.max_in_flight = 0;  // everything that needs the store is over the cap
  start(options);
  HttpClient client(server_->port());
  auto shed = client.request("POST", "/api/coupon/grab", R"({"user_id": 1, "coupon_id": 1})");
  EXPECT_EQ(shed.status, 503);
  EXPECT_EQ(json::parse(shed.body)["error"], "overloaded");
  EXPECT_EQ(shed.headers["retry-after"], "1");
  EXPECT_EQ(client.request("GET", "/health").status, 200);  // served on the loop
  EXPECT_EQ(server_->metrics.shed(), 1);
  EXPECT_EQ(server_->store.stock(1)->remaining_stock, 100);
}

TEST_F(HttpServerTest, InlineEndpointsSkipTheWorkerPool) {
  HttpServerOptions options;
  options.max_in_flight = 0;
  options.inline_endpoints = {Endpoint::coupon_stock};
  start(options);
  HttpClient client(server_->port());
  EXPECT_EQ(client.request("GET", "/api/coupon/1/stock").status, 200);  // not shed: inline
  EXPECT_EQ(client.request("GET", "/api/user/1/coupons").status, 503);  // pool is full
  EXPECT_EQ(server_->metrics.shed(), 1);
}

TEST_F(HttpServerTest, ConcurrentGrabsOverHttpNeverOversell) {
  start();
  constexpr int kClients = 8;
  constexpr int kPerClient = 150;  // 1,200 grabs on a coupon with stock 100
  std::atomic<int> successes{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server_->port());
      for (int i = 0; i < kPerClient; ++i) {
        const int user = 1 + (c * kPerClient + i) % 600;
        auto r = client.request("POST", "/api/coupon/grab",
                                R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": 2})");
        if (r.status != 200) {
          errors.fetch_add(1);
          continue;
        }
        if (json::parse(r.body)["grab_status"] == 1) successes.fetch_add(1);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(successes.load(), 100);
  EXPECT_EQ(server_->store.stock(2)->remaining_stock, 0);
  HttpClient client(server_->port());
  auto global = json::parse(client.request("GET", "/api/statistics/global").body);
  EXPECT_EQ(global["successful_grabs"], 100);
  EXPECT_EQ(global["total_grabs"], kClients * kPerClient);
}

// The fault test: a shard goes down mid-run; its requests get 503, the others 200; when
// it comes back everything is 200 again.
TEST_F(HttpServerTest, ShardDownMidRunThenBack) {
  start();
  std::atomic<bool> stop{false};
  std::atomic<int> ok[4] = {0, 0, 0, 0};
  std::atomic<int> unavailable[4] = {0, 0, 0, 0};
  std::atomic<int> other{0};
  auto load = [&](int first_user) {
    HttpClient client(server_->port());
    for (int user = first_user; !stop.load(); user = user % 1900 + 1) {
      auto r = client.request("GET", "/api/user/" + std::to_string(user) + "/coupons");
      if (r.status == 200) {
        ok[user % 4].fetch_add(1);
      } else if (r.status == 503) {
        unavailable[user % 4].fetch_add(1);
      } else {
        other.fetch_add(1);
      }
    }
  };
  std::thread a(load, 1);
  std::thread b(load, 700);
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  HttpClient admin(server_->port());
  ASSERT_EQ(testing::admin_request(admin, "POST", "/admin/shards/3/offline").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int ok_while_down = ok[0] + ok[1] + ok[2];
  const int down_503 = unavailable[3];
  ASSERT_EQ(testing::admin_request(admin, "POST", "/admin/shards/3/online").status, 200);
  const int ok3_before_recovery = ok[3];
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  stop = true;
  a.join();
  b.join();
  EXPECT_GT(down_503, 0);
  EXPECT_EQ(unavailable[0] + unavailable[1] + unavailable[2], 0);  // only shard 3's users
  EXPECT_GT(ok_while_down, 0);
  EXPECT_GT(ok[3].load(), ok3_before_recovery);  // shard 3 serves again
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(server_->metrics.shard_unavailable(3), unavailable[3].load());
}

TEST_F(HttpServerTest, ADownShardIs503WithRetryAfterAndWithoutTheStoresText) {
  start();
  HttpClient client(server_->port());
  ASSERT_EQ(testing::admin_request(client, "POST", "/admin/shards/1/offline").status, 200);
  auto down = client.request("GET", "/api/user/5/coupons");  // 5 mod 4: shard 1
  ASSERT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.headers["retry-after"], "1");
  EXPECT_EQ(json::parse(down.body)["shard"], 1);
  EXPECT_EQ(down.body.find(server_->dir.path().string()), std::string::npos) << down.body;
  const auto up = client.request("GET", "/api/user/6/coupons");
  EXPECT_EQ(up.status, 200);
  EXPECT_EQ(up.headers.count("retry-after"), 0u);
}

TEST_F(HttpServerTest, RefusesAPortThatIsAlreadyServed) {
  start();
  HttpServerOptions options;
  options.port = server_->port();
  options.threads = 2;
  HttpServer second(server_->router, server_->metrics, options);
  EXPECT_THROW(second.start(), std::system_error);
}

TEST_F(HttpServerTest, StopIsIdempotentAndRefusesNewConnections) {
  start();
  const auto port = server_->port();
  server_->server.stop();
  server_->server.stop();
  EXPECT_THROW(HttpClient client(port), std::runtime_error);
}

}  // namespace
}  // namespace stampede::server
