// HTTP/1.1 conformance and input limits of the server, byte by byte over a plain socket:
// Expect: 100-continue, malformed framing (400 + Connection: close, never a silent close),
// 408 / 413 / 414 / 417 / 431 / 501, slowloris, pipelining, paths that must not reach
// admin, ids out of the int64 range. An HttpServer on an ephemeral port, a temporary
// SQLite store. Timeouts appear only as generous bounds.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reference-server/tests/http_client.h"
#include "reference-server/tests/test_server.h"

namespace stampede::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using testing::ClientResponse;
using testing::HttpClient;

std::string grab_body(int user, int coupon) {
  return R"({"user_id": )" + std::to_string(user) + R"(, "coupon_id": )" + std::to_string(coupon) + "}";
}

std::string post(const std::string& target, const std::string& body, const std::string& extra = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

class HttpConformanceTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}) {
    server_ = std::make_unique<testing::TestServer>(testing::TestServerSetup{}, options);
  }

  // Sends `raw` on a new connection and returns the answer.
  ClientResponse exchange(const std::string& raw) {
    HttpClient c(server_->port());
    EXPECT_TRUE(c.send(raw));
    return c.read_response();
  }

  // `raw` is refused with `status`: a JSON error naming the problem, Connection: close,
  // and the connection is then closed.
  void expect_refused(const std::string& raw, int status, const std::string& what) {
    HttpClient c(server_->port());
    ASSERT_TRUE(c.send(raw)) << what;
    ClientResponse reply = c.read_response();
    ASSERT_EQ(reply.status, status) << what << " (0: closed without an answer)";
    EXPECT_EQ(reply.headers["connection"], "close") << what;
    EXPECT_EQ(reply.headers["content-type"], "application/json") << what;
    const json body = json::parse(reply.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << what << ": " << reply.body;
    EXPECT_TRUE(body["error"].is_string()) << what << ": " << reply.body;
    ASSERT_TRUE(body["details"].is_array()) << what << ": " << reply.body;
    EXPECT_FALSE(body["details"].empty()) << what;
    EXPECT_TRUE(c.closed_by_peer()) << what << ": the connection stays open after the refusal";
  }

  std::unique_ptr<testing::TestServer> server_;
};

TEST_F(HttpConformanceTest, Expect100ContinueIsAnsweredBeforeTheBody) {
  start();
  HttpClient c(server_->port());
  const std::string body = grab_body(6, 1);
  const std::string raw = post("/api/coupon/grab", body, "Expect: 100-continue\r\n");
  ASSERT_TRUE(c.send(raw.substr(0, raw.size() - body.size())));  // the header only
  const ClientResponse interim = c.read_response();
  ASSERT_EQ(interim.status, 100) << "no 100 Continue: the client waits for nothing";
  EXPECT_TRUE(interim.body.empty());
  ASSERT_TRUE(c.send(body));
  const ClientResponse grab = c.read_response();
  ASSERT_EQ(grab.status, 200) << grab.body;
  EXPECT_EQ(json::parse(grab.body)["grab_status"], 1);
  EXPECT_EQ(c.send(get("/health")) ? c.read_response().status : 0, 200);  // still keep-alive
}

TEST_F(HttpConformanceTest, ExpectWithATooLargeBodyIsRefusedWithoutReadingIt) {
  start();
  // The body is never sent: the 413 must come from the header alone, and no 100 first.
  expect_refused(
      "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n", 413,
      "Expect with Content-Length 5000");
}

TEST_F(HttpConformanceTest, UnknownExpectationIs417) {
  start();
  expect_refused(post("/api/coupon/grab", grab_body(1, 1), "Expect: 200-ok\r\n"), 417, "Expect: 200-ok");
}

