// The rate limiter (rate_limit.h): the flags' grammar with errors naming the flag, the
// token bucket's numbers on an injected clock (no sleeping), the keys per user and per
// address, and a server that answers 429 with Retry-After and a JSON body, counted in
// /metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reference-server/rate_limit.h"
#include "reference-server/tests/http_client.h"
#include "reference-server/tests/test_server.h"

namespace stampede::server {
namespace {

using namespace std::chrono_literals;
using Time = TokenBucket::Time;

const Time t0 = Time{} + 1000s;

std::string problems_of(const std::string& rate, const std::string& burst, const std::string& by) {
  std::vector<std::string> problems;
  parse_rate_limit(rate, burst, by, problems);
  std::string all;
  for (const auto& p : problems) all += p + "\n";
  return all;
}

TEST(RateLimitFlags, RatesBurstsAndKeys) {
  std::vector<std::string> problems;
  RateLimitConfig c = parse_rate_limit("50/s", "10", "address", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_DOUBLE_EQ(c.rate_per_s, 50);
  EXPECT_DOUBLE_EQ(c.burst, 10);
  EXPECT_EQ(c.by, RateLimitBy::kAddress);
  EXPECT_EQ(c.rate_text, "50/s");
  c = parse_rate_limit("300/min", "", "user", problems);
  EXPECT_DOUBLE_EQ(c.rate_per_s, 5);
  EXPECT_DOUBLE_EQ(c.burst, 5) << "default burst: one second of the rate";
  EXPECT_EQ(c.by, RateLimitBy::kUser);
  c = parse_rate_limit("0.5/s", "", "user", problems);
  EXPECT_DOUBLE_EQ(c.burst, 1) << "at least one";
  c = parse_rate_limit("2k/s", "", "user", problems);
  EXPECT_DOUBLE_EQ(c.rate_per_s, 2000);
  EXPECT_TRUE(problems.empty());
  EXPECT_FALSE(parse_rate_limit("", "", "user", problems).enabled());
  EXPECT_TRUE(problems.empty());
}

TEST(RateLimitFlags, BadValuesNameTheirFlag) {
  EXPECT_EQ(problems_of("5", "", "user"), "--rate-limit: expected a rate like 5/s or 300/min, got '5'\n");
  EXPECT_EQ(problems_of("5/h", "", "user"), "--rate-limit: expected a rate like 5/s or 300/min, got '5/h'\n");
  EXPECT_EQ(problems_of("-5/s", "", "user"), "--rate-limit: expected a rate like 5/s or 300/min, got '-5/s'\n");
  EXPECT_EQ(problems_of("0/s", "", "user"), "--rate-limit: expected 1/min .. 1M/s, got '0/s'\n");
  EXPECT_EQ(problems_of("5/s", "0", "user"), "--rate-limit-burst: expected a whole number of requests 1 .. 1M, got '0'\n");
  EXPECT_EQ(problems_of("5/s", "2.5", "user"), "--rate-limit-burst: expected a whole number of requests 1 .. 1M, got '2.5'\n");
  EXPECT_EQ(problems_of("5/s", "", "ip"), "--rate-limit-by: expected user or address, got 'ip'\n");
  EXPECT_EQ(problems_of("", "10", "user"), "--rate-limit-burst: needs --rate-limit\n");
}

TEST(TokenBucket, StartsFullTakesOneEachAndRefillsAtTheRate) {
  TokenBucket b(5, 10, t0);  // 5/s, burst 10
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(b.take(t0)) << i;
  EXPECT_FALSE(b.take(t0)) << "the burst is spent";
  EXPECT_DOUBLE_EQ(b.seconds_until_token(t0), 0.2);
  EXPECT_FALSE(b.take(t0 + 199ms));
  EXPECT_TRUE(b.take(t0 + 200ms)) << "one token every 1/5 s";
  EXPECT_FALSE(b.take(t0 + 200ms));
  EXPECT_TRUE(b.full(t0 + 200ms + 2s)) << "10 tokens in 2 s";
  EXPECT_FALSE(b.full(t0 + 200ms + 1900ms));
  EXPECT_DOUBLE_EQ(b.tokens(t0 + 1h), 10) << "never more than the burst";
}

TEST(TokenBucket, OverTSecondsAcceptsBurstPlusRateTimesT) {
  // A client sending 200/s for 10 s at 50/s, burst 10: 10 + 50 * 10 accepted.
  TokenBucket b(50, 10, t0);
  int accepted = 0;
  for (int i = 0; i < 2000; ++i) accepted += b.take(t0 + i * 5ms) ? 1 : 0;  // t0 .. t0 + 9.995 s
  EXPECT_GE(accepted, 10 + 50 * 10 - 1);
  EXPECT_LE(accepted, 10 + 50 * 10);
}

TEST(RateLimiter, OneBucketPerKeyAndRetryAfterInWholeSeconds) {
  std::vector<std::string> problems;
  RateLimiter limiter(parse_rate_limit("1/s", "2", "user", problems));
  EXPECT_FALSE(limiter.check("7", t0).limited);
  EXPECT_FALSE(limiter.check("7", t0).limited);
  const RateDecision d = limiter.check("7", t0);
  EXPECT_TRUE(d.limited);
  EXPECT_EQ(d.retry_after_s, 1);
  EXPECT_FALSE(limiter.check("8", t0).limited) << "another user has its own bucket";
  EXPECT_FALSE(limiter.check("7", t0 + 1s).limited);
  EXPECT_EQ(limiter.allowed(), 4u);
  EXPECT_EQ(limiter.limited(), 1u);
  EXPECT_EQ(limiter.keys(), 2u);

  RateLimiter slow(parse_rate_limit("2/min", "1", "user", problems));
  EXPECT_FALSE(slow.check("1", t0).limited);
  EXPECT_EQ(slow.check("1", t0).retry_after_s, 30) << "a token every 30 s";
  EXPECT_EQ(slow.check("1", t0 + 29500ms).retry_after_s, 1) << "rounded up, at least 1";
  EXPECT_EQ(retry_after_text(30), "30");
}

TEST(RateLimiter, FullBucketsArePrunedAndTheOverflowIsShared) {
  std::vector<std::string> problems;
  // Pruning from 8 keys a stripe; 64 keys a stripe on average, all of them empty at t0.
  RateLimiter limiter(parse_rate_limit("1/s", "1", "user", problems), 8, 1'000);
  const std::size_t keys = RateLimiter::kStripes * 64;
  for (std::size_t i = 0; i < keys; ++i) EXPECT_FALSE(limiter.check(std::to_string(i), t0).limited);
  EXPECT_EQ(limiter.keys(), keys) << "none full at t0: none dropped";
  limiter.check("new", t0 + 2s);  // every bucket has refilled: the new key's stripe drops them
  EXPECT_LT(limiter.keys(), keys);
  EXPECT_EQ(limiter.overflowed(), 0u);

  // At most 16 keys a stripe: the rest share the overflow bucket (burst 1).
  RateLimiter small(parse_rate_limit("1/s", "1", "user", problems), 8, 16);
  std::uint64_t limited = 0;
  for (std::size_t i = 0; i < keys; ++i) limited += small.check(std::to_string(i), t0).limited ? 1 : 0;
  EXPECT_EQ(small.keys(), RateLimiter::kStripes * 16);
  EXPECT_EQ(small.overflowed(), keys - RateLimiter::kStripes * 16);
  EXPECT_EQ(limited, small.overflowed() - 1) << "one token in the shared bucket";
}

TEST(RateLimiter, KeysByUserAndByAddress) {
  std::vector<std::string> problems;
  const RateLimiter by_user(parse_rate_limit("1/s", "", "user", problems));
  EXPECT_EQ(by_user.key_of(Endpoint::grab, "/api/grab", R"({"user_id": 17, "coupon_id": 3})", "127.0.0.1"), "17");
  EXPECT_EQ(by_user.key_of(Endpoint::user_coupons, "/api/user/42/coupons?limit=5", "", "127.0.0.1"), "42");
  EXPECT_EQ(by_user.key_of(Endpoint::grab, "/api/grab", R"({"coupon_id": 3})", "127.0.0.1"), std::nullopt);
  EXPECT_EQ(by_user.key_of(Endpoint::grab, "/api/grab", "not json", "127.0.0.1"), std::nullopt);
  EXPECT_EQ(by_user.key_of(Endpoint::coupon_stock, "/api/coupon/3/stock", "", "127.0.0.1"), std::nullopt)
      << "about no user";
  const RateLimiter by_address(parse_rate_limit("1/s", "", "address", problems));
  EXPECT_EQ(by_address.key_of(Endpoint::coupon_stock, "/api/coupon/3/stock", "", "127.0.0.1"), "127.0.0.1");
  for (Endpoint e : {Endpoint::health, Endpoint::metrics, Endpoint::admin_stats, Endpoint::not_found})
    EXPECT_EQ(by_address.key_of(e, "/health", "", "127.0.0.1"), std::nullopt) << endpoint_name(e);
}

TEST(RateLimitHttp, OverTheLimitIs429WithRetryAfterAndAJsonBodyCountedInMetrics) {
  std::vector<std::string> problems;
  RateLimiter limiter(parse_rate_limit("1/min", "3", "user", problems));
  HttpServerOptions http;
  http.rate_limiter = &limiter;
  testing::TestServer server(testing::TestServerSetup{}, http);
  testing::HttpClient client(server.port());
  const std::string grab = R"({"user_id": 5, "coupon_id": 1})";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client.request("POST", "/api/coupon/grab", grab).status, 200) << i;
  const auto refused = client.request("POST", "/api/coupon/grab", grab);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.headers.at("retry-after"), "60") << "a token every 60 s";
  const auto body = nlohmann::json::parse(refused.body);
  EXPECT_EQ(body.at("error"), "rate limited");
  EXPECT_EQ(body.at("limit"), "1/min");
  EXPECT_EQ(body.at("burst"), 3);
  EXPECT_EQ(body.at("by"), "user");
  EXPECT_EQ(body.at("retry_after_s"), 60);
  EXPECT_EQ(client.request("GET", "/api/user/5/coupons").status, 429) << "the same user's bucket";
  EXPECT_EQ(client.request("POST", "/api/coupon/grab", R"({"user_id": 6, "coupon_id": 1})").status, 200);
  EXPECT_EQ(client.request("GET", "/health").status, 200);
  EXPECT_EQ(server.metrics.rate_limited(Endpoint::grab), 1);
  EXPECT_EQ(server.metrics.rate_limited(Endpoint::user_coupons), 1);
  const auto metrics = client.request("GET", "/metrics");
  EXPECT_NE(metrics.body.find("stampede_server_rate_limited_total{endpoint=\"grab\"} 1"), std::string::npos);
}

TEST(RateLimitHttp, ByAddressOneBucketForTheClientAndAdminStatsShowsIt) {
  std::vector<std::string> problems;
  RateLimiter limiter(parse_rate_limit("1/min", "2", "address", problems));
  HttpServerOptions http;
  http.rate_limiter = &limiter;
  testing::TestServerSetup setup;
  testing::TestServer server(setup, http);
  // /admin/stats reads the limiter through the router's options; the TestServer's router was
  // made without it, so ask one that has it, on the same store and metrics.
  RouterOptions options = server.router.options();
  options.rate_limiter = &limiter;
  Router router(server.store, options, server.metrics, nullptr);
  testing::HttpClient client(server.port());
  EXPECT_EQ(client.request("GET", "/api/coupon/1/stock").status, 200);
  EXPECT_EQ(client.request("POST", "/api/coupon/grab", R"({"user_id": 9, "coupon_id": 1})").status, 200);
  const auto refused = client.request("GET", "/api/coupon/1/stock");
  EXPECT_EQ(refused.status, 429) << "one bucket for 127.0.0.1, whatever the user";
  EXPECT_EQ(nlohmann::json::parse(refused.body).at("by"), "address");
  const HttpResponse stats = router.handle({"GET", "/admin/stats", "", {"127.0.0.1", "", "", ""}});
  ASSERT_EQ(stats.status, 200) << stats.body;
  const auto doc = nlohmann::json::parse(stats.body).at("rate_limit");
  EXPECT_EQ(doc.at("limit"), "1/min");
  EXPECT_EQ(doc.at("by"), "address");
  EXPECT_EQ(doc.at("allowed"), 2);
  EXPECT_EQ(doc.at("limited"), 1);
  EXPECT_EQ(doc.at("limited_by_endpoint").at("coupon_stock"), 1);
  EXPECT_EQ(doc.at("keys"), 1);
  const HttpResponse without = server.router.handle({"GET", "/admin/stats", "", {"127.0.0.1", "", "", ""}});
  EXPECT_TRUE(nlohmann::json::parse(without.body).at("rate_limit").is_null());
}

}  // namespace
}  // namespace stampede::server
