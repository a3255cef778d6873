// run_steered: a run whose per-class user counts change while it runs (what `stampede worker`
// does for a Locust master), end to end against TestHttpServer on both transports.
#include <chrono>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "generator/engine/runner.h"
#include "generator/engine/tests/engine_fixture.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class SteeredRun : public testing::EngineRun {
 protected:
  // Starts run_steered on its own thread; finish() ends it and returns its outcome.
  void start(const RunConfig& c, const scenarios::Scenario& s) {
    config_ = c;
    scenario_.emplace(s);
    thread_ = std::thread([this] { outcome_ = run_steered(config_, *scenario_, control_, interrupts_, out_, err_); });
  }
  RunOutcome finish() {
    control_.finish("finished by the test");
    thread_.join();
    return outcome_;
  }
  void TearDown() override {
    if (thread_.joinable()) finish();
    testing::EngineRun::TearDown();
  }

  // Waits (bounded, the bound is no speed claim) until `done` holds.
  static bool eventually(const std::function<bool()>& done) {
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (!done()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  UserControl control_;
  RunConfig config_;
  std::optional<scenarios::Scenario> scenario_;
  std::ostringstream out_;
  RunOutcome outcome_;
  std::thread thread_;
};

constexpr const char* kTwoClasses = R"({"stampede_scenario": 1, "name": "steered", "user_classes": [
    {"name": "A", "wait_time": {"constant": 0.02}, "tasks": [{"request": {"method": "GET", "path": "/a"}}]},
    {"name": "B", "wait_time": {"constant": 0.02}, "tasks": [{"request": {"method": "GET", "path": "/b"}}]}]})";

TEST_P(SteeredRun, ClassCountsChangeWhileRunningAndEveryRequestIsPublishedOnce) {
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 100, 60s);
  c.run_time.reset();  // only finish() ends it
  start(c, scenario(kTwoClasses));

  control_.set_users({4, 0}, 0);
  ASSERT_TRUE(eventually([&] { return control_.spawned() == std::vector<int>{4, 0}; }));
  ASSERT_TRUE(eventually([&] { return server.requests()["GET /a"] >= 40; })) << err_.str();
  EXPECT_EQ(server.requests()["GET /b"], 0u) << "no user of B before the master asks for one";

  // The master moves three users from A to B: three A users stop, three B users start.
  control_.set_users({1, 3}, 0);
  ASSERT_TRUE(eventually([&] { return control_.spawned() == std::vector<int>{1, 3}; }));
  ASSERT_TRUE(eventually([&] { return server.requests()["GET /b"] >= 30; }));
  auto before = server.requests();
  ASSERT_TRUE(eventually([&] { return server.requests()["GET /b"] >= before["GET /b"] + 150; }));
  auto after = server.requests();
  const double a = static_cast<double>(after["GET /a"] - before["GET /a"]);
  const double b = static_cast<double>(after["GET /b"] - before["GET /b"]);
  // Same pacing in both classes, so requests follow the users: 3 B to 1 A (4 A would give
  // 0.75, and A users left running would show here).
  EXPECT_GT(b / std::max(a, 1.0), 1.8) << "A " << a << ", B " << b;
  EXPECT_LT(b / std::max(a, 1.0), 6.0) << "A " << a << ", B " << b;

  control_.set_users({0, 0}, 0);
  ASSERT_TRUE(eventually([&] { return control_.spawned() == std::vector<int>{0, 0}; }));
  RunOutcome outcome = finish();
  EXPECT_EQ(outcome.failures, 0u) << err_.str();

  results::RunResult r = results::read_result_folder(outcome.folder);
  EXPECT_EQ(r.info.status, "complete");
  EXPECT_EQ(r.info.stop_reason, "finished by the test");
  EXPECT_EQ(r.info.peak_users, 4);
  EXPECT_EQ(r.aggregated.requests, server.total_requests());
  // What was published (history points, the last partial one included) adds up to the
  // result folder's totals, per endpoint: a Locust master sees every request once.
  std::map<std::string, std::uint64_t> published;
  for (const results::HistoryPoint& p : control_.take_history())
    for (const results::IntervalEndpoint& e : p.endpoints) published[e.method + " " + e.name] += e.requests;
  EXPECT_EQ(published["GET /a"], server.requests()["GET /a"]);
  EXPECT_EQ(published["GET /b"], server.requests()["GET /b"]);
  EXPECT_TRUE(control_.take_failures().empty());
}

TEST_P(SteeredRun, FailuresArePublishedWithTheirText) {
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 10, 60s);
  c.run_time.reset();
  start(c, scenario(R"({"stampede_scenario": 1, "name": "failing", "user_classes": [
    {"name": "F", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"name": "oops", "method": "GET", "path": "/status/503"}}]}]})"));
  control_.set_users({2}, 0);
  ASSERT_TRUE(eventually([&] { return server.total_requests() >= 10; }));
  RunOutcome outcome = finish();
  std::uint64_t occurrences = 0;
  for (const results::FailureStats& f : control_.take_failures()) {
    EXPECT_EQ(f.method, "GET");
    EXPECT_EQ(f.name, "oops");
    EXPECT_NE(f.error.find("503"), std::string::npos) << f.error;
    occurrences += f.occurrences;
  }
  EXPECT_EQ(occurrences, outcome.failures);
  EXPECT_EQ(outcome.failures, server.total_requests());
}

TEST_P(SteeredRun, ARunNeverGivenUsersEndsCompleteWithNoRequests) {
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 10, 60s);
  c.run_time.reset();
  start(c, scenario(kTwoClasses));
  std::this_thread::sleep_for(200ms);
  RunOutcome outcome = finish();
  EXPECT_EQ(outcome.requests, 0u);
  EXPECT_EQ(server.total_requests(), 0u);
  EXPECT_EQ(results::read_result_folder(outcome.folder).info.status, "complete");
}

STAMPEDE_ON_EVERY_TRANSPORT(SteeredRun);

}  // namespace
}  // namespace stampede::engine
