// https:// on both transports against a Beast TLS server with certificates made for the test:
// verification on by default (the error names host and reason), --ca-file, --insecure, SNI,
// ALPN, session resumption across a user's reconnects, TLS's own ways a connection ends.
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "generator/http/curl_connection.h"
#include "generator/http/native_connection.h"
#include "generator/http/tests/test_certificates.h"
#include "generator/http/tests/test_tls_server.h"
#include "generator/http/tls_client.h"
#include "generator/http/transport_context.h"

namespace stampede::http {
namespace {
using namespace std::chrono_literals;
using testing::TestCertificates;
using testing::TestTlsServer;

struct Outcome {
  std::string error;
  ErrorKind kind = ErrorKind::kNone;
  long status = 0;
  std::string body;
  std::chrono::microseconds connect_time{0};
  std::chrono::microseconds tls_time{0};
  bool tls_resumed = false;
};

// One user's connection to `url` on one transport, driven request by request.
class Client final : private ExchangeOwner {
 public:
  Client(TransportKind kind, const std::string& url, TlsOptions tls) {
    defaults_.base_url = url;
    defaults_.transport = kind;
    defaults_.tls = tls;
    defaults_.connect_timeout = 5s;
    if (kind == TransportKind::kNative) {
      defaults_.native = resolve_native_target(url, 5s, tls);
      connection_ = std::make_unique<NativeConnection>(ctx_, static_cast<ExchangeOwner&>(*this));
    } else {
      connection_ = std::make_unique<CurlConnection>(ctx_, static_cast<ExchangeOwner&>(*this));
    }
  }
  ~Client() { connection_.reset(); }

  Outcome get(const std::string& path) {
    scenarios::RenderedRequest request;
    request.method = "GET";
    request.target = path;
    outcome_.reset();
    connection_->send(request, 10s, BodyUse::kKeep);
    io_.restart();
    const auto bound = std::chrono::steady_clock::now() + 20s;
    while (!outcome_ && std::chrono::steady_clock::now() < bound) io_.run_one_for(100ms);
    if (!outcome_) throw std::runtime_error("no answer within 20 s");
    return *outcome_;
  }

  const TransportContext& context() const { return ctx_; }

 private:
  void on_exchange_done(const Exchange& e) override {
    outcome_ = Outcome{std::string(e.error), e.error_kind, e.status, std::string(e.body), e.connect_time, e.tls_time,
                       e.tls_resumed};
  }

  boost::asio::io_context io_;
  CurlTransport curl_{io_, 1};
  RequestDefaults defaults_;
  TransportContext ctx_{io_, curl_, defaults_};
  std::unique_ptr<HttpConnection> connection_;
  std::optional<Outcome> outcome_;
};

TlsOptions trusting(const TestCertificates& certs) { return {.verify = true, .ca_file = certs.ca.string()}; }

class Tls : public ::testing::Test {
 protected:
  TestCertificates certs;
};

TEST_F(Tls, NativeHttpsWithTheTestCaSendsSniAndAlpnAndTimesTheHandshake) {
  TestTlsServer server(certs.server_cert, certs.server_key);
  const std::string url = "https://localhost:" + std::to_string(server.port());
  Client client(TransportKind::kNative, url, trusting(certs));
  const Outcome first = client.get("/a");
  EXPECT_EQ(first.error, "");
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "ok");
  EXPECT_GT(first.tls_time.count(), 0);
  EXPECT_FALSE(first.tls_resumed);
  EXPECT_EQ(server.last_server_name(), "localhost");
  EXPECT_EQ(server.last_alpn(), "http/1.1");
  // Kept alive: the second request has no connection set-up of its own.
  const Outcome second = client.get("/b");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.tls_time.count(), 0);
  EXPECT_EQ(second.connect_time.count(), 0);
  EXPECT_EQ(server.handshakes(), 1u);
  EXPECT_EQ(client.context().native_tls_handshakes, 1u);
}

TEST_F(Tls, NativeVerifiesByDefaultAndNamesHostAndReason) {
  TestTlsServer server(certs.server_cert, certs.server_key);
  Client client(TransportKind::kNative, server.url(), TlsOptions{});
  const Outcome outcome = client.get("/");
  EXPECT_EQ(outcome.error, "certificate verify failed for 127.0.0.1: unable to get local issuer certificate");
  EXPECT_EQ(outcome.kind, ErrorKind::kConnect);
  EXPECT_EQ(outcome.status, 0);
  EXPECT_EQ(server.requests(), 0u);
}

TEST_F(Tls, NativeChecksTheHostNameAndTheAddress) {
  TestTlsServer server(certs.elsewhere_cert, certs.elsewhere_key);
  Client by_address(TransportKind::kNative, server.url(), trusting(certs));
  EXPECT_EQ(by_address.get("/").error, "certificate verify failed for 127.0.0.1: IP address mismatch");
  Client by_name(TransportKind::kNative, "https://localhost:" + std::to_string(server.port()), trusting(certs));
  EXPECT_EQ(by_name.get("/").error, "certificate verify failed for localhost: hostname mismatch");
}

