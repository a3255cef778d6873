#include "generator/http/cookie_jar.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace stampede::http {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_ip(std::string_view host) {
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

// RFC 6265 5.1.3.
bool domain_matches(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  if (is_ip(host) || host.size() <= domain.size()) return false;
  return host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.';
}

// RFC 6265 5.1.4: the request path without its query, up to (not including) its last '/'.
std::string default_path(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.empty() || path.front() != '/') return "/";
  const std::size_t last = path.rfind('/');
  return last == 0 ? "/" : std::string(path.substr(0, last));
}

bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  request_path = request_path.substr(0, request_path.find('?'));
  if (request_path == cookie_path) return true;
  if (!request_path.starts_with(cookie_path)) return false;
  return cookie_path.back() == '/' || request_path[cookie_path.size()] == '/';
}

int parse_int(std::string_view digits) {
  int v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

bool all_digits(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + doe - 719468;
}

}  // namespace

CookieOrigin CookieOrigin::from_base_url(std::string_view base_url) {
  CookieOrigin o;
  const std::size_t scheme_end = base_url.find("://");
  std::string_view rest = base_url;
  if (scheme_end != std::string_view::npos) {
    o.secure = lower(base_url.substr(0, scheme_end)) == "https";
    rest = base_url.substr(scheme_end + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (rest.starts_with('[')) {
    o.host = lower(rest.substr(1, rest.find(']') - 1));
  } else {
    o.host = lower(rest.substr(0, rest.find(':')));
  }
  return o;
}

// RFC 6265 5.1.1, the date parser browsers use: tokens in any order.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  std::optional<int> hour, minute, second, day, month, year;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !std::isalnum(static_cast<unsigned char>(text[i])) && text[i] != ':') ++i;
    const std::size_t start = i;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == ':')) ++i;
    const std::string_view token = text.substr(start, i - start);
    if (token.empty()) continue;
    if (!hour && std::count(token.begin(), token.end(), ':') == 2) {
      const std::size_t a = token.find(':'), b = token.find(':', a + 1);
      const auto h = token.substr(0, a), m = token.substr(a + 1, b - a - 1), s = token.substr(b + 1);
      if (all_digits(h, 1, 2) && all_digits(m, 1, 2) && all_digits(s, 1, 2)) {
        hour = parse_int(h);
        minute = parse_int(m);
        second = parse_int(s);
        continue;
      }
    }
    if (!day && all_digits(token, 1, 2)) {
      day = parse_int(token);
      continue;
    }
    if (!month && token.size() >= 3) {
      const std::string prefix = lower(token.substr(0, 3));
      const auto* it = std::find(std::begin(kMonths), std::end(kMonths), prefix);
      if (it != std::end(kMonths)) {
        month = static_cast<int>(it - std::begin(kMonths)) + 1;
        continue;
      }
    }
    if (!year && all_digits(token, 2, 4)) {
      year = parse_int(token);
      continue;
    }
  }
  if (!hour || !day || !month || !year) return std::nullopt;
  int y = *year;
  if (y >= 70 && y <= 99) y += 1900;
  if (y >= 0 && y <= 69) y += 2000;
  if (*day < 1 || *day > 31 || y < 1601 || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  const long long seconds = days_from_civil(y, *month, *day) * 86400LL + *hour * 3600LL + *minute * 60LL + *second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

void CookieJar::store(std::string_view set_cookie, const CookieOrigin& origin, std::string_view path, Time now) {
  std::string_view pair = set_cookie.substr(0, set_cookie.find(';'));
  const std::size_t eq = pair.find('=');
  if (eq == std::string_view::npos) {
    ++invalid_;  // no name=value: ignored
    return;
  }
  Cookie c;
  c.name = std::string(trim(pair.substr(0, eq)));
  c.value = std::string(trim(pair.substr(eq + 1)));
  if (c.name.empty()) {
    ++invalid_;
    return;
  }
  bool invalid = false;  // an attribute ignored: the header counts once however many
  std::optional<Time> max_age_expiry, expires;
  std::string domain;
  std::string cookie_path;
  std::string_view attrs = set_cookie.size() > pair.size() ? set_cookie.substr(pair.size() + 1) : std::string_view{};
  while (!attrs.empty()) {
    const std::size_t semi = attrs.find(';');
    const std::string_view av = attrs.substr(0, semi);
    attrs = semi == std::string_view::npos ? std::string_view{} : attrs.substr(semi + 1);
    const std::size_t aeq = av.find('=');
    const std::string key = lower(trim(av.substr(0, aeq)));
    const std::string_view val = aeq == std::string_view::npos ? std::string_view{} : trim(av.substr(aeq + 1));
    if (key == "expires") {
      if (auto t = parse_http_date(val)) {
        expires = *t;
      } else {
        invalid = true;
      }
    } else if (key == "max-age") {
      const bool negative = val.starts_with('-');
      const std::string_view digits = negative ? val.substr(1) : val;
      if (!all_digits(digits, 1, 18)) {
        invalid = true;
        continue;
      }
      long long seconds = 0;
      std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
      max_age_expiry = negative || seconds == 0 ? Time::min() : now + std::chrono::seconds(std::min(seconds, 400LL * 86400));
    } else if (key == "domain") {
      std::string_view d = val;
      if (d.starts_with('.')) d.remove_prefix(1);
      domain = lower(d);
    } else if (key == "path") {
      if (val.starts_with('/')) cookie_path = std::string(val);  // else: the default path
    } else if (key == "secure") {
      c.secure = true;
    } else if (key == "httponly") {
      c.http_only = true;
    }
    // SameSite and unknown attributes: ignored, as browsers do.
  }
  // Refused whole: a cookie for another site, or a Secure one from an http:// origin (only a
  // secure origin may set a Secure cookie).
  const bool refused = (!domain.empty() && !domain_matches(origin.host, domain)) || (c.secure && !origin.secure);
  if (invalid || refused) ++invalid_;
  if (refused) return;
  if (!domain.empty()) {
    c.host_only = false;
    c.domain = domain;
  } else {
    c.domain = origin.host;
  }
  c.path = cookie_path.empty() ? default_path(path) : cookie_path;
  c.expires = max_age_expiry ? max_age_expiry : expires;

  auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& o) {
    return o.name == c.name && o.domain == c.domain && o.path == c.path;
  });
  const bool expired = c.expires && *c.expires <= now;
  if (same != cookies_.end()) {
    if (expired) {
      cookies_.erase(same);
      return;
    }
    c.created = same->created;  // a replaced cookie keeps its creation order
    *same = std::move(c);
    return;
  }
  if (expired) return;
  c.created = created_++;
  cookies_.push_back(std::move(c));
}

