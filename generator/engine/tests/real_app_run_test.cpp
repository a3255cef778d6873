// Scenarios for real applications (issue 21) run end to end against DemoApp on both
// transports: N users log in with N accounts of a CSV (CSRF token captured by regex, form
// post, session cookie, redirect after login), use pages that need the session, upload a
// file, log out at the run's graceful stop; redirect loops fail; `when` skips; a class
// without cookies never keeps a session.
#include <fstream>

#include <gtest/gtest.h>

#include "generator/engine/tests/demo_app.h"
#include "generator/engine/tests/engine_fixture.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class RealAppRun : public testing::EngineRun {
 protected:
  // users u0..u(n-1) with passwords "pw <i>&x" (a space and '&' to be form-encoded).
  std::map<std::string, std::string> accounts(int n) {
    std::map<std::string, std::string> out;
    std::ofstream csv(dir_ / "accounts.csv");
    csv << "user,password\n";
    for (int i = 0; i < n; ++i) {
      out["u" + std::to_string(i)] = "pw " + std::to_string(i) + "&x";
      csv << "u" << i << ",\"pw " << i << "&x\"\n";
    }
    return out;
  }
};

const results::EndpointStats* endpoint(const results::RunResult& r, const std::string& name) {
  for (const auto& e : r.endpoints) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string failures_of(const results::RunResult& r) {
  std::string out;
  for (const auto& f : r.failures) out += f.method + " " + f.name + ": " + f.error + " x" + std::to_string(f.occurrences) + "\n";
  return out;
}

constexpr const char* kShopper = R"JSON({"stampede_scenario": 1, "name": "shop",
  "data": {"accounts": {"csv": "accounts.csv", "pick": "unique"}},
  "user_classes": [{
    "name": "Shopper", "wait_time": {"constant": 0.05},
    "on_start": {"account": "next(accounts)",
                 "requests": [
                   {"name": "login form", "path": "/login",
                    "capture": {"csrf": {"regex": "name=\"csrf\" value=\"([^\"]+)\""}}},
                   {"name": "login", "method": "POST", "path": "/login",
                    "form": {"user": "${account.user}", "password": "${account.password}", "csrf": "${csrf}"},
                    "check": {"status": 200, "body_contains": "Welcome"},
                    "capture": {"session": {"cookie": "session"}}}]},
    "tasks": [
      {"weight": 3, "request": {"name": "cart", "path": "/cart",
                                "check": {"body_contains": "Cart of", "header": {"Content-Type": "text/html"}}}},
      {"weight": 1, "request": {"name": "upload", "method": "POST", "path": "/upload",
                                "multipart": {"fields": {"title": "note ${account.user}"},
                                              "files": {"file": {"path": "note.txt", "content_type": "text/plain"}}},
                                "check": {"regex": "stored [0-9]+ bytes"}}},
      {"weight": 1, "when": "${session} == ''", "request": {"name": "never", "path": "/never"}}],
    "on_stop": {"requests": [{"name": "logout", "method": "POST", "path": "/logout",
                              "follow_redirects": false, "check": {"status": 303}}]}
  }]})JSON";

TEST_P(RealAppRun, EachUserLogsInWithItsOwnAccountKeepsItsSessionAndLogsOut) {
  testing::DemoApp app(accounts(6));
  std::ofstream(dir_ / "note.txt") << "hello upload\n";
  auto s = scenario(kShopper);
  RunConfig c = config(app.url(), 6, 2s);
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();

  EXPECT_EQ(app.logins(), 6u) << "one session per user";
  EXPECT_EQ(app.users_logged_in().size(), 6u) << "six distinct accounts";
  EXPECT_EQ(app.cart_without_session(), 0u) << "every cart request carried its session cookie";
  EXPECT_EQ(app.logouts(), 6u) << "on_stop ran for every user at the graceful stop";
  EXPECT_GT(app.uploads(), 0u);
  EXPECT_EQ(app.requests("GET /home"), 6u) << "the login's 303 was followed (as a GET)";
  EXPECT_EQ(app.requests("GET /never"), 0u) << "skipped by `when`, never sent";

  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.aggregated.failures, 0u) << failures_of(r);
  ASSERT_NE(endpoint(r, "login"), nullptr);
  EXPECT_EQ(endpoint(r, "login")->requests, 6u) << "the redirect is recorded under the first request's name";
  EXPECT_EQ(endpoint(r, "login form")->requests, 6u);
  ASSERT_NE(endpoint(r, "logout"), nullptr);
  EXPECT_EQ(endpoint(r, "logout")->requests, 6u);
  EXPECT_EQ(endpoint(r, "/home"), nullptr);
  if (const results::EndpointStats* never = endpoint(r, "never")) {  // drawn at least once: a row of skips
    EXPECT_EQ(never->requests, 0u);
    EXPECT_GT(never->skipped, 0u);
  }
  EXPECT_GT(endpoint(r, "cart")->requests, 6u);
}

