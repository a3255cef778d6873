// What every connection of one worker thread shares: the worker's event loop, its libcurl
// multi, and the request defaults chosen once before the run. Lives on (and is only
// touched from) its worker's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "generator/http/body_limits.h"
#include "generator/http/curl_transport.h"
#include "generator/http/tls_options.h"

namespace boost::asio {
class io_context;
}

namespace stampede::http {

// Which HttpConnection carries the users' requests (see generator/http/http_connection.h).
enum class TransportKind { kNative, kCurl };

class TlsClient;

// The target of the native transport, resolved once before the run: numeric addresses to
// try in order, the port and the Host header to send; for https://, the TLS context.
struct NativeTarget {
  std::vector<std::string> addresses;  // empty: the host did not resolve
  bool resolve_timed_out = false;      // ... because the resolver did not answer in time
  std::uint16_t port = 80;
  std::string host_header;             // "host[:port]" as in the base URL
  std::string host;                    // the host alone (no brackets): SNI, certificate check
  std::shared_ptr<const TlsClient> tls;  // https:// only; shared by every worker
};

struct RequestDefaults {
  std::string base_url;  // scheme://host[:port] with no trailing slash
  TransportKind transport = TransportKind::kCurl;
  NativeTarget native;   // used by the native transport only
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};  // when the scenario sets none
  // curl only. false: every user its own keep-alive connection; true: the users of a
  // transport lane (CurlTransport::kSharedHandlesPerLane) share idle connections. The
  // native transport always gives each user its own.
  bool shared_connections = false;
  // https:// on either transport: certificate checks (--insecure, --ca-file).
  TlsOptions tls;
};

struct TransportContext {
  boost::asio::io_context& io;
  CurlTransport& curl;
  const RequestDefaults& defaults;
  // The worker's share of the run's response-body memory, and the run's size limit per body
  // (generator/http/body_limits.h). Null: the default size limit and no memory limit.
  BodyAllowance* bodies = nullptr;
  // TCP connections the native transport opened (the curl transport counts its own).
  std::uint64_t native_connections_opened = 0;
  // TLS handshakes the native transport completed, and how many of them resumed a session.
  std::uint64_t native_tls_handshakes = 0;
  std::uint64_t native_tls_resumed = 0;
};

}  // namespace stampede::http
