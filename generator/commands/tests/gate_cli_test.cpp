// The CI gate end to end: `stampede run --threshold` against TestHttpServer with a known
// injected delay, `stampede check` on a stored result folder, and the exit codes.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "generator/commands/exit_codes.h"
#include "generator/commands/cli.h"
#include "generator/commands/tests/cli_runner.h"
#include "generator/commands/gate_commands.h"
#include "generator/engine/runner.h"
#include "generator/http/tests/test_http_server.h"

namespace stampede::commands {
namespace {
namespace fs = std::filesystem;

using testing::CliResult;
CliResult cli(std::vector<std::string> args) { return testing::run_stampede(std::move(args)); }

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class GateCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stampede-gate-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Every request waits 60 ms at the server.
  fs::path delay_scenario(const std::string& thresholds = "") {
    fs::path file = dir_ / "delay.json";
    std::ofstream(file) << R"({"stampede_scenario": 1, "name": "delay", )" << thresholds
                        << R"("user_classes": [{"name": "U", "wait_time": {"constant": 0.01}, "tasks": [
        {"request": {"name": "slow", "method": "GET", "path": "/delay/60/x"}}]}]})";
    return file;
  }

  std::vector<std::string> run_args(const fs::path& scenario, const std::string& host,
                                    const std::string& out) {
    return {"run", "-f", scenario.string(), "-H", host, "-u", "2", "-r", "100", "-t", "1500ms",
            "--threads", "1", "--seed", "1", "-q", "--stop-timeout", "2s", "--out", (dir_ / out).string()};
  }

  fs::path dir_;
};

TEST_F(GateCliTest, LooseThresholdPassesTightOneFailsWithExitThreeAndJunit) {
  http::testing::TestHttpServer server;
  fs::path scenario = delay_scenario();

  auto args = run_args(scenario, server.url(), "loose");
  for (std::string t : {"p95 < 2s", "p50 > 50ms", "error_rate < 1%", "count > 5",
                        R"(avg{name="slow"} < 1s)"}) {
    args.push_back("--threshold");
    args.push_back(t);
  }
  auto loose = cli(args);
  EXPECT_EQ(loose.code, kExitOk) << loose.out << loose.err;

  args = run_args(scenario, server.url(), "tight");
  args.insert(args.end(), {"--threshold", "p95 < 2s", "--threshold", "p50 < 20ms", "--junit",
                           (dir_ / "reports" / "junit.xml").string(), "--summary-md",
                           (dir_ / "reports" / "summary.md").string()});
  auto tight = cli(args);
  EXPECT_EQ(tight.code, kExitThresholdsFailed) << tight.out << tight.err;
  const std::string junit = read_file(dir_ / "reports" / "junit.xml");
  EXPECT_NE(junit.find("tests=\"2\" failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<testcase classname=\"stampede.thresholds\" name=\"p50 &lt; 20ms\""),
            std::string::npos) << junit;
  // The measured median is the injected delay or more, never below it.
  const std::string key = "message=\"p50 = ";
  auto at = junit.find(key);
  ASSERT_NE(at, std::string::npos) << junit;
  EXPECT_GE(std::stod(junit.substr(at + key.size())), 60.0) << junit.substr(at, 80);
  EXPECT_NE(read_file(dir_ / "reports" / "summary.md").find("❌ 1 of 2 checks failed"), std::string::npos);
}

TEST_F(GateCliTest, WithoutOutTheGateReadsTheDefaultFolder) {
  http::testing::TestHttpServer server;
  fs::path scenario = delay_scenario();
  auto args = run_args(scenario, server.url(), "unused");
  args.resize(args.size() - 2);  // drop --out: the folder goes under results/runs/ of the cwd
  args.insert(args.end(), {"--label", "gated", "--threshold", "count > 0"});
  const fs::path cwd = fs::current_path();
  fs::current_path(dir_);
  auto r = cli(args);
  fs::current_path(cwd);
  EXPECT_EQ(r.code, kExitOk) << r.out << r.err;
  std::vector<fs::path> runs;
  for (const auto& entry : fs::directory_iterator(dir_ / "results" / "runs")) runs.push_back(entry.path());
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].filename().string().ends_with("-gated")) << runs[0];
  EXPECT_TRUE(fs::exists(runs[0] / "stats.json"));
}

