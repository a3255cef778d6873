// Why an exchange got no usable response, by kind: what the engine decides on (e.g. its
// "cannot reach the target" warning) is the kind, never the text. The text is what the
// failures table shows ("connection refused", "request timeout", …), the same for both
// transports where they mean the same thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stampede::http {

enum class ErrorKind : std::uint8_t {
  kNone,        // a response arrived
  kConnect,     // no connection: refused, unreachable, not resolved, connect timeout
  kTimeout,     // connected, but the exchange did not end within the request timeout
  kConnection,  // the connection broke while exchanging (reset, closed, empty reply)
  kProtocol,    // the reply was not usable HTTP (invalid, truncated, over a size limit)
  kOther,       // anything else the transport reports (libcurl's own text)
  kEngineLimit, // the engine's own limit refused the exchange, not the target: the memory
                // all users' response bodies may take (--max-body-memory) was in use
};
inline constexpr std::size_t kErrorKinds = 7;

struct TransportError {
  ErrorKind kind = ErrorKind::kNone;
  std::string_view text;  // static storage, or valid as long as the connection says
};

}  // namespace stampede::http
