// The admin endpoints over real HTTP (issue 20): the headers reach the guard through the
// server, refusals are JSON with the right status, and a refused request changes nothing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reference-server/tests/admin_requests.h"
#include "reference-server/tests/test_server.h"

namespace stampede::server {
namespace {

using nlohmann::json;
using testing::admin_headers;
using testing::Headers;
using testing::HttpClient;
using testing::kTestAdminToken;
using testing::request_with;

class AdminHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::TestServerSetup setup;
    setup.users = 200;
    setup.rooms = 4;
    setup.max_body_bytes = 16 * 1024;
    setup.fault_injection = true;
    setup.admin_token = kTestAdminToken;
    server_ = std::make_unique<testing::TestServer>(setup);
    client_ = std::make_unique<HttpClient>(server_->port());
    // One stored grab, so that a reset that got through would show.
    ASSERT_EQ(client_->request("POST", "/api/coupon/grab", R"({"user_id": 5, "coupon_id": 1})").status, 200);
  }
  void TearDown() override { client_.reset(); }

  std::int64_t stored_grabs() {
    return json::parse(client_->request("GET", "/api/statistics/global").body)["total_grabs"].get<std::int64_t>();
  }
  // The admin headers with one of them replaced (an empty value drops it).
  static Headers with(const std::string& name, const std::string& value) {
    Headers headers;
    for (auto& h : admin_headers()) {
      if (h.first != name) headers.push_back(h);
    }
    if (!value.empty()) headers.emplace_back(name, value);
    return headers;
  }
  testing::ClientResponse post_reset(const Headers& headers, const std::string& body = "") {
    return request_with(*client_, "POST", "/admin/reset", headers, body);
  }
  static std::string error_of(const testing::ClientResponse& r) {
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    return json::parse(r.body).at("error").get<std::string>();
  }

  std::unique_ptr<testing::TestServer> server_;
  std::unique_ptr<HttpClient> client_;
};

// The issue's reproduction: a web page's text/plain POST through a rebound name.
TEST_F(AdminHttpTest, TheIssuesCsrfRequestIsRefusedAndResetsNothing) {
  const auto r = post_reset({{"Host", "attacker.example"}, {"Origin", "http://evil.example"},
                             {"Content-Type", "text/plain"}},
                            "x");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_of(r), "host not allowed");
  EXPECT_EQ(stored_grabs(), 1);
}

TEST_F(AdminHttpTest, ForeignHostIsRefusedOnEveryAdminRoute) {
  const auto r = post_reset(with("Host", "attacker.example:8000"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_of(r), "host not allowed");
  EXPECT_NE(r.body.find("attacker.example:8000"), std::string::npos) << r.body;
  EXPECT_EQ(request_with(*client_, "GET", "/admin/stats", with("Host", "attacker.example")).status, 403);
  EXPECT_EQ(request_with(*client_, "GET", "/admin/shards/status", with("Host", "127.0.0.1.nip.io")).status, 403);
  EXPECT_EQ(stored_grabs(), 1);
}

TEST_F(AdminHttpTest, ForeignOriginIs403) {
  const auto r = post_reset(with("Origin", "http://evil.example"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(error_of(r), "cross-origin admin request refused");
  EXPECT_EQ(stored_grabs(), 1);
  EXPECT_EQ(post_reset(with("Origin", "http://127.0.0.1")).status, 200) << "its own origin may";
}

TEST_F(AdminHttpTest, PostsThatAreNotJsonAre415) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", ""}) {
    const auto r = post_reset(with("Content-Type", type), "x");
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(error_of(r), "unsupported media type");
  }
  EXPECT_EQ(post_reset(with("Content-Type", "")).status, 415) << "an empty POST without a type too";
  EXPECT_EQ(stored_grabs(), 1);
}

TEST_F(AdminHttpTest, MissingOrWrongTokenIs401WithAChallenge) {
  auto r = post_reset(with("Authorization", ""));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_of(r), "admin token required");
  EXPECT_TRUE(r.headers["www-authenticate"].starts_with("Bearer")) << r.headers["www-authenticate"];
  r = post_reset(with("Authorization", "Bearer not-the-token-0123456789"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_of(r), "invalid admin token");
  EXPECT_EQ(stored_grabs(), 1);

  EXPECT_EQ(request_with(*client_, "GET", "/admin/reshard", with("Authorization", "")).status, 401);
  EXPECT_EQ(request_with(*client_, "POST", "/admin/shards/1/offline", with("Authorization", "")).status, 401);
  const auto status = json::parse(client_->request("GET", "/admin/shards/status").body);
  EXPECT_TRUE(status["shards"][1]["up"]) << "a refused offline takes nothing offline";
}

TEST_F(AdminHttpTest, TheRightTokenIs200) {
  const auto r = post_reset(admin_headers());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.count("www-authenticate"), 0u);
  EXPECT_EQ(stored_grabs(), 0);
  EXPECT_EQ(request_with(*client_, "GET", "/admin/reshard?to=5", admin_headers()).status, 200);
  EXPECT_EQ(request_with(*client_, "POST", "/admin/shards/1/offline", admin_headers()).status, 200);
  EXPECT_EQ(request_with(*client_, "POST", "/admin/shards/1/online", admin_headers()).status, 200);
}

// The coupon study's admin users (its Locust file, scenarios/coupon.json) send no token.
TEST_F(AdminHttpTest, TheStudysReadsNeedNoToken) {
  EXPECT_EQ(client_->request("GET", "/admin/stats").status, 200);
  EXPECT_EQ(client_->request("GET", "/admin/shards/status").status, 200);
  const std::string port = std::to_string(server_->port());
  EXPECT_EQ(request_with(*client_, "GET", "/admin/stats", {{"Host", "localhost:" + port}}).status, 200);
  EXPECT_EQ(request_with(*client_, "GET", "/admin/shards/status", {{"Host", "[::1]:" + port}}).status, 200);
}

TEST_F(AdminHttpTest, ShardStatusShowsNoAbsolutePath) {
  const auto r = client_->request("GET", "/admin/shards/status");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(server_->dir.path().string()), std::string::npos) << r.body;
  const auto body = json::parse(r.body);
  EXPECT_EQ(body["main"], "main.db");
  ASSERT_EQ(body["shards"].size(), 4u);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(body["shards"][k]["address"], "shard-" + std::to_string(k) + ".db");
}

}  // namespace
}  // namespace stampede::server