TEST_F(GateCliTest, ThresholdsFromTheScenarioCountAndThreeWinsOverOne) {
  http::testing::TestHttpServer server;
  fs::path file = dir_ / "mixed.json";
  std::ofstream(file) << R"({"stampede_scenario": 1, "name": "mixed", "thresholds": ["p99 < 5ms"],
    "user_classes": [{"name": "U", "wait_time": {"constant": 0.01}, "tasks": [
      {"request": {"name": "slow", "method": "GET", "path": "/delay/30/x"}},
      {"request": {"name": "bad", "method": "GET", "path": "/status/500"}}]}]})";
  auto r = cli(run_args(file, server.url(), "run"));
  EXPECT_EQ(r.code, kExitThresholdsFailed) << r.out << r.err;  // requests failed too (exit 1)
  // Without thresholds the same run exits 1.
  std::ofstream(file) << R"({"stampede_scenario": 1, "name": "mixed",
    "user_classes": [{"name": "U", "wait_time": {"constant": 0.01}, "tasks": [
      {"request": {"name": "bad", "method": "GET", "path": "/status/500"}}]}]})";
  EXPECT_EQ(cli(run_args(file, server.url(), "run2")).code, kExitRequestsFailed);
}

TEST_F(GateCliTest, BadThresholdIsAUsageErrorBeforeAnyLoad) {
  http::testing::TestHttpServer server;
  auto args = run_args(delay_scenario(), server.url(), "never");
  args.insert(args.end(), {"--threshold", "p95 < 150"});
  auto r = cli(args);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("threshold 'p95 < 150': missing unit"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at column 10"), std::string::npos) << r.err;
  EXPECT_EQ(server.total_requests(), 0u);
  EXPECT_FALSE(fs::exists(dir_ / "never"));

  // The same in the scenario's "thresholds" names the file and the entry.
  auto from_file = cli(run_args(delay_scenario(R"("thresholds": ["rps > 1", "p95 << 1ms"], )"),
                                server.url(), "never"));
  EXPECT_EQ(from_file.code, kExitUsage);
  EXPECT_NE(from_file.err.find("delay.json /thresholds/1"), std::string::npos) << from_file.err;
  EXPECT_NE(from_file.err.find("column 6"), std::string::npos) << from_file.err;
  EXPECT_EQ(server.total_requests(), 0u);
}

TEST_F(GateCliTest, CheckGatesAStoredResultFolder) {
  const std::string sample = "results/tests/fixtures/sample-run";
  auto pass = cli({"check", sample, "--threshold", "p95 < 1s", "--threshold", "p95{shard=2} < 20ms",
                   "--threshold", "rps > 10 over 3s"});
  EXPECT_EQ(pass.code, kExitOk) << pass.out << pass.err;
  EXPECT_NE(pass.out.find("thresholds: all 3 passed"), std::string::npos) << pass.out;

  fs::path junit = dir_ / "junit.xml", md = dir_ / "summary.md";
  auto fail = cli({"check", sample, "--threshold", "error_rate < 1%", "--threshold",
                   R"(p95{name="/api/nope"} < 1s)", "--junit", junit.string(), "--summary-md", md.string()});
  EXPECT_EQ(fail.code, kExitThresholdsFailed);
  EXPECT_NE(fail.out.find("error_rate = 1.56%, limit < 1%"), std::string::npos) << fail.out;  // 14 of 900
  EXPECT_NE(fail.out.find("no endpoint named \"/api/nope\" in this run"), std::string::npos) << fail.out;
  EXPECT_NE(read_file(junit).find("failures=\"2\""), std::string::npos);
  EXPECT_NE(read_file(md).find("2 of 2 checks failed"), std::string::npos);
}

TEST_F(GateCliTest, CheckUsageErrors) {
  auto none = cli({"check", "results/tests/fixtures/sample-run"});
  EXPECT_EQ(none.code, kExitUsage);
  EXPECT_NE(none.err.find("no thresholds"), std::string::npos) << none.err;
  auto missing = cli({"check", (dir_ / "nope").string(), "--threshold", "p95 < 1s"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_NE(missing.err.find("nope"), std::string::npos) << missing.err;
  auto bad = cli({"check", "results/tests/fixtures/sample-run", "--threshold", "p95 < 1s", "--warmup", "soon"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err.find("--warmup"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace stampede::commands

namespace stampede::commands {
namespace {

TEST_F(GateCliTest, CompareTwoStoredFolders) {
  const std::string sample = "results/tests/fixtures/sample-run";
  fs::path md = dir_ / "compare.md", json = dir_ / "compare.json";
  auto same = cli({"compare", sample, sample, "--max-regression", "p95:10%", "--max-regression", "rps:-5%",
                   "--markdown", md.string(), "--json", json.string(), "--min-requests", "0"});
  EXPECT_EQ(same.code, kExitOk) << same.out << same.err;
  EXPECT_NE(same.out.find("regressions: all 16 passed"), std::string::npos) << same.out;

  // By default, rows with fewer than 100 requests on a side (here the shards) are not
  // judged, and a warning says so per rule.
  auto by_default = cli({"compare", sample, sample, "--max-regression", "p95:10%"});
  EXPECT_EQ(by_default.code, kExitOk) << by_default.out << by_default.err;
  EXPECT_NE(by_default.out.find("regressions: all 4 passed"), std::string::npos) << by_default.out;
  EXPECT_NE(by_default.err.find("p95:10%: 4 rows with fewer than 100 requests on a side not judged"),
            std::string::npos) << by_default.err;
  EXPECT_NE(read_file(md).find("✅ passed (16 checks)"), std::string::npos) << read_file(md);
  EXPECT_NE(read_file(json).find("\"passed\": true"), std::string::npos);

  // The live fixture is the same scenario caught mid-run at a lower request rate.
  auto slower = cli({"compare", sample, "results/tests/fixtures/live-run", "--max-regression", "rps:-5%",
                     "--junit", (dir_ / "compare.xml").string()});
  EXPECT_EQ(slower.code, kExitThresholdsFailed) << slower.out << slower.err;
  EXPECT_NE(slower.out.find("FAIL: rps 90.0 -> 75.0 (-16.7%), allowed -5.0% (all requests)"), std::string::npos)
      << slower.out;
  EXPECT_NE(read_file(dir_ / "compare.xml").find("type=\"regression\""), std::string::npos);

  // The same run under another scenario name: warned about, not failed.
  fs::path other = dir_ / "other";
  fs::copy(sample, other);
  {
    std::string run_json = read_file(other / "run.json");
    run_json.replace(run_json.find("\"scenario_name\": \"shop\""), 23, "\"scenario_name\": \"othr\"");
    std::ofstream(other / "run.json") << run_json;
  }
  auto diff = cli({"compare", sample, other.string(), "--max-regression", "p95:0%"});
  EXPECT_EQ(diff.code, kExitOk) << diff.out << diff.err;
  EXPECT_NE(diff.err.find("warning: the runs are of different scenarios: \"shop\" vs \"othr\""),
            std::string::npos) << diff.err;

  auto bad = cli({"compare", sample, sample, "--max-regression", "p95=10%"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err.find("expected METRIC:CHANGE%"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace stampede::commands

#include "results/result_folder.h"

namespace stampede::commands {
namespace {

TEST_F(GateCliTest, AbortThresholdStopsTheRunEarlyWithExitThree) {
  http::testing::TestHttpServer server;
  fs::path scenario = delay_scenario();
  auto args = run_args(scenario, server.url(), "aborted");
  // 1500ms run time from run_args is replaced by a long one: the abort must end it.
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "-t") args[i + 1] = "60s";
  for (std::string a : {"--threshold", "p50 < 20ms abort", "--threshold", "count > 1"})
    args.push_back(a);
  auto start = std::chrono::steady_clock::now();
  auto r = cli(args);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(r.code, kExitThresholdsFailed) << r.err;
  results::RunResult result = results::read_result_folder(dir_ / "aborted");
  EXPECT_EQ(result.info.stop_reason.rfind("aborted: threshold 'p50 < 20ms abort' failed", 0), 0u)
      << result.info.stop_reason;
}

TEST_F(GateCliTest, AbortWaitsForTheWarmup) {
  http::testing::TestHttpServer server;
  fs::path scenario = delay_scenario();
  auto args = run_args(scenario, server.url(), "warm");
  for (std::string a : {"--threshold", "p50 < 20ms abort", "--warmup", "30s"}) args.push_back(a);
  auto r = cli(args);
  results::RunResult result = results::read_result_folder(dir_ / "warm");
  EXPECT_EQ(result.info.stop_reason, "run time reached") << "no abort inside the warm-up";
}

}  // namespace
}  // namespace stampede::commands
