// CookieJar: one virtual user's cookies (RFC 6265, as browsers keep them): Set-Cookie
// headers of every response (redirects too) go in, the Cookie header of each request comes
// out. Domain (host-only unless a Domain attribute names the host or a parent of it),
// Path (default: the request path's directory), expiry (Max-Age wins over Expires; an
// expired cookie is dropped), Secure (sent over https:// only), HttpOnly (kept: the engine
// is no script). An attribute with an invalid value (an unparsable Expires or Max-Age) is
// ignored as browsers do; a cookie without name=value, for a Domain the host is not in, or
// Secure from an http:// origin is refused. Each such Set-Cookie header counts once in
// invalid_cookies() (the result folder's `invalid_cookies`, results/README.md).
//
// The jar belongs to the user, not to its connection: it survives reconnects. Times are the
// caller's (wall clock, since Expires is a date): no clock is read here. Not thread-safe:
// one user, one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::http {

// Where the requests go: the host (lower case, no port or brackets) and whether https://.
struct CookieOrigin {
  std::string host;
  bool secure = false;
  static CookieOrigin from_base_url(std::string_view base_url);  // "scheme://host[:port]"
};

class CookieJar {
 public:
  using Time = std::chrono::system_clock::time_point;

  // Stores the cookie of one Set-Cookie header value from a response to `path` (the request
  // target, query allowed). A malformed cookie (no '=', empty name) is ignored.
  void store(std::string_view set_cookie, const CookieOrigin& origin, std::string_view path, Time now);
  // Appends "Cookie: a=1; b=2" for a request to `path`, or nothing when no cookie applies.
  // Longer paths first, then older cookies first (RFC 6265 5.4).
  void append_header(const CookieOrigin& origin, std::string_view path, Time now, std::string& out) const;
  // A cookie's value by name (the most specific one), if the jar has it unexpired.
  std::optional<std::string> value(std::string_view name, Time now) const;

  std::size_t size() const { return cookies_.size(); }
  // Set-Cookie headers ignored in part (an invalid attribute) or whole (refused) so far.
  std::uint64_t invalid_cookies() const { return invalid_; }

 private:
  struct Cookie {
    std::string name, value, domain, path;
    bool host_only = true;
    bool secure = false;
    bool http_only = false;
    std::optional<Time> expires;
    std::uint64_t created = 0;  // order of creation, for the header's order
  };
  std::vector<Cookie> cookies_;
  std::uint64_t created_ = 0;
  std::uint64_t invalid_ = 0;
};

// An HTTP date (RFC 1123 "Sun, 06 Nov 1994 08:49:37 GMT"; also RFC 850 and asctime forms,
// and the dashes some servers send) as a time point; std::nullopt when unparsable.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace stampede::http
