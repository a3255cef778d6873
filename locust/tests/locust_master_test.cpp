// The worker's protocol against Debian's real Locust master (python3-locust 2.12.1), on
// 127.0.0.1 only: a headless master started by the test with the scenario's locustfile,
// and a scripted worker made of MasterLink and messages.h (ready, ack, heartbeats, spawn,
// spawning_complete, stats deltas, quit). The master's CSV must show exactly the requests
// and failures the worker reported, under the worker's endpoint names. Bounded: the master
// runs 5 s of test time, the whole exchange gives up after 60 s and kills the master by PID.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "locust/locustfile.h"
#include "locust/master_link.h"
#include "locust/messages.h"
#include "locust/tests/locust_master.h"
#include "locust/tests/python_helper.h"

namespace stampede::locust {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::Master;
using testing::free_port;
using testing::read_stats_csv;
using testing::slurp;

constexpr const char* kScenario = R"({"stampede_scenario": 1, "name": "master-test", "user_classes": [
  {"name": "Shopper", "weight": 3, "tasks": [{"request": {"method": "GET", "path": "/a"}}]},
  {"name": "Browser", "weight": 1, "tasks": [{"request": {"method": "POST", "path": "/b"}}]}]})";

class LocustMaster : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_locust() || !fs::exists("/usr/bin/locust"))
      GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
    dir_ = testing::test_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::ofstream(dir_ / "master.py")
        << make_locustfile(scenarios::Scenario::parse_text(kScenario, "master-test.json"), "master-test.json", "test");
  }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(LocustMaster, ReadySpawnStatsQuitRoundTripWithExactCounts) {
  const std::uint16_t port = free_port();
  Master master(dir_, port, "5s");
  ASSERT_TRUE(master.started());
  MasterLink link("127.0.0.1", port, make_client_id());

  StatsEntry a, b;
  a.method = "GET", a.name = "/a", b.method = "POST", b.name = "/b";
  std::uint64_t sent_a = 0, sent_b = 0, failed_b = 0;
  std::map<std::string, int> counts;
  int ack_index = -1, spawns = 0;
  bool quit = false;

  // One report's worth of requests: 10 on /a at 20 ms, 5 on /b at 150 ms, one of them failed.
  auto make_report = [&](double now) {
    StatsReport r;
    a.start_time = b.start_time = now - 1;
    a.log(20, 100, now, 10);
    b.log(150, 10, now, 5);
    b.log_error(now, 1);
    sent_a += 10, sent_b += 5, failed_b += 1;
    r.stats = {a, b};
    r.total = a;
    r.total.extend(b);
    r.total.name = "Aggregated", r.total.method = "";
    r.errors[error_key("POST", "/b", "HTTP 503")] = {"POST", "/b", "HTTP 503", 1};
    r.user_classes_count = counts;
    for (const auto& [cls, n] : counts) r.user_count += n;
    a = StatsEntry{}, b = StatsEntry{};
    a.method = "GET", a.name = "/a", b.method = "POST", b.name = "/b";
    return r;
  };

  ASSERT_TRUE(link.send(encode_client_ready(link.client_id())));
  auto next_beat = Clock::now();
  auto last_ready = Clock::now();
  const auto give_up = Clock::now() + 60s;
  while (!quit && Clock::now() < give_up) {
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (Clock::now() >= next_beat) {
      next_beat += 1s;
      const bool running = spawns > 0;
      link.send(encode_heartbeat(link.client_id(), running ? kStateRunning : kStateReady, 1.5, 10'000'000));
      if (running) link.send(encode_stats(link.client_id(), make_report(now)));
      // The master may still be starting (importing gevent): say ready again until it acks.
      if (ack_index < 0 && Clock::now() - last_ready > 5s) {
        link.send(encode_client_ready(link.client_id()));
        last_ready = Clock::now();
      }
    }
    const auto m = link.receive(100ms);
    if (!m) continue;
    switch (m->type) {
      case MasterMessage::Type::kAck: ack_index = m->ack_index; break;
      case MasterMessage::Type::kSpawn:
        link.send(encode_spawning(link.client_id()));
        counts = m->spawn.user_classes_count;
        ++spawns;
        link.send(encode_spawning_complete(link.client_id(), counts));
        break;
      case MasterMessage::Type::kQuit:
        // The last partial interval first: the master waits only 0.5 s before its CSV.
        link.send(encode_stats(link.client_id(), make_report(now)));
        link.send(encode_quit(link.client_id()));
        quit = true;
        break;
      default: break;
    }
  }
  ASSERT_TRUE(quit) << "no quit from the master within 60 s:\n" << slurp(dir_ / "master.out") << slurp(dir_ / "master.log");
  // Exit code 1: Locust's way of saying requests failed (the worker reported failures).
  EXPECT_EQ(master.wait(30s), 1) << slurp(dir_ / "master.log");
  EXPECT_EQ(slurp(dir_ / "master.log").find("different version"), std::string::npos) << slurp(dir_ / "master.log");
  EXPECT_EQ(ack_index, 0);
  EXPECT_GE(spawns, 1);
  EXPECT_EQ(counts, (std::map<std::string, int>{{"Browser", 1}, {"Shopper", 3}}));

  const auto rows = read_stats_csv(dir_ / "m_stats.csv");
  ASSERT_TRUE(rows.count({"GET", "/a"})) << slurp(dir_ / "m_stats.csv");
  EXPECT_EQ(rows.at({"GET", "/a"}).requests, sent_a);
  EXPECT_EQ(rows.at({"GET", "/a"}).failures, 0u);
  EXPECT_EQ(rows.at({"POST", "/b"}).requests, sent_b);
  EXPECT_EQ(rows.at({"POST", "/b"}).failures, failed_b);
  EXPECT_EQ(rows.at({"", "Aggregated"}).requests, sent_a + sent_b);
  EXPECT_NE(slurp(dir_ / "m_failures.csv").find("HTTP 503"), std::string::npos) << slurp(dir_ / "m_failures.csv");
  // The response-time buckets arrived: the median of /b is its 150 ms bucket.
  EXPECT_NE(slurp(dir_ / "m_stats.csv").find("POST,/b," + std::to_string(sent_b) + "," + std::to_string(failed_b) + ",150,"),
            std::string::npos)
      << slurp(dir_ / "m_stats.csv");
}

}  // namespace
}  // namespace stampede::locust
