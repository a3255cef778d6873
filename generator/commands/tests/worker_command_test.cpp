// `stampede worker` end to end: Debian's real Locust 2.12.1 master (python3-locust, started
// headless on 127.0.0.1 by locust/tests/locust_master.h), the worker in-process through
// run_cli, TestHttpServer as the target. The master's CSV must count exactly what the
// worker's own result folder recorded, per endpoint; a master killed mid-run must leave the
// worker's result folder written and exit 1. Bounded: a few seconds of load per test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "generator/commands/cli.h"
#include "generator/http/tests/test_http_server.h"
#include "locust/locustfile.h"
#include "locust/tests/locust_master.h"
#include "locust/tests/python_helper.h"
#include "results/result_folder.h"

namespace stampede::commands {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
namespace lt = locust::testing;

constexpr const char* kScenario = R"({"stampede_scenario": 1, "name": "worker-e2e", "user_classes": [
  {"name": "Buyer", "weight": 3, "wait_time": {"constant": 0.05}, "tasks": [
    {"weight": 2, "request": {"method": "GET", "path": "/items"}},
    {"weight": 1, "request": {"name": "add to cart", "method": "POST", "path": "/cart", "json": {"id": 1}}}]},
  {"name": "Viewer", "weight": 1, "wait_time": {"constant": 0.05}, "tasks": [
    {"request": {"method": "GET", "path": "/status/404", "name": "missing page"}}]}]})";

struct Cli {
  int code = -1;
  std::string out, err;
};

