// CookieJar: RFC 6265 storage and matching (domain, path, expiry, Secure), invalid
// attributes ignored and counted; HTTP dates; redirects' method and target rules.
#include <gtest/gtest.h>

#include "generator/http/cookie_jar.h"

namespace stampede::http {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using Time = CookieJar::Time;

const Time kNow = Time(seconds(1'800'000'000));  // 2027-01-15

std::string header(const CookieJar& jar, const CookieOrigin& origin, std::string_view path, Time now = kNow) {
  std::string out;
  jar.append_header(origin, path, now, out);
  return out;
}

TEST(CookieJar, OriginFromBaseUrl) {
  EXPECT_EQ(CookieOrigin::from_base_url("http://App.Local:8080").host, "app.local");
  EXPECT_FALSE(CookieOrigin::from_base_url("http://127.0.0.1:80").secure);
  EXPECT_TRUE(CookieOrigin::from_base_url("https://[::1]:8443").secure);
  EXPECT_EQ(CookieOrigin::from_base_url("https://[::1]:8443").host, "::1");
}

TEST(CookieJar, StoresAndSendsByPathLongestFirst) {
  CookieJar jar;
  const CookieOrigin o{"app.local", false};
  jar.store("sid=abc; Path=/; HttpOnly", o, "/login", kNow);
  jar.store("cart=3; Path=/shop", o, "/shop/x", kNow);
  jar.store("pref=dark", o, "/account/settings?x=1", kNow);  // default path /account
  EXPECT_EQ(header(jar, o, "/shop/items"), "Cookie: cart=3; sid=abc");
  EXPECT_EQ(header(jar, o, "/shopping"), "Cookie: sid=abc");
  EXPECT_EQ(header(jar, o, "/account/x?q"), "Cookie: pref=dark; sid=abc");
  jar.store("sid=new; Path=/", o, "/", kNow);  // replaces, keeps its place
  EXPECT_EQ(header(jar, o, "/"), "Cookie: sid=new");
  EXPECT_EQ(jar.value("sid", kNow), "new");
  EXPECT_EQ(jar.size(), 3u);
  EXPECT_EQ(jar.invalid_cookies(), 0u);
}

TEST(CookieJar, DomainRules) {
  CookieJar jar;
  const CookieOrigin app{"app.example.com", false};
  jar.store("a=1; Domain=.example.com", app, "/", kNow);
  jar.store("b=2", app, "/", kNow);                           // host-only
  jar.store("c=3; Domain=other.com", app, "/", kNow);         // another site: refused
  EXPECT_EQ(jar.invalid_cookies(), 1u);
  EXPECT_EQ(header(jar, app, "/"), "Cookie: a=1; b=2");
  EXPECT_EQ(header(jar, CookieOrigin{"www.example.com", false}, "/"), "Cookie: a=1");
  EXPECT_EQ(header(jar, CookieOrigin{"example.org", false}, "/"), "");
  CookieJar ip;
  const CookieOrigin local{"127.0.0.1", false};
  ip.store("x=1; Domain=0.0.1", local, "/", kNow);  // no parent domains of an address
  ip.store("y=2; Domain=127.0.0.1", local, "/", kNow);
  EXPECT_EQ(header(ip, local, "/"), "Cookie: y=2");
}

TEST(CookieJar, ExpiryAndInvalidAttributes) {
  CookieJar jar;
  const CookieOrigin o{"h", false};
  jar.store("a=1; Max-Age=60", o, "/", kNow);
  jar.store("b=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT", o, "/", kNow);  // past: not kept
  jar.store("c=3; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=1", o, "/", kNow);  // Max-Age wins
  jar.store("d=4; Max-Age=soon; Expires=tomorrow", o, "/", kNow);  // both invalid: a session cookie
  EXPECT_EQ(jar.invalid_cookies(), 1u);  // one header, however many of its attributes were ignored
  jar.store("e=5; Expires=never", o, "/x/y", kNow);  // default path /x: not sent to /
  EXPECT_EQ(jar.invalid_cookies(), 2u);
  EXPECT_EQ(header(jar, o, "/"), "Cookie: a=1; c=3; d=4");
  EXPECT_EQ(header(jar, o, "/", kNow + seconds(2)), "Cookie: a=1; d=4");
  EXPECT_EQ(header(jar, o, "/", kNow + hours(1)), "Cookie: d=4");
  jar.store("d=gone; Max-Age=0", o, "/", kNow);  // deletes
  EXPECT_EQ(header(jar, o, "/"), "Cookie: a=1; c=3");
  jar.store("novalue", o, "/", kNow);
  jar.store("=x", o, "/", kNow);
  EXPECT_EQ(jar.size(), 3u);  // a, c and e (on /x)
  EXPECT_EQ(jar.invalid_cookies(), 4u);  // both malformed ones refused and counted
}

TEST(CookieJar, SecureOnlyOverHttps) {
  CookieJar jar;
  const CookieOrigin tls{"h", true}, plain{"h", false};
  jar.store("s=1; Secure", tls, "/", kNow);
  jar.store("t=2; Secure", plain, "/", kNow);  // an http:// origin may not set one
  EXPECT_EQ(header(jar, tls, "/"), "Cookie: s=1");
  EXPECT_EQ(header(jar, plain, "/"), "");
  EXPECT_EQ(jar.invalid_cookies(), 1u);  // refused, and counted
}

TEST(HttpDate, ParsesTheUsualForms) {
  const auto expected = Time(seconds(784111777));  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), expected);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), expected);
  EXPECT_FALSE(parse_http_date("tomorrow"));
  EXPECT_FALSE(parse_http_date("Sun, 32 Nov 1994 08:49:37 GMT"));
}

}  // namespace
}  // namespace stampede::http