TEST_F(HttpConformanceTest, MalformedFramingGets400NotASilentClose) {
  start();
  const std::string body = grab_body(1, 1);
  const std::string size = std::to_string(body.size());
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"conflicting Content-Length",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\nContent-Length: 3\r\n\r\n" + body},
      {"Content-Length list with two values",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + ", 3\r\n\r\n" + body},
      {"Content-Length not a number", "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"},
      {"negative Content-Length", "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"},
      {"Content-Length over 2^64",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n"},
      {"Transfer-Encoding not ending in chunked",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + body},
      {"Transfer-Encoding with Content-Length",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: " + size +
           "\r\n\r\n" + body},
      {"Content-Length then Transfer-Encoding",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: " + size +
           "\r\nTransfer-Encoding: chunked\r\n\r\n" + body},
      {"Transfer-Encoding in HTTP/1.0",
       "POST /api/coupon/grab HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
      {"HTTP/1.1 without Host", "GET /health HTTP/1.1\r\n\r\n"},
      {"two Host headers", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
      {"garbage request line", "HELLO\r\n\r\n"},
      {"space in the target", "GET /he alth HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"header line without a colon", "GET /health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"},
      {"bad chunk size",
       "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n"},
  };
  for (const auto& [what, raw] : cases) expect_refused(raw, 400, what);
  EXPECT_EQ(server_->store.stock(1)->remaining_stock, 100);  // none of them was served
}

TEST_F(HttpConformanceTest, UnsupportedTransferCodingIs501AndUnsupportedVersion505) {
  start();
  const std::string body = grab_body(1, 1);
  expect_refused("POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501,
                 "gzip, chunked");
  expect_refused("GET /health HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP/2.0 in an HTTP/1 request line");
  expect_refused("GET /health HTTP/1.x\r\nHost: x\r\n\r\n", 400, "a version that is not one");
}

TEST_F(HttpConformanceTest, LegitimateFramingVariantsAreServed) {
  start();
  const std::string body = grab_body(6, 1);
  std::string chunked = "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  chunked += "5\r\n" + body.substr(0, 5) + "\r\n";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size() - 5);
  chunked += std::string(size) + "\r\n" + body.substr(5) + "\r\n0\r\n\r\n";
  const ClientResponse by_chunks = exchange(chunked);
  ASSERT_EQ(by_chunks.status, 200) << by_chunks.body;
  EXPECT_EQ(json::parse(by_chunks.body)["user_id"], 6);

  // The same length twice is one length (RFC 9110 8.6 allows either; we accept).
  const std::string length = std::to_string(grab_body(7, 1).size());
  EXPECT_EQ(exchange("POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: " + length +
                     "\r\nContent-Length: " + length + "\r\n\r\n" + grab_body(7, 1))
                .status,
            200);
  EXPECT_EQ(exchange("GET /health HTTP/1.0\r\n\r\n").status, 200);  // no Host needed in 1.0
  EXPECT_EQ(exchange("GET /health?x=" + std::string(4000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n").status, 200);
}

TEST_F(HttpConformanceTest, BodiesOverTheLimitGet413) {
  start();
  expect_refused(post("/api/coupon/grab", std::string(5000, 'x')), 413, "Content-Length 5000");
  std::string chunked = "POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "190\r\n" + std::string(400, 'x') + "\r\n";  // 2,000 bytes
  chunked += "0\r\n\r\n";
  expect_refused(chunked, 413, "chunked body of 2,000 bytes");
}

TEST_F(HttpConformanceTest, OversizedHeadersGet431AndLongTargets414) {
  start();  // defaults: target 8 KiB, header block 16 KiB, 100 fields
  expect_refused(get("/health", "X-Pad: " + std::string(20'000, 'a') + "\r\n"), 431, "one 20 KB field");
  std::string many;
  for (int i = 0; i < 101; ++i) many += "X-F" + std::to_string(i) + ": 1\r\n";
  expect_refused(get("/health", many), 431, "101 fields");
  expect_refused(get("/health?q=" + std::string(9'000, 'a')), 414, "a 9 KB target");
  expect_refused(get("/health?q=" + std::string(40'000, 'a')), 414, "a 40 KB target");
  EXPECT_EQ(exchange(get("/health", many.substr(0, many.find("X-F99")))).status, 200);  // Host + 99

  // A header block sent in pieces is counted as a whole, not per piece.
  HttpClient c(server_->port());
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  bool refused_early = false;
  for (int i = 0; i < 12 && !refused_early; ++i) {
    if (!c.send("X-Piece" + std::to_string(i) + ": " + std::string(2'000, 'a') + "\r\n")) break;
    refused_early = c.readable(50ms);
  }
  if (!refused_early) c.send("\r\n");
  EXPECT_EQ(c.read_response().status, 431);
}

TEST_F(HttpConformanceTest, PartlyReadRequestGets408ThenClose) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  HttpClient headers(server_->port());
  ASSERT_TRUE(headers.send("GET /health HTTP/1.1\r\nHost: x\r\n"));  // never finishes
  ClientResponse partial_head = headers.read_response();
  EXPECT_EQ(partial_head.status, 408);
  EXPECT_EQ(partial_head.headers["connection"], "close");
  EXPECT_TRUE(headers.closed_by_peer());

  HttpClient body(server_->port());
  ASSERT_TRUE(body.send("POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\n{\"us"));
  EXPECT_EQ(body.read_response().status, 408);
  EXPECT_TRUE(body.closed_by_peer());
}

TEST_F(HttpConformanceTest, IdleKeepAliveConnectionClosesSilently) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  HttpClient used(server_->port());
  ASSERT_TRUE(used.send(get("/health")));
  EXPECT_EQ(used.read_response().status, 200);
  EXPECT_TRUE(used.closed_by_peer());  // after the timeout, with no 408
  HttpClient never_used(server_->port());
  EXPECT_TRUE(never_used.closed_by_peer());
  EXPECT_EQ(server_->metrics.requests(Endpoint::not_found), 0);
}

// Slowloris: a header trickled a byte at a time never finishes; the read timeout covers
// the whole request, so the trickle does not extend it.
TEST_F(HttpConformanceTest, SlowlorisIsCutByTheReadTimeout) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  HttpClient c(server_->port());
  const std::string endless = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(10'000, 'a');
  const auto begin = std::chrono::steady_clock::now();
  std::size_t sent = 0;
  while (sent < endless.size() && !c.readable(20ms)) {
    if (!c.send(endless.substr(sent, 1))) break;
    ++sent;
    if (std::chrono::steady_clock::now() - begin > 10s) break;  // a bound, never reached when it works
  }
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  EXPECT_LT(sent, endless.size());
  EXPECT_EQ(c.read_response().status, 408);
  EXPECT_TRUE(c.closed_by_peer());
  HttpClient fresh(server_->port());  // the server itself is fine
  ASSERT_TRUE(fresh.send(get("/health")));
  EXPECT_EQ(fresh.read_response().status, 200);
}

TEST_F(HttpConformanceTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  HttpClient c(server_->port());
  ASSERT_TRUE(c.send(get("/api/coupon/3/stock") + post("/api/coupon/grab", grab_body(6, 2)) +
                     get("/api/coupon/2/stock") + get("/health", "Connection: close\r\n")));
  const ClientResponse first = c.read_response();
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(json::parse(first.body)["coupon_id"], 3);
  const ClientResponse grab = c.read_response();
  ASSERT_EQ(grab.status, 200);
  EXPECT_EQ(json::parse(grab.body)["coupon_id"], 2);
  const ClientResponse stock = c.read_response();
  ASSERT_EQ(stock.status, 200);
  EXPECT_EQ(json::parse(stock.body)["remaining_stock"], 99);  // after the grab before it
  const ClientResponse last = c.read_response();
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(json::parse(last.body)["status"], "ok");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(HttpConformanceTest, DoubledSlashesNeverReachAdmin) {
  start();
  ASSERT_EQ(exchange(post("/api/coupon/grab", grab_body(6, 1))).status, 200);
  for (const char* target : {"//admin/reset", "/admin//reset", "/admin/reset/", "/api/../admin/reset"}) {
    EXPECT_EQ(exchange(post(target, "{}")).status, 404) << target;
  }
  EXPECT_EQ(exchange(get("//health")).status, 404);
  EXPECT_EQ(server_->metrics.requests(Endpoint::admin_reset), 0);
  EXPECT_EQ(server_->store.stock(1)->remaining_stock, 99);  // the grab was not reset
}

// Ids are int64; anything beyond is refused like any other non-integer id (400), never
// answered for a wrapped or clamped number.
TEST_F(HttpConformanceTest, IdsOutOfTheInt64RangeAre400) {
  start();
  const ClientResponse word = exchange(get("/api/user/abc/coupons"));
  ASSERT_EQ(word.status, 400);
  for (const char* target : {"/api/user/9223372036854775808/coupons", "/api/coupon/18446744073709551616/stock",
                             "/api/room/99999999999999999999/stats", "/api/room/-9223372036854775809/orders",
                             "/api/user/1/coupons?limit=9223372036854775808"}) {
    const ClientResponse reply = exchange(get(target));
    EXPECT_EQ(reply.status, 400) << target << ": " << reply.body;
    EXPECT_EQ(reply.body.find("\"-1\""), std::string::npos) << target << ": " << reply.body;
  }
  EXPECT_EQ(exchange(get("/api/user/9223372036854775807/coupons")).status, 404);  // in range, unknown
}

}  // namespace
}  // namespace stampede::server
