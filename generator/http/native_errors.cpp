#include "generator/http/native_errors.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

namespace stampede::http::native {
namespace asio = boost::asio;
namespace beast_http = boost::beast::http;

TransportError describe(const boost::system::error_code& ec, Phase phase, bool timed_out) {
  using K = ErrorKind;
  if (timed_out) {
    if (phase == Phase::kConnect) return {K::kConnect, "connect timeout"};
    if (phase == Phase::kHandshake) return {K::kConnect, "TLS handshake timeout"};
    return {K::kTimeout, "request timeout"};
  }
  if (ec == asio::error::connection_refused) return {K::kConnect, "connection refused"};
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable)
    return {K::kConnect, "host unreachable"};
  if (phase == Phase::kHandshake) {
    if (ec == asio::error::connection_reset) return {K::kConnect, "TLS handshake failed: connection reset"};
    return {K::kConnect, "TLS handshake failed: connection closed by server"};
  }
  if (ec == asio::error::connection_reset) return {K::kConnection, "connection reset"};
  if (ec == asio::error::broken_pipe || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
    return {K::kConnection, "connection closed by server"};
  if (ec == beast_http::error::end_of_stream) return {K::kConnection, "empty reply from server"};
  if (ec == beast_http::error::partial_message) return {K::kProtocol, "response body truncated"};
  if (ec == beast_http::error::body_limit) return {K::kProtocol, "response body too large"};
  if (ec == beast_http::error::header_limit) return {K::kProtocol, "response header too large"};
  if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category())
    return {K::kProtocol, "invalid HTTP response"};
  if (phase == Phase::kConnect) return {K::kConnect, "could not connect"};
  return {K::kConnection, phase == Phase::kWrite ? "send error" : "receive error"};
}

bool closed_while_idle(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == beast_http::error::end_of_stream || ec == asio::ssl::error::stream_truncated;
}

}  // namespace stampede::http::native
