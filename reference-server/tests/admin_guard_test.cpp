// The admin guard without I/O: which routes it covers, which Hosts name this server, and
// the order and kind of its refusals (issue 20: CSRF, DNS rebinding, no token).
#include "reference-server/admin_guard.h"

#include <gtest/gtest.h>

namespace stampede::server {
namespace {

constexpr std::string_view kToken = "guard-test-token-0123456789";

AdminPolicy policy() { return AdminPolicy{std::string(kToken), {"lab.example", "[fd00::5]"}}; }

// What curl or the lab sends: loopback Host, JSON, the token.
AdminHeaders good() { return {"127.0.0.1:8000", "", "application/json", "Bearer guard-test-token-0123456789"}; }

std::optional<AdminRefusal> check(Endpoint endpoint, std::string_view method, const AdminHeaders& headers) {
  return check_admin_request(policy(), endpoint, method, headers);
}

TEST(AdminGuard, CoversEveryAdminRouteAndOnlyThose) {
  EXPECT_EQ(admin_access(Endpoint::admin_stats), AdminAccess::open);
  EXPECT_EQ(admin_access(Endpoint::shards_status), AdminAccess::open);
  EXPECT_EQ(admin_access(Endpoint::admin_reset), AdminAccess::token);
  EXPECT_EQ(admin_access(Endpoint::admin_shard_fault), AdminAccess::token);
  EXPECT_EQ(admin_access(Endpoint::admin_reshard), AdminAccess::token);
  for (Endpoint e : {Endpoint::grab, Endpoint::global_stats, Endpoint::health, Endpoint::metrics,
                     Endpoint::not_found}) {
    EXPECT_EQ(admin_access(e), AdminAccess::none) << endpoint_name(e);
    EXPECT_FALSE(check(e, "POST", {})) << endpoint_name(e) << ": the load's routes need nothing";
  }
  // Every /admin endpoint the router knows is classified (a new one can't slip through open).
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    const auto endpoint = static_cast<Endpoint>(e);
    if (endpoint_name(endpoint).starts_with("admin_") || endpoint == Endpoint::shards_status) {
      EXPECT_NE(admin_access(endpoint), AdminAccess::none) << endpoint_name(endpoint);
    }
  }
}

TEST(AdminGuard, LoopbackBindAndAllowedHostsOnly) {
  const AdminPolicy p = policy();
  for (const char* host : {"localhost", "localhost:8000", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8000",
                           "127.1.2.3:80", "[::1]", "[::1]:8000", "[0:0:0:0:0:0:0:1]:9", "lab.example",
                           "Lab.Example:8000", "[fd00::5]:80", "[FD00:0::5]"}) {
    EXPECT_TRUE(host_allowed(p, host)) << host;
  }
  for (const char* host : {"", "attacker.example", "attacker.example:8000", "localhost.attacker.example",
                           "127.0.0.1.nip.io", "10.0.0.5", "[fd00::6]", "127.0.0.1:", "127.0.0.1:80x",
                           "127.0.0.1:123456", "127.0.0.1@evil", "[::1", "[::1]x", "[evil]", "lab.example.",
                           "0.0.0.0", "127.0.0.1 ", "local host"}) {
    EXPECT_FALSE(host_allowed(p, host)) << "'" << host << "'";
  }
}

TEST(AdminGuard, LoopbackAddresses) {
  for (const char* a : {"127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"}) {
    EXPECT_TRUE(is_loopback_address(a)) << a;
  }
  for (const char* a : {"0.0.0.0", "::", "10.1.2.3", "128.0.0.1", "localhost", "[::1]", "", "::ffff:10.0.0.1"}) {
    EXPECT_FALSE(is_loopback_address(a)) << a;
  }
}

TEST(AdminGuard, NormalizesAllowedHosts) {
  EXPECT_EQ(normalize_allowed_host("Lab.Example"), "lab.example");
  EXPECT_EQ(normalize_allowed_host("::1"), "[::1]");
  EXPECT_EQ(normalize_allowed_host("[FD00:0:0::5]"), "[fd00::5]");
  EXPECT_EQ(normalize_allowed_host("192.168.1.20"), "192.168.1.20");
  for (const char* bad : {"", "http://lab.example", "lab.example:8000", "lab.example/x", "[nope]", "a b"}) {
    EXPECT_FALSE(normalize_allowed_host(bad)) << bad;
  }
}

TEST(AdminGuard, ForeignHostIsRefusedEvenWithTheToken) {
  AdminHeaders h = good();
  h.host = "attacker.example";
  for (Endpoint e : {Endpoint::admin_reset, Endpoint::admin_stats, Endpoint::shards_status}) {
    const auto refusal = check(e, e == Endpoint::admin_reset ? "POST" : "GET", h);
    ASSERT_TRUE(refusal) << endpoint_name(e);
    EXPECT_EQ(refusal->status, 403);
    EXPECT_EQ(refusal->error, "host not allowed");
    EXPECT_NE(refusal->detail.find("'attacker.example'"), std::string::npos) << refusal->detail;
  }
  h.host = "";
  ASSERT_TRUE(check(Endpoint::admin_stats, "GET", h));
  EXPECT_EQ(check(Endpoint::admin_stats, "GET", h)->status, 403);
}

TEST(AdminGuard, ForeignOriginIsRefusedOwnOriginIsNot) {
  AdminHeaders h = good();
  h.origin = "http://evil.example";
  auto refusal = check(Endpoint::admin_reset, "POST", h);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 403);
  EXPECT_EQ(refusal->error, "cross-origin admin request refused");
  for (const char* foreign : {"null", "http://127.0.0.1:9000", "http://127.0.0.1", "http://127.0.0.1:8000.evil"}) {
    h.origin = foreign;
    EXPECT_TRUE(check(Endpoint::admin_stats, "GET", h)) << foreign;
  }
  for (const char* own : {"http://127.0.0.1:8000", "HTTP://127.0.0.1:8000", "https://127.0.0.1:8000"}) {
    h.origin = own;
    EXPECT_FALSE(check(Endpoint::admin_reset, "POST", h)) << own;
  }
}

