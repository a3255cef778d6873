// run_worker_session against Debian's real Locust master: a scripted load (each second,
// 5 requests per user of its class, at known latencies, one failure a second on /b)
// stands in for the engine. The master's CSV must count exactly what the load produced,
// including the last partial interval handed over at quit; a class the load lacks is
// reported to the master as an exception (its exceptions CSV) while the others run.
// Bounded: 5 s of test time; the session gives up on a master that never answers.
#include "locust/worker_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>
#include <sstream>
#include <utility>

#include "locust/locustfile.h"
#include "locust/tests/locust_master.h"
#include "locust/tests/python_helper.h"

namespace stampede::locust {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kScenario = R"({"stampede_scenario": 1, "name": "session-test", "user_classes": [
  {"name": "Shopper", "weight": 3, "tasks": [{"request": {"method": "GET", "path": "/a"}}]},
  {"name": "Browser", "weight": 1, "tasks": [{"request": {"method": "POST", "path": "/b"}}]},
  {"name": "Ghost", "fixed_count": 1, "tasks": [{"request": {"method": "GET", "path": "/ghost"}}]}]})";

// Knows Shopper (GET /a, 20 ms) and Browser (POST /b, 150 ms); not Ghost.
class ScriptedLoad : public WorkerLoad {
 public:
  std::vector<std::string> set_users(const std::map<std::string, int>& counts, const std::string&) override {
    std::vector<std::string> unknown;
    counts_.clear();
    for (const auto& [cls, n] : counts) {
      if (cls == "Shopper" || cls == "Browser") counts_[cls] = n;
      else unknown.push_back(cls);
    }
    ++spawns;
    return unknown;
  }
  std::vector<results::HistoryPoint> take_intervals() override {
    std::vector<results::HistoryPoint> points;
    if (counts_.empty()) return points;
    results::HistoryPoint p;
    p.unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
    for (const auto& [cls, n] : counts_) {
      results::IntervalEndpoint e;
      e.method = cls == "Shopper" ? "GET" : "POST";
      e.name = cls == "Shopper" ? "/a" : "/b";
      e.requests = 5 * static_cast<std::uint64_t>(n);
      e.latency.record(cls == "Shopper" ? 20'000 : 150'000, e.requests);
      e.failures = cls == "Browser" ? 1 : 0;
      e.content_bytes = e.requests * 10;
      requests[e.name] += e.requests;
      failures[e.name] += e.failures;
      if (e.failures > 0) pending_failures_.push_back({e.method, e.name, "HTTP 503", e.failures});
      p.endpoints.push_back(std::move(e));
    }
    points.push_back(std::move(p));
    return points;
  }
  void stop(const std::string& why) override {
    stopped = true;
    stop_reasons.push_back(why);
    counts_.clear();
  }
  std::vector<results::FailureStats> take_failures() override { return std::exchange(pending_failures_, {}); }

  std::map<std::string, std::uint64_t> requests, failures;
  std::atomic<int> spawns = 0;
  std::atomic<bool> stopped = false;
  std::vector<std::string> stop_reasons;

 private:
  std::map<std::string, int> counts_;
  std::vector<results::FailureStats> pending_failures_;
};

TEST(WorkerSession, RealMasterCountsExactlyWhatTheLoadDid) {
  if (!testing::have_locust() || !fs::exists("/usr/bin/locust"))
    GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
  const fs::path dir = testing::test_dir("WorkerSession");
  std::ofstream(dir / "master.py")
      << make_locustfile(scenarios::Scenario::parse_text(kScenario, "session-test.json"), "session-test.json", "test");
  const std::uint16_t port = testing::free_port();
  testing::Master master(dir, port, "5s", 5);
  ASSERT_TRUE(master.started());

  MasterLink link("127.0.0.1", port, make_client_id());
  ScriptedLoad load;
  SessionOptions options;
  options.report_interval = 1s;  // more reports, same totals
  options.ready_retries = 12;    // 60 s at most for the master to come up
  std::atomic<int> interrupts{0};
  std::ostringstream log;
  const SessionEnd end = run_worker_session(link, load, options, interrupts, log);
  EXPECT_EQ(end, SessionEnd::kQuit) << log.str();
  EXPECT_EQ(master.wait(30s), 1) << testing::slurp(dir / "master.log");  // 1: requests failed
  EXPECT_TRUE(load.stopped);
  EXPECT_GE(load.spawns, 1);

  const auto rows = testing::read_stats_csv(dir / "m_stats.csv");
  ASSERT_TRUE(rows.count({"GET", "/a"})) << testing::slurp(dir / "m_stats.csv") << log.str();
  ASSERT_GT(load.requests["/a"], 0u);
  EXPECT_EQ(rows.at({"GET", "/a"}).requests, load.requests["/a"]);
  EXPECT_EQ(rows.at({"POST", "/b"}).requests, load.requests["/b"]);
  EXPECT_EQ(rows.at({"POST", "/b"}).failures, load.failures["/b"]);
  EXPECT_EQ(rows.at({"", "Aggregated"}).requests, load.requests["/a"] + load.requests["/b"]);
  EXPECT_FALSE(rows.count({"GET", "/ghost"}));
  const std::string failures_csv = testing::slurp(dir / "m_failures.csv");
  // The master writes every worker's error text as a Python repr (quoted), ours as Python's.
  EXPECT_NE(failures_csv.find("POST,/b,'HTTP 503'," + std::to_string(load.failures["/b"])), std::string::npos)
      << failures_csv;
  EXPECT_NE(testing::slurp(dir / "m_exceptions.csv").find("no user class 'Ghost'"), std::string::npos)
      << testing::slurp(dir / "m_exceptions.csv");
  EXPECT_NE(log.str().find("worker index 0"), std::string::npos) << log.str();
  fs::remove_all(dir);
}

