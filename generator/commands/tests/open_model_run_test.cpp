// `stampede run --arrival-rate` end to end (docs/open-model.md): the real command line
// in-process against the local test server, and the result folder it writes. run.json's
// `open_model`, the dropped arrivals per endpoint in stats.json and history.jsonl, the
// schedule-lag warning, and the folder of an interrupted run. Bounds only: nothing here
// asserts speed (CI is a busy 2-core machine), every run is bounded by its run time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "generator/commands/cli.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

namespace stampede::commands {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// One class, two tasks: 3 of 4 iterations one slow GET, 1 of 4 a sequence whose first
// request is fast and whose second is slow. A dropped arrival counts for its task's first
// request: /slow or /seq/first, never /seq/second.
constexpr const char* kScenario = R"({"stampede_scenario": 1, "name": "open-e2e", "user_classes": [
  {"name": "Buyer", "tasks": [
    {"weight": 3, "request": {"method": "GET", "path": "/delay/400/slow", "name": "/slow"}},
    {"weight": 1, "sequence": [
      {"method": "POST", "path": "/seq/first", "name": "/seq/first"},
      {"method": "GET", "path": "/delay/400/second", "name": "/seq/second"}]}]}]})";

constexpr const char* kFastScenario = R"({"stampede_scenario": 1, "name": "open-fast", "user_classes": [
  {"name": "Reader", "tasks": [{"request": {"method": "GET", "path": "/x"}}]}]})";

struct Cli {
  int code = -1;
  std::string out, err;
};

class OpenModelRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stampede-open-run-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string scenario(const char* text) {
    const fs::path file = dir_ / "scenario.json";
    std::ofstream(file) << text;
    return file.string();
  }

  // `stampede run` with `args` after the scenario, host and result folder; `interrupt_after`
  // set: a Ctrl-C then, as the signal handler counts it.
  Cli run(const char* scenario_text, std::vector<std::string> args,
          std::optional<std::chrono::milliseconds> interrupt_after = std::nullopt, std::string host = "") {
    std::vector<std::string> all = {"stampede", "run", "-f", scenario(scenario_text), "-H",
                                    host.empty() ? server_.url() : host,
                                    "--out", (dir_ / "run").string(), "--seed", "7"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    std::atomic<int> interrupts{0};
    std::thread ctrl_c;
    if (interrupt_after) ctrl_c = std::thread([&, after = *interrupt_after] {
      std::this_thread::sleep_for(after);
      ++interrupts;
    });
    std::ostringstream out, err;
    Cli result;
    result.code = run_cli(static_cast<int>(argv.size()), argv.data(), interrupts, out, err);
    if (ctrl_c.joinable()) ctrl_c.join();
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  json run_json() const {
    std::ifstream in(dir_ / "run/run.json");
    return json::parse(in);
  }

  http::testing::TestHttpServer server_;
  fs::path dir_;
};

const results::EndpointStats* endpoint(const results::RunResult& r, const std::string& name) {
  for (const auto& e : r.endpoints)
    if (e.name == name) return &e;
  return nullptr;
}

// A tiny --max-users against a slow target: most arrivals find no free user. The drops are
// counted in run.json, per endpoint of the task's first request in stats.json, and per
// second in the history; the counts agree everywhere.
TEST_F(OpenModelRun, DropsAreCountedPerEndpointAndSecondAndAgreeEverywhere) {
  const Cli cli = run(kScenario, {"--arrival-rate", "40", "--max-users", "2", "-t", "2s", "--threads", "2", "-q"});
  ASSERT_EQ(cli.code, 0) << cli.err;

  const json open = run_json().at("open_model");
  EXPECT_EQ(open.at("arrival_rate"), 40.0);
  EXPECT_EQ(open.at("arrivals"), "even");
  EXPECT_EQ(open.at("max_users"), 2);
  EXPECT_EQ(open.at("shape"), false);

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_TRUE(r.info.open_model.has_value());
  const results::OpenModelInfo& o = *r.info.open_model;
  const std::uint64_t arrivals = o.iterations_started + o.dropped;
  // ~80 arrivals due in 2 s; the bounds only say the schedule ran (a busy machine may stall).
  EXPECT_GE(arrivals, 30u);
  EXPECT_LE(static_cast<double>(arrivals), 40 * r.info.duration_s + 5) << r.info.duration_s << " s";
  // Two users, 400 ms per iteration at least: at most ~5 iterations a second each.
  EXPECT_GT(o.dropped, arrivals / 3) << o.iterations_started << " started";
  EXPECT_GE(o.iterations_started, 2u);
  EXPECT_EQ(o.dropped_by_class, (std::map<std::string, std::uint64_t>{{"Buyer", o.dropped}}));

  // stats.json: per endpoint of the first request; their sum is the aggregate and run.json's.
  EXPECT_EQ(r.aggregated.dropped, o.dropped);
  std::uint64_t by_endpoint = 0;
  for (const auto& e : r.endpoints) by_endpoint += e.dropped;
  EXPECT_EQ(by_endpoint, o.dropped);
  const results::EndpointStats* slow = endpoint(r, "/slow");
  ASSERT_NE(slow, nullptr);
  EXPECT_GT(slow->dropped, 0u);
  if (const results::EndpointStats* second = endpoint(r, "/seq/second")) {
    EXPECT_EQ(second->dropped, 0u);
  }
  // Every started iteration sent its first request, and each was answered before the end.
  const results::EndpointStats* first = endpoint(r, "/seq/first");
  EXPECT_EQ(slow->requests + (first ? first->requests : 0), o.iterations_started);

  // history.jsonl: the drops per second add up to the same total.
  std::uint64_t in_history = 0;
  for (const auto& p : r.history) in_history += p.total().dropped;
  EXPECT_EQ(in_history, o.dropped);
  std::ifstream lines(dir_ / "run/history.jsonl");
  std::string line;
  bool written = false;
  while (std::getline(lines, line)) written = written || json::parse(line).at("total").contains("dropped");
  EXPECT_TRUE(written) << "history.jsonl lines carry dropped";
}

// Against a fast target with room to spare: the arrivals follow the rate (generous bounds),
// each started iteration is one request, and run.json says how arrivals were spread.
TEST_F(OpenModelRun, ArrivalsFollowTheRate) {
  const Cli cli = run(kFastScenario, {"--arrival-rate", "100", "--arrivals", "poisson", "--max-users", "50", "-t",
                                      "3s", "--threads", "2", "-q"});
  ASSERT_EQ(cli.code, 0) << cli.err;
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_TRUE(r.info.open_model.has_value());
  const results::OpenModelInfo& o = *r.info.open_model;
  EXPECT_EQ(o.arrivals, results::Arrivals::kPoisson);
  EXPECT_EQ(o.max_users, 50);
  const double expected = 100 * r.info.duration_s;
  const double arrivals = static_cast<double>(o.iterations_started + o.dropped);
  EXPECT_GE(arrivals, expected * 0.5) << r.info.duration_s << " s";
  EXPECT_LE(arrivals, expected * 1.5 + 10) << r.info.duration_s << " s";
  EXPECT_EQ(r.aggregated.requests, o.iterations_started);
  EXPECT_EQ(r.aggregated.service.count(), r.aggregated.requests) << "the open model records the service time";
  EXPECT_EQ(server_.total_requests(), r.aggregated.requests);
  EXPECT_EQ(r.info.status, "complete");
}

// A schedule the generator cannot keep: 10M arrivals a second on one thread, each of the
// first 5,000 creating its user and opening a connection (to a closed loopback port: each
// fails at once), takes far longer than the schedule allows, whatever the machine. So the
// arrivals start late, run.json records the lag, and the run ends with the warning (even
// with -q).
TEST_F(OpenModelRun, FallingBehindTheScheduleIsRecordedAndWarned) {
  const Cli cli = run(kFastScenario, {"--arrival-rate", "10M", "--max-users", "5k", "-t", "1s", "--threads", "1", "-q"},
                      std::nullopt, "http://127.0.0.1:1");
  ASSERT_EQ(cli.code, 1) << "every request failed to connect\n" << cli.err;
  EXPECT_NE(cli.err.find("warning: the generator fell behind its own arrival schedule"), std::string::npos) << cli.err;
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_TRUE(r.info.open_model.has_value());
  const results::OpenModelInfo& o = *r.info.open_model;
  EXPECT_GT(o.late_arrivals, 0u);
  EXPECT_GT(o.max_schedule_lag_ms, 10.0);
  EXPECT_GE(o.total_schedule_lag_ms, o.max_schedule_lag_ms);
  EXPECT_GT(o.dropped, 0u);
  EXPECT_EQ(r.aggregated.dropped, o.dropped);
}

// Ctrl-C: the run stops, its folder is complete (stats.json, the history) and says
// "interrupted", with the open model's counts so far.
TEST_F(OpenModelRun, AnInterruptedRunWritesItsFolder) {
  const Cli cli = run(kScenario, {"--arrival-rate", "20", "--max-users", "2", "-t", "60s", "--threads", "2", "-q"},
                      1500ms);
  EXPECT_EQ(cli.code, 0) << cli.err;
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.status, "interrupted");
  EXPECT_TRUE(fs::exists(dir_ / "run/stats.json"));
  EXPECT_LT(r.info.duration_s, 30.0) << "stopped by the interrupt, not the run time";
  ASSERT_TRUE(r.info.open_model.has_value());
  const results::OpenModelInfo& o = *r.info.open_model;
  EXPECT_GE(o.iterations_started, 1u);
  EXPECT_EQ(r.aggregated.dropped, o.dropped);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

}  // namespace
}  // namespace stampede::commands