TEST_P(RealAppRun, MoreUniqueUsersThanRowsIsRefusedBeforeLoad) {
  testing::DemoApp app(accounts(3));
  std::ofstream(dir_ / "note.txt") << "x";
  auto s = scenario(kShopper);
  try {
    s.check_users(4);
    FAIL() << "4 users, 3 unique rows";
  } catch (const scenarios::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("data source 'accounts' has 3 rows"), std::string::npos) << e.what();
  }
}

TEST_P(RealAppRun, ARedirectLoopFailsTooManyRedirects) {
  testing::DemoApp app(std::map<std::string, std::string>{});
  auto s = scenario(R"JSON({"stampede_scenario": 1, "user_classes": [{"name": "L", "wait_time": {"constant": 0.2},
    "tasks": [{"request": {"name": "loop", "path": "/loop"}}]}]})JSON");
  EXPECT_GT(run(config(app.url(), 1, 1s), s).failures, 0u);
  results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.failures.size(), 1u) << failures_of(r);
  EXPECT_EQ(r.failures[0].error, "too many redirects (more than 10)");
  ASSERT_NE(endpoint(r, "loop"), nullptr);
  EXPECT_EQ(app.requests("GET /loop"), 11 * endpoint(r, "loop")->requests) << "the first request and 10 redirects";
}

TEST_P(RealAppRun, WithoutCookiesTheLoginDoesNotHoldAndTheClassMayGoOn) {
  auto known = accounts(2);
  testing::DemoApp app(known);
  auto s = scenario(R"JSON({"stampede_scenario": 1,
    "data": {"accounts": {"csv": "accounts.csv", "pick": "cycle"}},
    "user_classes": [{"name": "NoJar", "cookies": false, "on_start_failure": "continue",
      "wait_time": {"constant": 0.2},
      "on_start": {"account": "next(accounts)", "requests": [
        {"name": "login form", "path": "/login", "capture": {"csrf": {"regex": "value=\"(t[0-9]+)\""}}},
        {"name": "login", "method": "POST", "path": "/login",
         "form": {"user": "${account.user}", "password": "${account.password}", "csrf": "${csrf}"}}]},
      "tasks": [{"request": {"name": "cart", "path": "/cart", "check": {"status": 401}}}]}]})JSON");
  run(config(app.url(), 2, 1s), s);
  EXPECT_EQ(app.logins(), 0u) << "the CSRF check needs the pre cookie, which no jar kept";
  EXPECT_GT(app.cart_without_session(), 0u) << "on_start_failure: continue";
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(endpoint(r, "login")->failures, 2u) << failures_of(r);
  EXPECT_EQ(endpoint(r, "cart")->failures, 0u) << failures_of(r);
}

TEST_P(RealAppRun, AFailedLoginStopsTheUserByDefault) {
  testing::DemoApp app(std::map<std::string, std::string>{{"someone", "else"}});
  accounts(2);  // rows the app does not know
  auto s = scenario(R"JSON({"stampede_scenario": 1,
    "data": {"accounts": {"csv": "accounts.csv"}},
    "user_classes": [{"name": "S", "wait_time": {"constant": 0.1},
      "on_start": {"account": "next(accounts)", "requests": [
        {"name": "login form", "path": "/login", "capture": {"csrf": {"regex": "value=\"(t[0-9]+)\""}}},
        {"name": "login", "method": "POST", "path": "/login",
         "form": {"user": "${account.user}", "password": "${account.password}", "csrf": "${csrf}"}}]},
      "tasks": [{"request": {"name": "cart", "path": "/cart"}}],
      "on_stop": {"requests": [{"name": "logout", "method": "POST", "path": "/logout"}]}}]})JSON");
  run(config(app.url(), 2, 1s), s);
  EXPECT_EQ(app.requests("GET /cart"), 0u);
  EXPECT_EQ(app.requests("POST /logout"), 0u) << "a user that never logged in does not log out";
  results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(endpoint(r, "login")->failures, 2u);
  ASSERT_EQ(r.failures.size(), 1u) << failures_of(r);
  EXPECT_EQ(r.failures[0].error, "HTTP 403");
}

STAMPEDE_ON_EVERY_TRANSPORT(RealAppRun);

}  // namespace
}  // namespace stampede::engine