void CookieJar::append_header(const CookieOrigin& origin, std::string_view path, Time now, std::string& out) const {
  std::vector<const Cookie*> matching;
  for (const Cookie& c : cookies_) {
    if (c.expires && *c.expires <= now) continue;
    if (c.host_only ? origin.host != c.domain : !domain_matches(origin.host, c.domain)) continue;
    if (!path_matches(path, c.path)) continue;
    if (c.secure && !origin.secure) continue;
    matching.push_back(&c);
  }
  if (matching.empty()) return;
  std::stable_sort(matching.begin(), matching.end(), [](const Cookie* a, const Cookie* b) {
    if (a->path.size() != b->path.size()) return a->path.size() > b->path.size();
    return a->created < b->created;
  });
  out += "Cookie: ";
  for (std::size_t i = 0; i < matching.size(); ++i) {
    if (i > 0) out += "; ";
    out += matching[i]->name;
    out += '=';
    out += matching[i]->value;
  }
}

std::optional<std::string> CookieJar::value(std::string_view name, Time now) const {
  const Cookie* best = nullptr;
  for (const Cookie& c : cookies_) {
    if (c.name != name || (c.expires && *c.expires <= now)) continue;
    if (best == nullptr || c.path.size() > best->path.size()) best = &c;
  }
  if (best == nullptr) return std::nullopt;
  return best->value;
}

}  // namespace stampede::http
