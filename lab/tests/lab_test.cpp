// A short real lab on the embedded store: the real stampede-server binary, hash and range,
// both run folders with server.json, the report files (opened in headless Chromium when it is
// installed), and the study's directions as the report judges them. About 30 s on the 2-core
// machine. STAMPEDE_LAB_TEST_PORT_BASE=P puts the servers on P.. instead of free ports.
#include "lab/lab.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "generator/commands/tests/cli_runner.h"
#include "lab/tests/lab_expectations.h"

#ifndef STAMPEDE_SERVER_BIN  // reference-server not configured (STAMPEDE_FOLDERS)
#define STAMPEDE_SERVER_BIN ""
#endif

namespace stampede::lab {
namespace {

namespace fs = std::filesystem;

// `extra` (e.g. --port-base) appended to `args`.
std::vector<std::string> with(std::vector<std::string> extra, std::vector<std::string> args) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(LabSqlite, HashAndRangeShowTheStudysDirections) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-sqlite-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  // 200 users: each user keeps one user_id, so with a few dozen the hash shards get
  // unevenly many grabbing users (the reporters measured 33.6 % on the largest with 40).
  auto r = commands::testing::run_stampede(with(testing::port_base_args(0),
                                      {"lab", "--strategies", "hash,range", "-u", "200", "-r", "100", "-t", "8s",
                                       "--warmup", "2s", "--seed", "7", "--out", lab.string(), "--server-bin",
                                       STAMPEDE_SERVER_BIN, "--only-summary"}));
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
  testing::expect_report_verdicts(lab, c);
  // The real report opens in a browser with its charts (the screenshot test does a hand-made one).
  testing::expect_report_renders(lab, {"p95 latency per endpoint", "Hot shard: the largest shard", "Share of writes per shard",
                                       "coupon_results rows per shard", "Balance score (100 = even)", "Rows that would move"});
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

// The time strategy and a shard count other than 4, end to end: the current hour bucket's
// shard (floor(grab_time / 1 h) mod 3) takes every write, hash spreads them, and the report
// judges hash against 40% (1.2× the even share over 3 shards) and says why the query
// directions were not checked (no range run). About 15 s.
TEST(LabSqlite, TimeStrategyOverThreeShards) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-time-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = commands::testing::run_stampede(with(testing::port_base_args(10),
                                      {"lab", "--strategies", "hash,time", "--shards", "3", "-u", "100", "-r", "100",
                                       "-t", "4s", "--warmup", "1s", "--seed", "7", "--out", lab.string(),
                                       "--server-bin", STAMPEDE_SERVER_BIN, "-q"}));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  testing::expect_lab_run(lab, "hash", "sqlite", 3);
  testing::expect_lab_run(lab, "time", "sqlite", 3);
  testing::expect_report_files(lab, {"hash", "time"});
  reporters::Comparison c = testing::lab_comparison(lab, {"hash", "time"});
  testing::expect_report_verdicts(lab, c);
  const std::size_t time = testing::run_index(c, "time"), hash = testing::run_index(c, "hash");
  ASSERT_EQ(c.runs[time].shard_count, 3);
  ASSERT_EQ(c.shards[time].shards.size(), 3u);

  // Which hour buckets the measured run's grabs fell in (the server stamps grab_time when it
  // answers, inside [started, ended]): one bucket unless the run crossed a full hour.
  const results::RunResult run = results::read_result_folder(lab / "time");
  constexpr std::int64_t kHourMs = 3600 * 1000;
  const std::int64_t first_bucket = run.info.started_unix_ms / kHourMs;
  const std::int64_t last_bucket = run.info.ended_unix_ms / kHourMs;
  ASSERT_GT(run.info.ended_unix_ms, run.info.started_unix_ms);
  for (const auto& cell : c.shards[time].shards) {
    bool current = false;
    for (std::int64_t b = first_bucket; b <= last_bucket; ++b) current |= cell.shard == static_cast<int>(b % 3);
    if (!current) {
      EXPECT_EQ(cell.write_touches, 0u) << "time: shard " << cell.shard << " is no current bucket's";
    }
  }
  if (first_bucket == last_bucket) {
    EXPECT_EQ(c.shards[time].largest_write_shard, static_cast<int>(first_bucket % 3));
    EXPECT_DOUBLE_EQ(c.shards[time].largest_write_pct, 100.0) << "the current bucket's shard takes every write";
    EXPECT_DOUBLE_EQ(c.shards[time].write_balance, 0.0);
  }