TEST(AdminGuard, PostsMustBeJson) {
  AdminHeaders h = good();
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                           "", "application/jsonx", "text/json"}) {
    h.content_type = type;
    const auto refusal = check(Endpoint::admin_reset, "POST", h);
    ASSERT_TRUE(refusal) << type;
    EXPECT_EQ(refusal->status, 415) << type;
  }
  for (const char* type : {"application/json", "Application/JSON; charset=utf-8", " application/json ;x=y"}) {
    h.content_type = type;
    EXPECT_FALSE(check(Endpoint::admin_shard_fault, "POST", h)) << type;
  }
  h.content_type = "";
  EXPECT_FALSE(check(Endpoint::admin_reshard, "GET", h)) << "a GET has no body to type";
}

TEST(AdminGuard, TokenRoutesNeedTheBearerToken) {
  AdminHeaders h = good();
  h.authorization = "";
  auto refusal = check(Endpoint::admin_reset, "POST", h);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 401);
  EXPECT_EQ(refusal->error, "admin token required");
  for (const char* wrong : {"Bearer guard-test-token-012345678", "Bearer guard-test-token-0123456789x",
                            "Bearer GUARD-TEST-TOKEN-0123456789", "Basic guard-test-token-0123456789",
                            "guard-test-token-0123456789", "Bearer", "Bearer "}) {
    h.authorization = wrong;
    refusal = check(Endpoint::admin_reshard, "GET", h);
    ASSERT_TRUE(refusal) << wrong;
    EXPECT_EQ(refusal->status, 401) << wrong;
  }
  for (const char* right : {"Bearer guard-test-token-0123456789", "bearer  guard-test-token-0123456789 "}) {
    h.authorization = right;
    EXPECT_FALSE(check(Endpoint::admin_reshard, "GET", h)) << right;
  }
  h.authorization = "";
  EXPECT_FALSE(check(Endpoint::admin_stats, "GET", h)) << "the study's Locust file reads stats without one";
  EXPECT_FALSE(check(Endpoint::shards_status, "GET", h));
}

TEST(AdminGuard, NoTokenConfiguredRefusesEveryTokenRoute) {
  const AdminPolicy none;
  AdminHeaders h = good();
  h.authorization = "Bearer ";
  ASSERT_TRUE(check_admin_request(none, Endpoint::admin_reset, "POST", h));
  h.authorization = "Bearer x";
  EXPECT_EQ(check_admin_request(none, Endpoint::admin_reset, "POST", h)->status, 401);
  EXPECT_FALSE(check_admin_request(none, Endpoint::admin_stats, "GET", h));
}

TEST(AdminGuard, ChecksRunHostOriginTypeToken) {
  AdminHeaders h{"evil.example", "http://evil.example", "text/plain", ""};
  EXPECT_EQ(check(Endpoint::admin_reset, "POST", h)->error, "host not allowed");
  h.host = "localhost:8000";
  EXPECT_EQ(check(Endpoint::admin_reset, "POST", h)->error, "cross-origin admin request refused");
  h.origin = "http://localhost:8000";
  EXPECT_EQ(check(Endpoint::admin_reset, "POST", h)->status, 415);
  h.content_type = "application/json";
  EXPECT_EQ(check(Endpoint::admin_reset, "POST", h)->status, 401);
}

TEST(AdminGuard, TokensEqual) {
  EXPECT_TRUE(tokens_equal("abcdef", "abcdef"));
  EXPECT_FALSE(tokens_equal("abcdeF", "abcdef"));
  EXPECT_FALSE(tokens_equal("abcde", "abcdef"));
  EXPECT_FALSE(tokens_equal("abcdefg", "abcdef"));
  EXPECT_FALSE(tokens_equal(std::string_view("abc\0ef", 6), "abc"));
  EXPECT_FALSE(tokens_equal("", "")) << "no token configured matches nothing";
}

}  // namespace
}  // namespace stampede::server
