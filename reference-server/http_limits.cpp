#include "reference-server/http_limits.h"

#include <cctype>

namespace stampede::server {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls `f(member)` for each non-empty member of a comma-separated field value (RFC 9110
// 5.6.1: empty members are allowed and ignored), with its parameters (";...") cut off.
template <class F>
void for_each_member(std::string_view value, F f) {
  while (true) {
    const auto comma = value.find(',');
    std::string_view member = value.substr(0, comma);
    member = trim(member.substr(0, member.find(';')));
    if (!member.empty()) f(member);
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

Refusal bad_request(std::string detail) { return {400, "bad request", std::move(detail)}; }

std::string limit_bytes(std::size_t limit) { return "limit is " + std::to_string(limit) + " bytes"; }

// Only chunked alone is implemented; RFC 9112 6.3: a request whose final coding is not
// chunked has no determinable length (400), an unknown coding is 501.
std::optional<Refusal> check_transfer_encoding(const RequestHead& head) {
  if (head.version < 11) return bad_request("Transfer-Encoding in an HTTP/1.0 request");
  if (head.has_content_length) return bad_request("both Transfer-Encoding and Content-Length");
  int chunked = 0;
  std::size_t members = 0;
  bool last_chunked = false;
  bool other = false;
  for_each_member(head.transfer_encoding, [&](std::string_view coding) {
    ++members;
    last_chunked = iequals(coding, "chunked");
    if (last_chunked) {
      ++chunked;
    } else {
      other = true;
    }
  });
  if (members == 0) return bad_request("Transfer-Encoding: empty");
  if (!last_chunked) return bad_request("Transfer-Encoding: the final coding must be chunked");
  if (chunked > 1) return bad_request("Transfer-Encoding: chunked more than once");
  if (other) return Refusal{501, "transfer coding not implemented", "only chunked is supported"};
  return std::nullopt;
}

}  // namespace

HeadCheck check_head(const RequestHead& head, const RequestLimits& limits) {
  HeadCheck check;
  auto refuse = [&](Refusal refusal) {
    check.refusal = std::move(refusal);
    return check;
  };
  if (head.target.size() > limits.max_target_bytes) {
    return refuse({414, "request target too long", limit_bytes(limits.max_target_bytes)});
  }
  if (head.field_count > limits.max_header_fields) {
    return refuse({431, "request header fields too large",
                   "limit is " + std::to_string(limits.max_header_fields) + " fields"});
  }
  if (head.version >= 11 && head.host_count == 0) {
    return refuse(bad_request("missing Host header (required in HTTP/1.1)"));
  }
  if (head.host_count > 1) return refuse(bad_request("more than one Host header"));
  if (head.has_transfer_encoding) {
    if (auto refusal = check_transfer_encoding(head)) return refuse(std::move(*refusal));
  }
  if (head.has_content_length && head.content_length > limits.max_body_bytes) {
    return refuse(body_too_large(limits.max_body_bytes));
  }
  // RFC 9110 10.1.1: an HTTP/1.0 client cannot expect anything; ignore it there.
  if (head.has_expect && head.version >= 11) {
    bool expects_continue = false;
    bool unknown = false;
    for_each_member(head.expect, [&](std::string_view member) {
      if (iequals(member, "100-continue")) {
        expects_continue = true;
      } else {
        unknown = true;
      }
    });
    if (unknown) return refuse({417, "expectation failed", "only Expect: 100-continue is supported"});
    const bool body_follows = head.has_transfer_encoding || head.content_length > 0;
    check.send_continue = expects_continue && body_follows;
  }
  return check;
}

Refusal oversized_head(std::string_view target_seen, const RequestLimits& limits) {
  if (target_seen.size() > limits.max_target_bytes) {
    return {414, "request target too long", limit_bytes(limits.max_target_bytes)};
  }
  return {431, "request header fields too large", limit_bytes(limits.max_header_bytes)};
}

std::string_view target_in_request_line(std::string_view start) {
  const auto first = start.find(' ');
  if (first == std::string_view::npos) return {};
  start.remove_prefix(first + 1);
  const auto end = start.find_first_of(" \r\n");
  return start.substr(0, end);
}

Refusal bad_version(std::string_view start) {
  const std::string_view line = start.substr(0, start.find_first_of("\r\n"));
  const auto space = line.rfind(' ');
  const std::string_view version = space == std::string_view::npos ? "" : line.substr(space + 1);
  const auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(version[i])) != 0; };
  // A line like "GET /a b HTTP/1.1" fails on its version too, but the version is fine.
  const bool served = version == "HTTP/1.0" || version == "HTTP/1.1";
  if (!served && version.size() == 8 && version.starts_with("HTTP/") && digit(5) && version[6] == '.' && digit(7)) {
    return {505, "HTTP version not supported", "only HTTP/1.0 and HTTP/1.1 are served"};
  }
  return bad_request("malformed request: bad version");
}

Refusal timeout_refusal(long long timeout_ms) {
  return {408, "request timeout",
          "the request was not complete within " + std::to_string(timeout_ms) + " ms"};
}

Refusal body_too_large(std::size_t max_body_bytes) {
  return {413, "request body too large", limit_bytes(max_body_bytes)};
}

}  // namespace stampede::server
