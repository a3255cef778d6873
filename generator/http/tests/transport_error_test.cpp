#include <cerrno>

#include <gtest/gtest.h>

#include "generator/http/curl_connection.h"

namespace stampede::http {
namespace {

// libcurl's failures get the same kinds and texts as the native transport's.
TEST(TransportError, CurlFailuresHaveTheirKindAndTheSharedTexts) {
  struct Case {
    CURLcode code;
    long os_errno;
    ErrorKind kind;
    std::string_view text;
  };
  const Case cases[] = {
      {CURLE_COULDNT_CONNECT, ECONNREFUSED, ErrorKind::kConnect, "connection refused"},
      {CURLE_COULDNT_CONNECT, ETIMEDOUT, ErrorKind::kConnect, "connect timeout"},
      {CURLE_COULDNT_CONNECT, EHOSTUNREACH, ErrorKind::kConnect, "host unreachable"},
      {CURLE_COULDNT_CONNECT, 0, ErrorKind::kConnect, "could not connect"},
      {CURLE_COULDNT_RESOLVE_HOST, 0, ErrorKind::kConnect, "could not resolve host"},
      {CURLE_OPERATION_TIMEDOUT, 0, ErrorKind::kTimeout, "request timeout"},
      {CURLE_GOT_NOTHING, 0, ErrorKind::kConnection, "empty reply from server"},
      {CURLE_RECV_ERROR, ECONNRESET, ErrorKind::kConnection, "connection reset"},
      {CURLE_SEND_ERROR, EPIPE, ErrorKind::kConnection, "connection closed by server"},
      {CURLE_PARTIAL_FILE, 0, ErrorKind::kProtocol, "response body truncated"},
      {CURLE_WEIRD_SERVER_REPLY, 0, ErrorKind::kProtocol, "invalid HTTP response"},
      // TLS: the connection never became usable (CurlConnection adds host and reason).
      {CURLE_PEER_FAILED_VERIFICATION, 0, ErrorKind::kConnect, "certificate verify failed"},
      {CURLE_SSL_CONNECT_ERROR, 0, ErrorKind::kConnect, "TLS handshake failed"},
  };
  for (const Case& c : cases) {
    const TransportError e = describe_transfer_error(c.code, c.os_errno);
    EXPECT_EQ(e.kind, c.kind) << c.text;
    EXPECT_EQ(e.text, c.text);
  }
  const TransportError other = describe_transfer_error(CURLE_TOO_MANY_REDIRECTS, 0);
  EXPECT_EQ(other.kind, ErrorKind::kOther);
  EXPECT_EQ(other.text, curl_easy_strerror(CURLE_TOO_MANY_REDIRECTS));
}

}  // namespace
}  // namespace stampede::http
