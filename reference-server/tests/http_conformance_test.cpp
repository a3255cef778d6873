// HTTP/1.1 conformance and input limits of the server, byte by byte over a plain socket:
// Expect: 100-continue, malformed framing (400 + Connection: close, never a silent close),
// 408 / 413 / 414 / 417 / 431 / 501, slowloris, pipelining, paths that must not reach
// admin, ids out of the int64 range. An HttpServer on an ephemeral port, a temporary
// SQLite store. Timeouts appear only as generous bounds.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "reference-server/http_server.h"
#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"
#include "reference-server/tests/small_dataset.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// A client that sends exactly the bytes a test gives it and reads what comes back,
// interim 1xx answers included. Reads give up after 5 s (a bound, not a measurement).
class Connection {
 public:
  explicit Connection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Connection() { ::close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return connected_; }

  bool send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // The next response (status 0: the connection closed or nothing came within 5 s).
  Reply read() {
    Reply reply;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return reply;
    }
    const std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    if (head.size() < 12 || !head.starts_with("HTTP/1.")) return reply;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      const auto next = head.find("\r\n", pos + 2);
      const auto line = head.substr(pos + 2, next == std::string::npos ? next : next - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        reply.headers[name] = value;
      }
      pos = next;
    }
    const auto length = reply.headers.find("content-length");
    const std::size_t body_size = length == reply.headers.end() ? 0 : std::stoul(length->second);
    while (buffer_.size() < body_size) {
      if (!fill()) return reply;
    }
    reply.body = buffer_.substr(0, body_size);
    buffer_.erase(0, body_size);
    reply.status = std::stoi(head.substr(9, 3));
    return reply;
  }

  // True when the server closed the connection without sending anything more.
  bool closed_silently() {
    if (!buffer_.empty()) return false;
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

  // True when something (data or a close) can be read within `timeout`.
  bool readable(std::chrono::milliseconds timeout) {
    if (!buffer_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

 private:
  bool fill() {
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

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
    store_ = std::make_unique<SqliteStore>(SqliteStoreOptions{dir_.path(), 4, 0});
    seed_store(*store_, testing::small_dataset(2'000, 10, 1, 100), Strategy::hash);
    metrics_ = std::make_unique<Metrics>(4);
    RouterOptions router_options;
    router_options.routing.room_count = 10;
    router_options.max_body_bytes = 1024;
    router_ = std::make_unique<Router>(*store_, router_options, *metrics_, nullptr);
    options.port = 0;
    options.threads = 1;
    options.max_body_bytes = 1024;
    server_ = std::make_unique<HttpServer>(*router_, *metrics_, options);
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  // Sends `raw` on a new connection and returns the answer.
  Reply exchange(const std::string& raw) {
    Connection c(server_->port());
    EXPECT_TRUE(c.send(raw));
    return c.read();
  }

  // `raw` is refused with `status`: a JSON error naming the problem, Connection: close,
  // and the connection is then closed.
  void expect_refused(const std::string& raw, int status, const std::string& what) {
    Connection c(server_->port());
    ASSERT_TRUE(c.send(raw)) << what;
    Reply reply = c.read();
    ASSERT_EQ(reply.status, status) << what << " (0: closed without an answer)";
    EXPECT_EQ(reply.headers["connection"], "close") << what;
    EXPECT_EQ(reply.headers["content-type"], "application/json") << what;
    const json body = json::parse(reply.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << what << ": " << reply.body;
    EXPECT_TRUE(body["error"].is_string()) << what << ": " << reply.body;
    ASSERT_TRUE(body["details"].is_array()) << what << ": " << reply.body;
    EXPECT_FALSE(body["details"].empty()) << what;
    EXPECT_TRUE(c.closed_silently()) << what << ": the connection stays open after the refusal";
  }

  testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpConformanceTest, Expect100ContinueIsAnsweredBeforeTheBody) {
  start();
  Connection c(server_->port());
  const std::string body = grab_body(6, 1);
  const std::string raw = post("/api/coupon/grab", body, "Expect: 100-continue\r\n");
  ASSERT_TRUE(c.send(raw.substr(0, raw.size() - body.size())));  // the header only
  const Reply interim = c.read();
  ASSERT_EQ(interim.status, 100) << "no 100 Continue: the client waits for nothing";
  EXPECT_TRUE(interim.body.empty());
  ASSERT_TRUE(c.send(body));
  const Reply grab = c.read();
  ASSERT_EQ(grab.status, 200) << grab.body;
  EXPECT_EQ(json::parse(grab.body)["grab_status"], 1);
  EXPECT_EQ(c.send(get("/health")) ? c.read().status : 0, 200);  // still keep-alive
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
  EXPECT_EQ(store_->stock(1)->remaining_stock, 100);  // none of them was served
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
  const Reply by_chunks = exchange(chunked);
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
  Connection c(server_->port());
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  bool refused_early = false;
  for (int i = 0; i < 12 && !refused_early; ++i) {
    if (!c.send("X-Piece" + std::to_string(i) + ": " + std::string(2'000, 'a') + "\r\n")) break;
    refused_early = c.readable(50ms);
  }
  if (!refused_early) c.send("\r\n");
  EXPECT_EQ(c.read().status, 431);
}

TEST_F(HttpConformanceTest, PartlyReadRequestGets408ThenClose) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  Connection headers(server_->port());
  ASSERT_TRUE(headers.send("GET /health HTTP/1.1\r\nHost: x\r\n"));  // never finishes
  Reply partial_head = headers.read();
  EXPECT_EQ(partial_head.status, 408);
  EXPECT_EQ(partial_head.headers["connection"], "close");
  EXPECT_TRUE(headers.closed_silently());

  Connection body(server_->port());
  ASSERT_TRUE(body.send("POST /api/coupon/grab HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\n{\"us"));
  EXPECT_EQ(body.read().status, 408);
  EXPECT_TRUE(body.closed_silently());
}

TEST_F(HttpConformanceTest, IdleKeepAliveConnectionClosesSilently) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  Connection used(server_->port());
  ASSERT_TRUE(used.send(get("/health")));
  EXPECT_EQ(used.read().status, 200);
  EXPECT_TRUE(used.closed_silently());  // after the timeout, with no 408
  Connection never_used(server_->port());
  EXPECT_TRUE(never_used.closed_silently());
  EXPECT_EQ(metrics_->requests(Endpoint::not_found), 0);
}

// Slowloris: a header trickled a byte at a time never finishes; the read timeout covers
// the whole request, so the trickle does not extend it.
TEST_F(HttpConformanceTest, SlowlorisIsCutByTheReadTimeout) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  Connection c(server_->port());
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
  EXPECT_EQ(c.read().status, 408);
  EXPECT_TRUE(c.closed_silently());
  Connection fresh(server_->port());  // the server itself is fine
  ASSERT_TRUE(fresh.send(get("/health")));
  EXPECT_EQ(fresh.read().status, 200);
}

TEST_F(HttpConformanceTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  Connection c(server_->port());
  ASSERT_TRUE(c.send(get("/api/coupon/3/stock") + post("/api/coupon/grab", grab_body(6, 2)) +
                     get("/api/coupon/2/stock") + get("/health", "Connection: close\r\n")));
  const Reply first = c.read();
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(json::parse(first.body)["coupon_id"], 3);
  const Reply grab = c.read();
  ASSERT_EQ(grab.status, 200);
  EXPECT_EQ(json::parse(grab.body)["coupon_id"], 2);
  const Reply stock = c.read();
  ASSERT_EQ(stock.status, 200);
  EXPECT_EQ(json::parse(stock.body)["remaining_stock"], 99);  // after the grab before it
  const Reply last = c.read();
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(json::parse(last.body)["status"], "ok");
  EXPECT_TRUE(c.closed_silently());
}

TEST_F(HttpConformanceTest, DoubledSlashesNeverReachAdmin) {
  start();
  ASSERT_EQ(exchange(post("/api/coupon/grab", grab_body(6, 1))).status, 200);
  for (const char* target : {"//admin/reset", "/admin//reset", "/admin/reset/", "/api/../admin/reset"}) {
    EXPECT_EQ(exchange(post(target, "{}")).status, 404) << target;
  }
  EXPECT_EQ(exchange(get("//health")).status, 404);
  EXPECT_EQ(metrics_->requests(Endpoint::admin_reset), 0);
  EXPECT_EQ(store_->stock(1)->remaining_stock, 99);  // the grab was not reset
}

// Ids are int64; anything beyond is refused like any other non-integer id (400), never
// answered for a wrapped or clamped number.
TEST_F(HttpConformanceTest, IdsOutOfTheInt64RangeAre400) {
  start();
  const Reply word = exchange(get("/api/user/abc/coupons"));
  ASSERT_EQ(word.status, 400);
  for (const char* target : {"/api/user/9223372036854775808/coupons", "/api/coupon/18446744073709551616/stock",
                             "/api/room/99999999999999999999/stats", "/api/room/-9223372036854775809/orders",
                             "/api/user/1/coupons?limit=9223372036854775808"}) {
    const Reply reply = exchange(get(target));
    EXPECT_EQ(reply.status, 400) << target << ": " << reply.body;
    EXPECT_EQ(reply.body.find("\"-1\""), std::string::npos) << target << ": " << reply.body;
  }
  EXPECT_EQ(exchange(get("/api/user/9223372036854775807/coupons")).status, 404);  // in range, unknown
}

}  // namespace
}  // namespace stampede::server
