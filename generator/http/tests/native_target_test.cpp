// resolve_native_target: the native transport's target (http:// or https://), resolved once
// before the run and never for longer than its timeout.
#include <stdexcept>

#include <gtest/gtest.h>

#include "generator/http/native_connection.h"
#include "generator/http/tls_client.h"
#include "generator/http/transport_context.h"

namespace stampede::http {
namespace {
using namespace std::chrono_literals;

TEST(NativeTarget, NumericAddressesNeedNoResolver) {
  // A zero timeout: a numeric address is taken as it is, never waited for.
  NativeTarget v4 = resolve_native_target("http://127.0.0.1:8080", 0ms);
  EXPECT_EQ(v4.addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(v4.port, 8080);
  EXPECT_EQ(v4.host_header, "127.0.0.1:8080");
  EXPECT_FALSE(v4.resolve_timed_out);
  NativeTarget v6 = resolve_native_target("http://[::1]", 0ms);
  EXPECT_EQ(v6.addresses, std::vector<std::string>{"::1"});
  EXPECT_EQ(v6.port, 80);
}

TEST(NativeTarget, NamesAreResolved) {
  NativeTarget local = resolve_native_target("http://localhost:9", 5s);
  EXPECT_FALSE(local.addresses.empty());
  EXPECT_FALSE(local.resolve_timed_out);
}

TEST(NativeTarget, HttpsTargetsCarryTheirHostAndATlsContext) {
  NativeTarget plain = resolve_native_target("http://127.0.0.1", 0ms);
  EXPECT_EQ(plain.tls, nullptr);
  NativeTarget https = resolve_native_target("https://127.0.0.1", 0ms);
  EXPECT_EQ(https.port, 443);
  EXPECT_EQ(https.host, "127.0.0.1");
  ASSERT_NE(https.tls, nullptr);
  EXPECT_TRUE(https.tls->verifies());
  NativeTarget v6 = resolve_native_target("https://[::1]:8443", 0ms, TlsOptions{.verify = false, .ca_file = {}});
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.host_header, "[::1]:8443");
  EXPECT_FALSE(v6.tls->verifies());
}

TEST(NativeTarget, WhatIsNotHttpOrHttpsHostPortIsRefused) {
  for (const char* url : {"ftp://127.0.0.1", "http://", "https://", "http://127.0.0.1/path", "http://[::1",
                          "http://h:0", "http://h:65536", "http://h:x", "https://h:x"})
    EXPECT_THROW(resolve_native_target(url, 1s), std::invalid_argument) << url;
}

}  // namespace
}  // namespace stampede::http
