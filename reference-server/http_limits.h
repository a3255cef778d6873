// What stampede-server accepts in one HTTP/1.1 request, and the checks of a request head
// that Beast's parser leaves to the server. Pure functions, no Beast and no I/O: the
// reader (request_reader.h) fills a RequestHead from the parsed header and answers what
// check_head() refuses; the unit tests and the fuzzers call them directly.
//
// A refusal is a status and a short reason. The server answers it as
// {"error": <error>, "details": [<detail>]} with Connection: close, and closes the
// connection (the rest of that connection's bytes can no longer be framed safely).
//
//   status  when                                                         limit (default)
//   400     HTTP/1.1 without Host or with two; Transfer-Encoding with
//           Content-Length, in HTTP/1.0, or not ending in chunked; an
//           invalid or conflicting Content-Length; any malformed syntax
//   408     a request partly read when read_timeout passes               15 s (HttpServerOptions)
//   413     Content-Length (or a chunked body) over the body limit       16 KiB (max_body_bytes)
//   414     the request target (path + query) too long                   8 KiB (max_target_bytes)
//   417     an Expect other than 100-continue
//   431     the header block (request line + fields) too large           16 KiB (max_header_bytes)
//           or too many header fields                                    100 (max_header_fields)
//   501     a transfer coding other than chunked (e.g. gzip, chunked)
//   505     an HTTP version other than 1.0 and 1.1 ("HTTP/2.0")
//
// Two identical Content-Length values ("5" twice, or "5, 5") are one length, as RFC 9110
// allows; two different ones are refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::server {

struct RequestLimits {
  std::size_t max_target_bytes = 8 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_header_fields = 100;
  std::size_t max_body_bytes = 16 * 1024;
};

struct Refusal {
  int status = 400;
  std::string error;   // e.g. "bad request"
  std::string detail;  // e.g. "missing Host header (required in HTTP/1.1)"
};

// What check_head() needs to know of a parsed request header. Values of a field that
// occurs more than once are joined with ", " (as RFC 9110 combines them).
struct RequestHead {
  unsigned version = 11;  // 10 * major + minor, as Beast reports it
  std::string_view target;
  std::size_t field_count = 0;
  std::size_t host_count = 0;
  bool has_content_length = false;
  std::uint64_t content_length = 0;
  bool has_transfer_encoding = false;
  std::string_view transfer_encoding;
  bool has_expect = false;
  std::string_view expect;
};

struct HeadCheck {
  std::optional<Refusal> refusal;  // answer this and close
  bool send_continue = false;      // answer "100 Continue" before reading the body
};

// The refusal of a request head under `limits`, or whether to send 100 Continue
// (HTTP/1.1, Expect: 100-continue, a body is announced). The limits are checked first
// (414, 431), then 400, 501, 413, 417. The version is Beast's concern (it only parses
// 1.0 and 1.1; see bad_version).
HeadCheck check_head(const RequestHead& head, const RequestLimits& limits);

// A header block over max_header_bytes: 414 when the target seen so far is over
// max_target_bytes (the long URL is the cause), else 431.
Refusal oversized_head(std::string_view target_seen, const RequestLimits& limits);

// The target of a request line that is (maybe) not complete yet: from after the first
// space to the next space or the end of `start`. Empty without a space.
std::string_view target_in_request_line(std::string_view start);

// A request line Beast refused for its version: 505 when it names an HTTP version
// ("HTTP/2.0"; only 1.0 and 1.1 are served), else 400. `start` is the request line as read.
Refusal bad_version(std::string_view start);

// A 408 for a request not complete within `timeout_ms`.
Refusal timeout_refusal(long long timeout_ms);

// A 413 for a body over `max_body_bytes` (the router says the same for its own limit).
Refusal body_too_large(std::size_t max_body_bytes);

}  // namespace stampede::server