// Locust 2.12's master sends no heartbeats: its loss is seen as the connection going down.
// A master killed and restarted on the same port within the timeout: the session stops the
// users of the lost test, registers again (client_ready), and the new master runs it; a
// master killed for good: the session stops the load and ends kMasterLost after the timeout.
TEST(WorkerSession, MasterRestartedOnTheSamePortGetsTheWorkerBackAndALostOneEndsTheSession) {
  if (!testing::have_locust() || !fs::exists("/usr/bin/locust"))
    GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
  const fs::path dir = testing::test_dir("WorkerSessionRestart");
  std::ofstream(dir / "master.py")
      << make_locustfile(scenarios::Scenario::parse_text(kScenario, "session-test.json"), "session-test.json", "test");
  const std::uint16_t port = testing::free_port();
  auto first = std::make_unique<testing::Master>(dir, port, "60s", 4);
  ASSERT_TRUE(first->started());

  MasterLink link("127.0.0.1", port, make_client_id());
  ScriptedLoad load;
  SessionOptions options;
  options.report_interval = 1s;
  options.ready_retries = 12;
  options.master_timeout = 20s;  // long enough for the restart below, however busy the machine
  std::atomic<int> interrupts{0};
  std::ostringstream log;
  SessionEnd end = SessionEnd::kInterrupted;
  std::thread session([&] { end = run_worker_session(link, load, options, interrupts, log); });
  auto wait_for = [](const std::function<bool()>& done) {
    for (auto until = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(50ms))
      if (done()) return true;
    return false;
  };
  const bool spawned = wait_for([&] { return load.spawns >= 1; });
  first->kill();
  testing::Master second(dir, port, "3s", 4);
  const bool respawned = spawned && wait_for([&] { return load.spawns >= 2; });
  if (!respawned) interrupts = 1;  // end the session, then fail below
  session.join();
  ASSERT_TRUE(spawned) << log.str();
  EXPECT_TRUE(respawned) << log.str();
  EXPECT_EQ(end, SessionEnd::kQuit) << log.str();
  EXPECT_NE(log.str().find("again (a restarted master?)"), std::string::npos) << log.str();
  ASSERT_FALSE(load.stop_reasons.empty());
  EXPECT_EQ(load.stop_reasons.front(), "the Locust master went away");
  EXPECT_EQ(second.wait(30s), 1) << testing::slurp(dir / "master.log");  // 1: /b failed
  auto second_rows = testing::read_stats_csv(dir / "m_stats.csv");
  EXPECT_GT((second_rows[{"GET", "/a"}].requests), 0u) << testing::slurp(dir / "m_stats.csv");

  // Now a master that is killed for good.
  fs::remove(dir / "m_stats.csv");
  testing::Master third(dir, port, "60s", 4);
  MasterLink link2("127.0.0.1", port, make_client_id());
  ScriptedLoad load2;
  options.master_timeout = 3s;
  std::ostringstream log2;
  std::thread session2([&] { end = run_worker_session(link2, load2, options, interrupts, log2); });
  const bool spawned2 = wait_for([&] { return load2.spawns >= 1; });
  third.kill();
  session2.join();  // bounded: the 3 s timeout (or the ready retries if the master never came)
  ASSERT_TRUE(spawned2) << log2.str();
  EXPECT_EQ(end, SessionEnd::kMasterLost) << log2.str();
  EXPECT_TRUE(load2.stopped);
  ASSERT_FALSE(load2.stop_reasons.empty());
  EXPECT_EQ(load2.stop_reasons.front(), "the Locust master was lost");
  EXPECT_NE(log2.str().find("has been down for 3 s"), std::string::npos) << log2.str();
  fs::remove_all(dir);
}

TEST(WorkerSession, NoMasterEndsAfterTheRetryBudget) {
  MasterLink link("127.0.0.1", testing::free_port(), make_client_id());
  ScriptedLoad load;
  SessionOptions options;
  options.ready_retry_interval = 200ms;
  options.ready_retries = 3;
  std::atomic<int> interrupts{0};
  std::ostringstream log;
  EXPECT_EQ(run_worker_session(link, load, options, interrupts, log), SessionEnd::kNoMaster);
  EXPECT_NE(log.str().find("no Locust master answered at tcp://127.0.0.1:"), std::string::npos) << log.str();
  EXPECT_EQ(load.spawns, 0);
}

}  // namespace
}  // namespace stampede::locust
