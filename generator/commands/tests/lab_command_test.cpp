// `stampede lab` option checking: every bad flag is named, exit 2, before anything starts
// (no lab folder is created, no server started).
#include "generator/commands/lab_command.h"

#include <filesystem>
#include <fstream>

#include <CLI/CLI.hpp>
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
  ASSERT_EQ(config.variants.size(), 2u);
  EXPECT_EQ(config.variants[0], lab::strategy_variant("range"));
  EXPECT_EQ(config.variants[1].name, "hash");
  EXPECT_EQ(config.variants[1].flags, (std::vector<std::string>{"--strategy", "hash"}));
  EXPECT_TRUE(config.strategy_variants);
  EXPECT_EQ(config.arrival_rate, 0.0) << "the closed model";
  EXPECT_EQ(config.users, 1000);
  EXPECT_EQ(config.run_time, std::chrono::seconds(90));
  EXPECT_EQ(config.warmup.count(), 0);
  EXPECT_EQ(config.shards, 8);
  EXPECT_EQ(config.store, "sqlite");
  EXPECT_EQ(config.seed, 42u);
  EXPECT_GE(config.threads, 1);
}

TEST(LabOptions, WithoutVariantsTheStrategiesAreTheVariants) {
  std::vector<std::string> problems;
  lab::LabConfig config = to_lab_config(RawLabOptions{}, problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(config.variants.size(), 3u);
  EXPECT_EQ(config.variants[2], lab::strategy_variant("time"));
  EXPECT_EQ(config.users, 500);
  EXPECT_EQ(config.spawn_rate, 100.0);
}

TEST(LabOptions, VariantsInOrderWithTheSharedServerFlags) {
  RawLabOptions raw;
  raw.variants = {"w16=--workers 16", "w4=--workers '4' --strategy range", "defaults="};
  raw.server_flags = "--time-bucket \"30m\" --threads 2";
  std::vector<std::string> problems;
  lab::LabConfig config = to_lab_config(raw, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  ASSERT_EQ(config.variants.size(), 3u);
  EXPECT_EQ(config.variants[0].name, "w16");
  EXPECT_EQ(config.variants[1].flags, (std::vector<std::string>{"--workers", "4", "--strategy", "range"}));
  EXPECT_TRUE(config.variants[2].flags.empty());
  EXPECT_FALSE(config.strategy_variants);
  EXPECT_EQ(config.server_flags, (std::vector<std::string>{"--time-bucket", "30m", "--threads", "2"}));
}

// What the lab's flags do to variants on the command line, each a usage error naming its flag
// before anything starts.
TEST(LabOptions, BadVariantsAreNamedBeforeAnythingStarts) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--variant", "a=--workers 4", "--strategies", "hash"}, "--strategies: not with --variant"},
      {{"--variant", "a=--workers 4", "--variant", "a=--workers 8"}, "--variant: the name 'a' is given twice"},
      {{"--variant", "w4"}, "--variant: expected NAME='server flags' (e.g. w4='--workers 4'), got 'w4'"},
      {{"--variant", "a b=--workers 4"}, "--variant: the name 'a b' may hold letters, digits, - and _ only"},
      {{"--variant", "a=--workers '4"}, "--variant a: cannot split '--workers '4' into flags: the single quote"},
      {{"--variant", "a=--port 8000"}, "--variant a: --port is set by the lab (the lab's --port-base)"},
      {{"--variant", "a=", "--server-flags=--data /tmp/x"}, "--server-flags: --data is set by the lab"},
      {{"--server-flags=--cache \"memory"}, "--server-flags: cannot split '--cache \"memory' into flags: the double quote"},
      {{"--server-flags=memory"}, "--server-flags: expected server flags starting with --, got 'memory' first"},
      {{"--arrival-rate", "100", "-u", "10"}, "--arrival-rate: not with -u/--users"},
      {{"--arrival-rate", "0"}, "--arrival-rate: expected iterations per second above 0"},
      {{"--max-users", "10"}, "--max-users: only with --arrival-rate"},
      {{"--arrival-rate", "100", "--arrivals", "bursty"}, "--arrivals: expected even or poisson, got 'bursty'"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.end(), {"--out", unused_dir().string()});
    auto r = lab(args);
    EXPECT_EQ(r.code, 2) << c.message;
    EXPECT_NE(r.err.find("stampede lab: " + c.message), std::string::npos) << c.message << "\n" << r.err;
    EXPECT_FALSE(fs::exists(unused_dir())) << "nothing may start on a usage error";
  }
}

TEST(LabOptions, ServerFlagsTakeTheirValueAfterASpaceToo) {
  // `--server-flags '--workers 4'`: a value that starts with -- (one word of the shell's).
  RawLabOptions raw;
  CLI::App app;
  add_lab_options(app, raw);
  app.parse(std::vector<std::string>{"--workers 4 --threads 2", "--server-flags"});  // CLI11 takes them reversed
  std::vector<std::string> problems;
  lab::LabConfig config = to_lab_config(raw, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.server_flags, (std::vector<std::string>{"--workers", "4", "--threads", "2"}));

  // Through the whole command line, with a mistake beside it: both named.
  auto r = lab({"--server-flags", "--workers 4", "--userz", "5", "--out", unused_dir().string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("stampede lab: unexpected arguments: '--userz', '5'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("--server-flags:"), std::string::npos) << "its value was taken: " << r.err;
  r = lab({"--variant", "a=", "--server-flags", "--port 1", "--out", unused_dir().string()});
  EXPECT_NE(r.err.find("stampede lab: --server-flags: --port is set by the lab"), std::string::npos) << r.err;
}

TEST(LabOptions, TheOpenModelAsStampedeRunTakesIt) {
  RawLabOptions raw;
  raw.arrival_rate = "2k";
  raw.arrivals = "poisson";
  std::vector<std::string> problems;
  lab::LabConfig config = to_lab_config(raw, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.arrival_rate, 2000.0);
  EXPECT_EQ(config.arrivals, engine::RunConfig::Arrivals::kPoisson);
  EXPECT_EQ(config.max_users, engine::default_max_users(2000, engine::RunConfig{}.request_timeout));
  raw.max_users = "300";
  config = to_lab_config(raw, problems);
  EXPECT_EQ(config.max_users, 300);
}

}  // namespace
}  // namespace stampede::commands
