// A small web application for the tests of scenarios for real applications (issue 21):
// a login form with a CSRF token tied to a pre-session cookie, a session cookie after login
// and a redirect (303) to /home, pages that need the session, a multipart upload, a logout.
// Listens on 127.0.0.1 (ephemeral port), one thread per connection, each read bounded by a
// timeout; stops and joins everything in its destructor. Test-only.
//
//   GET  /login    200, the form with <input name="csrf" value="…">, Set-Cookie: pre=…
//   POST /login    form user, password, csrf (matching the pre cookie's token): 303 to /home
//                  with Set-Cookie: session=…; else 403
//   GET  /home     the session's "Welcome <user>"; without one 302 to /login
//   GET  /cart     200 "Cart of <user>" with a session, else 401
//   POST /upload   multipart with a file part "file": 200 "stored <n> bytes"; else 400
//   POST /logout   ends the session: Set-Cookie: session=; Max-Age=0, 303 to /login
//   GET  /loop     302 to /loop (forever)
//   GET  /odd-cookie  200 with a cookie whose Max-Age and Expires are invalid
//   GET  /away     302 to http://elsewhere.invalid/landing (another origin)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace stampede::engine::testing {

class DemoApp {
 public:
  // `accounts`: user -> password.
  explicit DemoApp(std::map<std::string, std::string> accounts);
  ~DemoApp();
  DemoApp(const DemoApp&) = delete;
  DemoApp& operator=(const DemoApp&) = delete;

  std::string url() const;  // "http://127.0.0.1:<port>"

  std::uint64_t logins() const;           // sessions created
  std::set<std::string> users_logged_in() const;  // distinct users with a session created
  std::uint64_t logouts() const;
  std::uint64_t uploads() const;
  std::uint64_t requests(const std::string& method_path) const;  // "GET /cart"
  std::uint64_t cart_without_session() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::engine::testing
