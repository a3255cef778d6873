#include "reference-server/amqp_url.h"

#include <charconv>

namespace stampede::server {

namespace {

constexpr std::string_view kExpected =
    "expected host:port or amqp://[user[:password]@]host[:port][/vhost]";

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, port);
  if (text.empty() || ec != std::errc{} || ptr != end || port < 1 || port > 65535) return std::nullopt;
  return port;
}

// %XX escapes (a vhost of "/" is written %2f); nullopt for a broken escape.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
    if (ec != std::errc{} || ptr != text.data() + i + 3) return std::nullopt;
    out += static_cast<char>(value);
    i += 2;
  }
  return out;
}

}  // namespace

std::string AmqpUrl::address() const { return host + ":" + std::to_string(port); }

std::optional<AmqpUrl> parse_amqp_url(std::string_view text, std::string& problem) {
  AmqpUrl url;
  const auto fail = [&](std::string why) -> std::optional<AmqpUrl> {
    problem = "'" + std::string(text) + "': " + why;
    return std::nullopt;
  };
  constexpr std::string_view kScheme = "amqp://";
  if (text.rfind("amqps://", 0) == 0) return fail("TLS (amqps://) is not supported; " + std::string(kExpected));
  if (text.rfind(kScheme, 0) != 0) {
    // host:port, the stack.env form.
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || text.find_first_of("/@ ") != std::string_view::npos) {
      return fail(std::string(kExpected));
    }
    const auto port = parse_port(text.substr(colon + 1));
    if (!port) return fail("port must be 1..65535; " + std::string(kExpected));
    url.host = std::string(text.substr(0, colon));
    url.port = *port;
    return url;
  }
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("?# ") != std::string_view::npos) return fail("no query, fragment or spaces; " + std::string(kExpected));
  std::string_view authority = rest;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    const std::string_view path = rest.substr(slash + 1);
    if (!path.empty()) {
      auto vhost = percent_decode(path);
      if (!vhost) return fail("the vhost has a broken %XX escape");
      url.vhost = *vhost;
    }
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = credentials.find(':');
    auto user = percent_decode(credentials.substr(0, colon));
    auto password = colon == std::string_view::npos ? std::optional<std::string>("")
                                                    : percent_decode(credentials.substr(colon + 1));
    if (!user || !password || user->empty()) return fail("the user name is empty or has a broken %XX escape");
    url.user = *user;
    url.password = *password;
  }
  if (authority.empty()) return fail("no host; " + std::string(kExpected));
  if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    const auto port = parse_port(authority.substr(colon + 1));
    if (!port) return fail("port must be 1..65535; " + std::string(kExpected));
    url.port = *port;
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return fail("no host; " + std::string(kExpected));
  url.host = std::string(authority);
  return url;
}

}  // namespace stampede::server