  // The report: hash judged over 3 shards, the query directions left out with the reason.
  EXPECT_LT(c.shards[hash].largest_write_pct, 40.0) << "hash over 3 shards";
  const reporters::CheckSection& study = testing::study_section(c);
  ASSERT_EQ(study.checks.size(), 1u);
  EXPECT_EQ(study.checks[0].claim, "hash's largest shard takes less than 40% of writes (1.2× the even share)");
  EXPECT_EQ(study.checks[0].outcome, reporters::ComparisonCheck::Outcome::met) << study.checks[0].detail;
  EXPECT_NE(study.checks[0].detail.find("over 3 shards"), std::string::npos) << study.checks[0].detail;
  EXPECT_NE(study.note.find("No range run"), std::string::npos) << study.note;
  const std::string md = testing::slurp(lab / "report.md");
  EXPECT_NE(md.find("\\[met\\] hash's largest shard takes less than 40% of writes"), std::string::npos) << md;
  const auto doc = nlohmann::json::parse(testing::slurp(lab / "report.json"));
  EXPECT_EQ(doc["runs"][time]["shard_count"], 3);
  EXPECT_EQ(doc["runs"][time]["shards"]["shards"].size(), 3u) << "per-shard rows for time's 3 shards";
  EXPECT_EQ(doc["runs"][time]["shards"]["largest_write_pct"], c.shards[time].largest_write_pct);
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

TEST(LabSqlite, AServerThatNeverListensIsNamedAndTheRestSkipped) {
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-broken-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  fs::create_directories(lab.parent_path());
  fs::path fake = fs::temp_directory_path() / ("stampede-fake-server-" + std::to_string(::getpid()));
  std::ofstream(fake) << "#!/bin/sh\necho 'stampede-server: cannot open the shards'\nexit 1\n";
  fs::permissions(fake, fs::perms::owner_all);
  auto r = commands::testing::run_stampede({"lab", "--strategies", "range,hash", "-t", "1s", "--warmup", "0", "--out",
                                  lab.string(), "--server-bin", fake.string(), "-q"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("range: the server exited (exit code 1) before listening"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cannot open the shards"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was run: every variant's server is started once before any load"), std::string::npos)
      << r.err;
  auto lab_json = nlohmann::json::parse(testing::slurp(lab / "lab.json"));
  EXPECT_EQ(lab_json["status"], "failed");
  EXPECT_EQ(lab_json["runs"][0]["status"], "failed");
  EXPECT_EQ(lab_json["runs"][1]["status"], "skipped");
  fs::remove_all(lab);
  fs::remove(fake);
}

}  // namespace
}  // namespace stampede::lab

#include <thread>

#include "generator/commands/cli.h"

namespace stampede::lab {
namespace {

TEST(LabSqlite, CtrlCStopsTheRunButStillWritesItsFolderAndTheReport) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-interrupted-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  std::vector<std::string> args = with(testing::port_base_args(20),
                                       {"stampede", "lab", "--strategies", "hash,range", "-u", "20", "-r", "20", "-t",
                                        "60s", "--warmup", "0", "--out", lab.string(), "--server-bin", STAMPEDE_SERVER_BIN,
                                        "-q"});
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
  int code = commands::run_cli(static_cast<int>(argv.size()), argv.data(), interrupts, out, err);
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
}  // namespace stampede::lab