Cli cli(std::vector<std::string> all, const std::atomic<int>& interrupts) {
  all.insert(all.begin(), "stampede");
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  std::ostringstream out, err;
  Cli result;
  result.code = run_cli(static_cast<int>(argv.size()), argv.data(), interrupts, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

class WorkerCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() / ("stampede-worker-cmd-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "scenario.json") << kScenario;
  }
  void TearDown() override { fs::remove_all(dir_); }

  bool have_master() const { return lt::have_locust() && fs::exists("/usr/bin/locust"); }
  void write_master_file() {
    const auto scenario = scenarios::Scenario::load(dir_ / "scenario.json");
    std::ofstream(dir_ / "master.py") << locust::make_locustfile(scenario, "scenario.json", "test");
  }
  std::vector<std::string> worker_args(std::uint16_t port, const std::string& host) {
    return {"worker", "-f", (dir_ / "scenario.json").string(), "--master-port", std::to_string(port), "--host", host,
            "--out", (dir_ / "w1").string(), "--threads", "1", "--quiet", "--master-wait", "60s"};
  }

  fs::path dir_;
};

TEST_F(WorkerCommand, RealMasterCountsExactlyWhatTheWorkersResultFolderRecorded) {
  if (!have_master()) GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
  write_master_file();
  http::testing::TestHttpServer server;
  const std::uint16_t port = lt::free_port();
  lt::Master master(dir_, port, "5s", 8);
  ASSERT_TRUE(master.started());
  std::atomic<int> interrupts{0};
  const Cli worker = cli(worker_args(port, server.url()), interrupts);
  EXPECT_EQ(worker.code, 1) << "'missing page' answers 404: requests failed\n" << worker.err;
  EXPECT_EQ(master.wait(30s), 1) << lt::slurp(dir_ / "master.log");

  const results::RunResult run = results::read_result_folder(dir_ / "w1");
  EXPECT_EQ(run.info.status, "complete");
  EXPECT_EQ(run.info.stop_reason, "quit by the Locust master");
  EXPECT_EQ(run.info.peak_users, 8);
  EXPECT_EQ(run.aggregated.requests, server.total_requests()) << "the folder counts every request once";
  const auto rows = lt::read_stats_csv(dir_ / "m_stats.csv");
  ASSERT_EQ(run.endpoints.size(), 3u) << lt::slurp(dir_ / "m_stats.csv");
  for (const results::EndpointStats& e : run.endpoints) {
    ASSERT_TRUE(rows.count({e.method, e.name})) << e.method << " " << e.name << "\n" << lt::slurp(dir_ / "m_stats.csv");
    EXPECT_GT(e.requests, 0u) << e.name;
    EXPECT_EQ(rows.at({e.method, e.name}).requests, e.requests) << e.name;
    EXPECT_EQ(rows.at({e.method, e.name}).failures, e.failures) << e.name;
  }
  EXPECT_EQ(rows.at({"", "Aggregated"}).requests, run.aggregated.requests);
  EXPECT_EQ(rows.at({"", "Aggregated"}).failures, run.aggregated.failures);
  EXPECT_EQ(rows.at({"GET", "missing page"}).failures, rows.at({"GET", "missing page"}).requests);
  EXPECT_FALSE(fs::exists(dir_ / (".w1.partial-" + std::to_string(::getpid())))) << "the folder was moved into place";
}

TEST_F(WorkerCommand, AMasterKilledMidRunLeavesTheResultFolderAndExitOne) {
  if (!have_master()) GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
  write_master_file();
  http::testing::TestHttpServer server;
  const std::uint16_t port = lt::free_port();
  lt::Master master(dir_, port, "60s", 4);
  ASSERT_TRUE(master.started());
  std::atomic<int> interrupts{0};
  auto args = worker_args(port, server.url());
  args.insert(args.end(), {"--master-timeout", "3s"});
  Cli worker;
  std::thread thread([&] { worker = cli(args, interrupts); });
  for (auto until = std::chrono::steady_clock::now() + 60s;
       server.total_requests() < 50 && std::chrono::steady_clock::now() < until;)
    std::this_thread::sleep_for(50ms);
  const bool loaded = server.total_requests() >= 50;
  master.kill();
  if (!loaded) interrupts = 1;
  thread.join();  // bounded: --master-timeout after the kill
  ASSERT_TRUE(loaded) << worker.err << lt::slurp(dir_ / "master.log");
  EXPECT_EQ(worker.code, 1) << worker.err;
  EXPECT_NE(worker.err.find("has been down for 3 s"), std::string::npos) << worker.err;
  const results::RunResult run = results::read_result_folder(dir_ / "w1");
  EXPECT_EQ(run.info.stop_reason, "the Locust master was lost");
  EXPECT_EQ(run.aggregated.requests, server.total_requests());
}

TEST_F(WorkerCommand, BadFlagsAndScenariosExitTwoNamingWhat) {
  std::atomic<int> interrupts{0};
  const std::string scenario = (dir_ / "scenario.json").string();
  Cli c = cli({"worker", "-f", scenario, "--master-timeout", "soon", "--expect-users", "0", "--master-port", "70000"},
              interrupts);
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("--master-timeout: expected a duration"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("--expect-users: expected a whole number"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("--master-port: expected a port"), std::string::npos) << c.err;

  c = cli({"worker", "-f", scenario, "-H", "127.0.0.1:8000"}, interrupts);
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("-H/--host: expected scheme://host"), std::string::npos) << c.err;

  std::ofstream(dir_ / "open.json") << R"({"stampede_scenario": 1, "name": "open",
    "load_shape": {"arrival_rate": {"start_rate": 0, "stages": [{"duration": "10s", "target": 5}]}},
    "user_classes": [{"name": "U", "tasks": [{"request": {"method": "GET", "path": "/"}}]}]})";
  c = cli({"worker", "-f", (dir_ / "open.json").string()}, interrupts);
  EXPECT_EQ(c.code, 2) << c.err;
  EXPECT_NE(c.err.find("arrival_rate form"), std::string::npos) << c.err;
}

TEST_F(WorkerCommand, NoMasterExitsTwoAfterMasterWait) {
  std::atomic<int> interrupts{0};
  const Cli c = cli({"worker", "-f", (dir_ / "scenario.json").string(), "--master-port",
                     std::to_string(lt::free_port()), "--master-wait", "1s", "-q"},
                    interrupts);
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("no Locust master answered"), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(dir_ / "w1"));
}

}  // namespace
}  // namespace stampede::commands
