// `stampede lab` option checking: every bad flag is named, exit 2, before anything starts
// (no lab folder is created, no server started).
#include "generator/commands/lab_command.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "generator/commands/tests/cli_runner.h"

namespace stampede::commands {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;

CliResult lab(std::vector<std::string> args) {
  args.insert(args.begin(), "lab");
  return testing::run_stampede(std::move(args));
}

fs::path unused_dir() {
  return fs::temp_directory_path() / ("stampede-lab-opts-" + std::to_string(::getpid()));
}

TEST(LabOptions, UnknownStrategyIsNamedWithTheExpectedOnes) {
  fs::path out = unused_dir();
  auto r = lab({"--strategies", "hash,foo", "--out", out.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--strategies: unknown strategy 'foo' (expected hash, range or time)"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out)) << "nothing may start on a usage error";
}

TEST(LabOptions, RepeatedStrategyIsRefused) {
  auto r = lab({"--strategies", "hash", "--strategies", "range,hash", "--out", unused_dir().string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--strategies: 'hash' is listed twice"), std::string::npos) << r.err;
}

TEST(LabOptions, ShardsOutsideTwoToEight) {
  for (const char* shards : {"1", "9", "0"}) {
    auto r = lab({"--shards", shards, "--out", unused_dir().string()});
    EXPECT_EQ(r.code, 2) << shards;
    EXPECT_NE(r.err.find("--shards: expected 2..8, got " + std::string(shards)), std::string::npos) << r.err;
  }
}

TEST(LabOptions, EveryBadValueIsReportedAtOnce) {
  auto r = lab({"-u", "many", "-r", "0", "-t", "soon", "--warmup", "-1s", "--store", "postgres", "--port-base", "80",
                "-f", "no/such/scenario.json", "--server-bin", "/no/such/server", "--out", unused_dir().string()});
  EXPECT_EQ(r.code, 2);
  for (const char* flag : {"-u/--users", "-r/--spawn-rate", "-t/--run-time", "--warmup", "--store: expected sqlite or mysql",
                           "--port-base", "-f/--scenario: no such file 'no/such/scenario.json'",
                           "--server-bin: '/no/such/server' is not an executable file"})
    EXPECT_NE(r.err.find(flag), std::string::npos) << flag << "\n" << r.err;
}

TEST(LabOptions, ANonEmptyOutFolderIsRefused) {
  fs::path out = unused_dir() / "full";
  fs::create_directories(out);
  std::ofstream(out / "something") << "x";
  auto r = lab({"--out", out.string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--out: '" + out.string() + "' exists and is not empty"), std::string::npos) << r.err;
  fs::remove_all(unused_dir());
}

TEST(LabOptions, DefaultsAndUnitsConvert) {
  RawLabOptions raw;
  raw.strategies = {"range", "hash"};
  raw.users = "1k";
  raw.run_time = "1m30s";
  raw.warmup = "0";
  raw.shards = 8;
  std::vector<std::string> problems;
  lab::LabConfig config = to_lab_config(raw, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.strategies, (std::vector<std::string>{"range", "hash"}));
  EXPECT_EQ(config.users, 1000);
  EXPECT_EQ(config.run_time, std::chrono::seconds(90));
  EXPECT_EQ(config.warmup.count(), 0);
  EXPECT_EQ(config.shards, 8);
  EXPECT_EQ(config.store, "sqlite");
  EXPECT_EQ(config.seed, 42u);
  EXPECT_GE(config.threads, 1);
}

}  // namespace
}  // namespace stampede::commands
