// `stampede merge` end to end: two real runs of `stampede run` against the local test
// server (127.0.0.1, 2 s each), merged from the command line, read back like any run. The
// merged histograms must equal the HDR merge of the parts' (which hold every sample at
// full precision), counts the parts' sums; refusals exit 2 with the reason and write
// nothing. Bounds only: nothing here asserts speed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "generator/commands/cli.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

namespace stampede::commands {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScenario = R"({"stampede_scenario": 1, "name": "merge-e2e", "user_classes": [
  {"name": "Reader", "wait_time": {"constant": 0.01}, "tasks": [
    {"weight": 3, "request": {"method": "GET", "path": "/fast", "name": "/fast"}},
    {"weight": 1, "request": {"method": "GET", "path": "/delay/15/slow", "name": "/slow"}}]}]})";

constexpr const char* kOtherScenario = R"({"stampede_scenario": 1, "name": "merge-other", "user_classes": [
  {"name": "Reader", "wait_time": {"constant": 0.01}, "tasks": [
    {"request": {"method": "GET", "path": "/fast", "name": "/fast"}}]}]})";

struct Cli {
  int code = -1;
  std::string out, err;
};

class MergeCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stampede-merge-cmd-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "scenario.json") << kScenario;
    std::ofstream(dir_ / "other.json") << kOtherScenario;
  }
  void TearDown() override { fs::remove_all(dir_); }

  Cli cli(std::vector<std::string> all) {
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    std::atomic<int> interrupts{0};
    std::ostringstream out, err;
    Cli result;
    result.code = run_cli(static_cast<int>(argv.size()), argv.data(), interrupts, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  // A real 2-second run of `scenario` labelled `label` into dir_/<label>.
  void run(const std::string& label, const std::string& scenario = "scenario.json") {
    const Cli c = cli({"stampede", "run", "-f", (dir_ / scenario).string(), "-H", server_.url(), "--out",
                       (dir_ / label).string(), "--label", label, "-u", "3", "-r", "100", "-t", "2s", "--threads",
                       "1", "-q"});
    ASSERT_EQ(c.code, 0) << c.err;
  }

  http::testing::TestHttpServer server_;
  fs::path dir_;
};

TEST_F(MergeCommand, TwoRealRunsMergeExactly) {
  run("w1");
  run("w2");
  const Cli c = cli({"stampede", "merge", (dir_ / "w1").string(), (dir_ / "w2").string(), "--out",
                     (dir_ / "big").string()});
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("merged 2 runs"), std::string::npos) << c.out;

  const results::RunResult w1 = results::read_result_folder(dir_ / "w1");
  const results::RunResult w2 = results::read_result_folder(dir_ / "w2");
  const results::RunResult big = results::read_result_folder(dir_ / "big");
  ASSERT_GT(w1.aggregated.requests, 0u);
  ASSERT_GT(w2.aggregated.requests, 0u);
  EXPECT_EQ(big.aggregated.requests, w1.aggregated.requests + w2.aggregated.requests);
  EXPECT_EQ(server_.total_requests(), big.aggregated.requests);
  results::Histogram all = w1.aggregated.latency;
  all.merge(w2.aggregated.latency);
  EXPECT_EQ(big.aggregated.latency, all);
  EXPECT_EQ(big.aggregated.latency.value_at_percentile(99), all.value_at_percentile(99));
  ASSERT_EQ(big.endpoints.size(), 2u);
  for (const results::EndpointStats& e : big.endpoints) {
    results::Histogram expected;
    std::uint64_t requests = 0;
    for (const results::RunResult* part : {&w1, &w2})
      for (const results::EndpointStats& p : part->endpoints)
        if (p.name == e.name) {
          expected.merge(p.latency);
          requests += p.requests;
        }
    EXPECT_EQ(e.latency, expected) << e.name;
    EXPECT_EQ(e.requests, requests) << e.name;
  }
  // The merged history holds every request once.
  std::uint64_t history_requests = 0;
  for (const auto& p : big.history) history_requests += p.total().requests;
  EXPECT_EQ(history_requests, big.aggregated.requests);
  EXPECT_EQ(big.info.label, "w1+w2");
  EXPECT_EQ(big.info.users, 6);
  EXPECT_EQ(big.info.extra.at("merged_from").size(), 2u);
}

TEST_F(MergeCommand, RefusesDifferentScenariosAndWritesNothing) {
  run("w1");
  run("w2", "other.json");
  const Cli c = cli({"stampede", "merge", (dir_ / "w1").string(), (dir_ / "w2").string(), "--out",
                     (dir_ / "big").string()});
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("scenario 'merge-other' is not 'merge-e2e'"), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(dir_ / "big"));
}

TEST_F(MergeCommand, RefusesTheSameRunTwice) {
  run("w1");
  const Cli c = cli({"stampede", "merge", (dir_ / "w1").string(), (dir_ / "w1").string(), "--out",
                     (dir_ / "big").string()});
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("both labelled 'w1'"), std::string::npos) << c.err;
  EXPECT_FALSE(fs::exists(dir_ / "big"));
}

TEST_F(MergeCommand, UsageErrors) {
  const Cli one = cli({"stampede", "merge", (dir_ / "w1").string(), "--out", (dir_ / "big").string()});
  EXPECT_EQ(one.code, 2);
  EXPECT_NE(one.err.find("two or more"), std::string::npos) << one.err;
  const Cli no_out = cli({"stampede", "merge", "a", "b"});
  EXPECT_EQ(no_out.code, 2);
  EXPECT_NE(no_out.err.find("--out"), std::string::npos) << no_out.err;
  const Cli missing = cli({"stampede", "merge", (dir_ / "nope1").string(), (dir_ / "nope2").string(), "--out",
                           (dir_ / "big").string()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("nope1"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace stampede::commands