TEST_F(Tls, NativeInsecureAcceptsAnyCertificate) {
  TestTlsServer server(certs.elsewhere_cert, certs.elsewhere_key);
  Client client(TransportKind::kNative, server.url(), TlsOptions{.verify = false, .ca_file = {}});
  const Outcome outcome = client.get("/");
  EXPECT_EQ(outcome.error, "");
  EXPECT_EQ(outcome.status, 200);
}

TEST_F(Tls, NativeResumesTheSessionWhenItReconnects) {
  TestTlsServer server(certs.server_cert, certs.server_key);
  Client client(TransportKind::kNative, server.url(), trusting(certs));
  const Outcome first = client.get("/close/1");
  ASSERT_EQ(first.status, 200) << first.error;
  EXPECT_FALSE(first.tls_resumed);
  const Outcome second = client.get("/close/2");
  ASSERT_EQ(second.status, 200) << second.error;
  EXPECT_TRUE(second.tls_resumed);
  EXPECT_GT(second.tls_time.count(), 0);
  const Outcome third = client.get("/");
  EXPECT_TRUE(third.tls_resumed);
  EXPECT_EQ(server.handshakes(), 3u);
  EXPECT_EQ(server.resumed_handshakes(), 2u);
  EXPECT_EQ(client.context().native_tls_handshakes, 3u);
  EXPECT_EQ(client.context().native_tls_resumed, 2u);
}

TEST_F(Tls, NativeReopensAConnectionTheServerDroppedAndReadsABodyUntilClose) {
  TestTlsServer server(certs.server_cert, certs.server_key);
  Client client(TransportKind::kNative, server.url(), trusting(certs));
  ASSERT_EQ(client.get("/drop/1").status, 200);
  // The server closed the kept-alive connection without a close_notify: sent again, once.
  const Outcome again = client.get("/after-drop");
  EXPECT_EQ(again.error, "");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(server.requests(), 2u);
  const Outcome until_close = client.get("/until-close/1");
  EXPECT_EQ(until_close.error, "");
  EXPECT_EQ(until_close.body, "until-close");
}

TEST_F(Tls, NativeHandshakeWithAServerThatSaysNothingFailsAsAConnectError) {
  // A TLS client against a server that accepts and closes at once, saying nothing TLS.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  std::thread closer([&] {
    boost::system::error_code ec;
    auto socket = acceptor.accept(ec);
  });
  Client client(TransportKind::kNative, "https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()),
                trusting(certs));
  const Outcome outcome = client.get("/");
  closer.join();
  EXPECT_EQ(outcome.kind, ErrorKind::kConnect);
  EXPECT_TRUE(outcome.error.starts_with("TLS handshake failed")) << outcome.error;
}

TEST_F(Tls, CurlFollowsTheSameOptions) {
  TestTlsServer server(certs.server_cert, certs.server_key);
  Client trusting_client(TransportKind::kCurl, server.url(), trusting(certs));
  const Outcome ok = trusting_client.get("/");
  EXPECT_EQ(ok.error, "");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok");

  Client verifying(TransportKind::kCurl, server.url(), TlsOptions{});
  const Outcome refused = verifying.get("/");
  EXPECT_EQ(refused.kind, ErrorKind::kConnect);
  EXPECT_EQ(refused.error, "certificate verify failed for 127.0.0.1: unable to get local issuer certificate");

  TestTlsServer elsewhere(certs.elsewhere_cert, certs.elsewhere_key);
  Client insecure(TransportKind::kCurl, elsewhere.url(), TlsOptions{.verify = false, .ca_file = {}});
  EXPECT_EQ(insecure.get("/").status, 200);
}

TEST_F(Tls, CaFilesAreCheckedUpFront) {
  EXPECT_EQ(check_ca_file(certs.ca.string()), std::nullopt);
  EXPECT_EQ(check_ca_file("/nonexistent/ca.pem"),
            std::optional<std::string>("cannot read '/nonexistent/ca.pem': No such file or directory"));
  const auto not_pem = certs.dir / "not.pem";
  std::ofstream(not_pem) << "hello\n";
  EXPECT_EQ(check_ca_file(not_pem.string()), std::optional<std::string>("no PEM certificate in '" + not_pem.string() + "'"));
  EXPECT_EQ(check_ca_file(certs.dir.string()),
            std::optional<std::string>("'" + certs.dir.string() + "' is a directory, not a PEM file"));
  try {
    TlsClient client(TlsOptions{.verify = true, .ca_file = not_pem.string()});
    ADD_FAILURE() << "a CA file without certificates was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "--ca-file: no PEM certificate in '" + not_pem.string() + "'");
  }
}

}  // namespace
}  // namespace stampede::http
