// A short real lab on the embedded store: the real stampede-server binary, hash and range,
// both run folders with server.json, the report files, and the seed's directions.
// About 30 s on the 2-core machine.
#include "generator/lab.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "generator/tests/cli_runner.h"
#include "generator/tests/lab_expectations.h"

#ifndef STAMPEDE_SERVER_BIN  // reference-server not configured (STAMPEDE_FOLDERS)
#define STAMPEDE_SERVER_BIN ""
#endif

namespace stampede::generator {
namespace {

namespace fs = std::filesystem;

TEST(LabSqlite, HashAndRangeShowTheSeedsDirections) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-sqlite-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  // 200 users: each user keeps one user_id, so with a few dozen the hash shards get
  // unevenly many grabbing users (the reporters measured 33.6 % on the largest with 40).
  auto r = testing::run_stampede({"lab", "--strategies", "hash,range", "-u", "200", "-r", "100", "-t", "8s",
                                  "--warmup", "2s", "--seed", "7", "--out", lab.string(), "--server-bin",
                                  STAMPEDE_SERVER_BIN, "--only-summary"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("[hash] "), std::string::npos) << "live output names its strategy";
  EXPECT_NE(r.out.find("[range] "), std::string::npos);
  EXPECT_NE(r.out.find("report: " + (lab / "report.html").string()), std::string::npos) << r.out;

  testing::expect_lab_run(lab, "hash", "sqlite", 4);
  testing::expect_lab_run(lab, "range", "sqlite", 4);
  testing::expect_report_files(lab, {"hash", "range"});
  reporters::Comparison c = testing::lab_comparison(lab, {"hash", "range"});
  testing::expect_write_balance(c);
  testing::expect_query_directions(c);
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

// The time strategy and a shard count other than 4, end to end: the current time bucket's
// shard takes the writes (hour buckets: a run that crosses an hour boundary splits them
// over two shards), hash spreads them, and the report judges hash over 3 shards.
TEST(LabSqlite, TimeStrategyOverThreeShards) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-time-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = testing::run_stampede({"lab", "--strategies", "hash,time", "--shards", "3", "-u", "100", "-r", "100",
                                  "-t", "4s", "--warmup", "1s", "--seed", "7", "--out", lab.string(),
                                  "--server-bin", STAMPEDE_SERVER_BIN, "-q"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  testing::expect_lab_run(lab, "hash", "sqlite", 3);
  testing::expect_lab_run(lab, "time", "sqlite", 3);
  testing::expect_report_files(lab, {"hash", "time"});
  reporters::Comparison c = testing::lab_comparison(lab, {"hash", "time"});
  const std::size_t time = testing::run_index(c, "time"), hash = testing::run_index(c, "hash");
  ASSERT_EQ(c.shards[time].shards.size(), 3u);
  int shards_written = 0;
  for (const auto& cell : c.shards[time].shards) shards_written += cell.write_touches > 0;
  EXPECT_LE(shards_written, 2) << "time: the current bucket's shard (two across an hour boundary)";
  EXPECT_GE(c.shards[time].largest_write_pct, 50.0);
  EXPECT_EQ(shards_written == 1, c.shards[time].largest_write_pct == 100.0);
  EXPECT_LT(c.shards[hash].largest_write_pct, 40.0) << "hash over 3 shards";
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

TEST(LabSqlite, AServerThatNeverListensIsNamedAndTheRestSkipped) {
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-broken-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  fs::create_directories(lab.parent_path());
  fs::path fake = fs::temp_directory_path() / ("stampede-fake-server-" + std::to_string(::getpid()));
  std::ofstream(fake) << "#!/bin/sh\necho 'stampede-server: cannot open the shards'\nexit 1\n";
  fs::permissions(fake, fs::perms::owner_all);
  auto r = testing::run_stampede({"lab", "--strategies", "range,hash", "-t", "1s", "--warmup", "0", "--out",
                                  lab.string(), "--server-bin", fake.string(), "-q"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("range: the server exited (exit code 1) before listening"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cannot open the shards"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("remaining strategies are skipped"), std::string::npos) << r.err;
  auto lab_json = nlohmann::json::parse(testing::slurp(lab / "lab.json"));
  EXPECT_EQ(lab_json["status"], "failed");
  EXPECT_EQ(lab_json["runs"][0]["status"], "failed");
  EXPECT_EQ(lab_json["runs"][1]["status"], "skipped");
  fs::remove_all(lab);
  fs::remove(fake);
}

}  // namespace
}  // namespace stampede::generator

#include <thread>

#include "generator/cli.h"

namespace stampede::generator {
namespace {

TEST(LabSqlite, CtrlCStopsTheRunButStillWritesItsFolderAndTheReport) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-interrupted-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  std::vector<std::string> args = {"stampede", "lab", "--strategies", "hash,range", "-u", "20", "-r", "20", "-t", "60s",
                                   "--warmup", "0", "--out", lab.string(), "--server-bin", STAMPEDE_SERVER_BIN, "-q"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::atomic<int> interrupts{0};
  std::ostringstream out, err;
  std::thread ctrl_c([&] {
    // After the measured run has started (it writes run.json first).
    for (int i = 0; i < 400 && !fs::exists(lab / "hash" / "run.json"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::seconds(2));
    interrupts = 1;
  });
  auto start = std::chrono::steady_clock::now();
  int code = run_cli(static_cast<int>(argv.size()), argv.data(), interrupts, out, err);
  ctrl_c.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30)) << "not the 60 s run time";
  EXPECT_EQ(code, 1) << out.str() << err.str();
  results::RunResult run = results::read_result_folder(lab / "hash");
  EXPECT_EQ(run.info.status, "interrupted");
  EXPECT_GT(run.aggregated.requests, 0u);
  EXPECT_TRUE(run.server.has_value()) << "the server was still asked for its report";
  EXPECT_FALSE(fs::exists(lab / "range")) << "the remaining strategy is skipped";
  EXPECT_TRUE(fs::exists(lab / "report.md"));
  auto lab_json = nlohmann::json::parse(testing::slurp(lab / "lab.json"));
  EXPECT_EQ(lab_json["status"], "interrupted");
  EXPECT_EQ(lab_json["runs"][0]["status"], "interrupted");
  EXPECT_EQ(lab_json["runs"][1]["status"], "skipped");
  fs::remove_all(lab);
}

}  // namespace
}  // namespace stampede::generator
