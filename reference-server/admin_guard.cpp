#include "reference-server/admin_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

namespace stampede::server {

namespace {

constexpr std::size_t kMaxShown = 100;  // characters of a refused header echoed back

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string shown(std::string_view value) {
  std::string out(value.substr(0, kMaxShown));
  if (value.size() > kMaxShown) out += "...";
  return out;
}

std::optional<in6_addr> parse_ipv6(std::string_view text) {
  const std::string copy(text);  // inet_pton needs a terminated string
  in6_addr address{};
  if (::inet_pton(AF_INET6, copy.c_str(), &address) != 1) return std::nullopt;
  return address;
}

std::optional<in_addr> parse_ipv4(std::string_view text) {
  const std::string copy(text);
  in_addr address{};
  if (::inet_pton(AF_INET, copy.c_str(), &address) != 1) return std::nullopt;
  return address;
}

// "[<canonical v6>]", the one spelling both sides of a comparison use.
std::string bracketed(const in6_addr& address) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, &address, text, sizeof text);
  return "[" + std::string(text) + "]";
}

// The host of a Host header ("name", "name:port", "[v6]", "[v6]:port"), normalized;
// nullopt when malformed.
std::optional<std::string> host_of(std::string_view header) {
  std::string_view host = header;
  std::string_view port;
  bool has_port = false;
  if (header.starts_with('[')) {
    const auto close = header.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = header.substr(0, close + 1);
    const auto rest = header.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      has_port = true;
    }
  } else if (const auto colon = header.find(':'); colon != std::string_view::npos) {
    host = header.substr(0, colon);
    port = header.substr(colon + 1);
    has_port = true;
  }
  if (has_port && (port.empty() || port.size() > 5 ||
                   !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    return std::nullopt;
  }
  return normalize_allowed_host(host);
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  if (host.starts_with('[')) return is_loopback_address(std::string_view(host).substr(1, host.size() - 2));
  return parse_ipv4(host).has_value() && is_loopback_address(host);
}

// The token of "Bearer <token>" (scheme case-insensitive); empty when absent or another scheme.
std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  authorization = trim(authorization);
  if (authorization.size() <= kScheme.size() || !iequals(authorization.substr(0, kScheme.size()), kScheme) ||
      (authorization[kScheme.size()] != ' ' && authorization[kScheme.size()] != '\t')) {
    return {};
  }
  return trim(authorization.substr(kScheme.size()));
}

bool is_json_media_type(std::string_view content_type) {
  return iequals(trim(content_type.substr(0, content_type.find(';'))), "application/json");
}

}  // namespace

AdminAccess admin_access(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::admin_stats:
    case Endpoint::shards_status: return AdminAccess::open;
    case Endpoint::admin_reset:
    case Endpoint::admin_shard_fault:
    case Endpoint::admin_reshard:
    case Endpoint::admin_queue: return AdminAccess::token;
    default: return AdminAccess::none;
  }
}

bool is_loopback_address(std::string_view address) {
  if (const auto v4 = parse_ipv4(address)) {
    return (ntohl(v4->s_addr) >> 24) == 127;
  }
  if (const auto v6 = parse_ipv6(address)) {
    if (IN6_IS_ADDR_LOOPBACK(&*v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&*v6) && v6->s6_addr[12] == 127;
  }
  return false;
}

std::optional<std::string> normalize_allowed_host(std::string_view host) {
  if (host.starts_with('[') && host.ends_with(']') && host.size() > 2) {
    if (const auto v6 = parse_ipv6(host.substr(1, host.size() - 2))) return bracketed(*v6);
    return std::nullopt;
  }
  if (const auto v6 = parse_ipv6(host)) return bracketed(*v6);  // e.g. --bind ::1
  const bool name_chars = std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
  if (host.empty() || host.size() > 253 || !name_chars) return std::nullopt;
  return lower(host);
}

bool host_allowed(const AdminPolicy& policy, std::string_view host_header) {
  const auto host = host_of(host_header);
  if (!host) return false;
  if (is_loopback_host(*host)) return true;
  return std::find(policy.allowed_hosts.begin(), policy.allowed_hosts.end(), *host) != policy.allowed_hosts.end();
}

bool tokens_equal(std::string_view given, std::string_view expected) {
  // Every byte of `expected` is visited whatever `given` holds; differences are OR-ed, so
  // the time says nothing about where the first wrong character is.
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char g = i < given.size() ? given[i] : '\0';
    diff = static_cast<unsigned char>(diff | static_cast<unsigned char>(g ^ expected[i]));
  }
  return diff == 0 && !expected.empty();
}

std::optional<AdminRefusal> check_admin_request(const AdminPolicy& policy, Endpoint endpoint,
                                                std::string_view method, const AdminHeaders& headers) {
  const AdminAccess access = admin_access(endpoint);
  if (access == AdminAccess::none) return std::nullopt;
  if (!host_allowed(policy, headers.host)) {
    return AdminRefusal{403, "host not allowed",
                        headers.host.empty()
                            ? "admin requests need a Host header naming this server"
                            : "Host '" + shown(headers.host) +
                                  "' is not a loopback name (localhost, 127.0.0.1, [::1]), the bind "
                                  "address or an --allowed-host"};
  }
  if (!headers.origin.empty() && !iequals(headers.origin, "http://" + std::string(headers.host)) &&
      !iequals(headers.origin, "https://" + std::string(headers.host))) {
    return AdminRefusal{403, "cross-origin admin request refused",
                        "Origin '" + shown(headers.origin) + "' is not this server (http://" +
                            shown(headers.host) + ")"};
  }
  if (method == "POST" && !is_json_media_type(headers.content_type)) {
    return AdminRefusal{415, "unsupported media type",
                        "admin POSTs need Content-Type: application/json, got " +
                            (headers.content_type.empty() ? std::string("none")
                                                          : "'" + shown(headers.content_type) + "'")};
  }
  if (access == AdminAccess::open) return std::nullopt;
  const std::string_view token = bearer_token(headers.authorization);
  if (token.empty()) {
    return AdminRefusal{401, "admin token required",
                        "send Authorization: Bearer <token> (the server's --admin-token, or the token "
                        "in the file named at start)"};
  }
  if (!tokens_equal(token, policy.token)) {
    return AdminRefusal{401, "invalid admin token", "the Bearer token is not this server's admin token"};
  }
  return std::nullopt;
}

}  // namespace stampede::server
