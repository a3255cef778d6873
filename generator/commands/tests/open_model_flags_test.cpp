// `stampede run`'s open-model flags (docs/open-model.md): --arrival-rate, --max-users,
// --arrivals into the RunConfig; every bad value, and --arrival-rate beside -u/-r, refused
// with its flag named, exit 2, before any load.
#include "generator/commands/run_command.h"
#include "generator/commands/tests/cli_runner.h"

#include <gtest/gtest.h>

namespace stampede::commands {
namespace {

RawRunOptions raw_options() {
  RawRunOptions raw;
  raw.file = "scenarios/coupon.json";
  raw.host = "http://127.0.0.1:1";
  return raw;
}

std::vector<std::string> problems_of(const RawRunOptions& raw, engine::RunConfig& config) {
  std::vector<std::string> problems;
  to_config(raw, config, problems);
  return problems;
}

TEST(OpenModelFlags, ClosedModelByDefault) {
  engine::RunConfig config;
  ASSERT_TRUE(problems_of(raw_options(), config).empty());
  EXPECT_FALSE(config.open_model());
  EXPECT_EQ(config.max_users, 0);
}

TEST(OpenModelFlags, RateWithUnitsMaxUsersAndArrivals) {
  RawRunOptions raw = raw_options();
  raw.arrival_rate = "2k";
  raw.max_users = "5k";
  raw.arrivals = "poisson";
  engine::RunConfig config;
  auto problems = problems_of(raw, config);
  ASSERT_TRUE(problems.empty()) << problems.front();
  EXPECT_TRUE(config.open_model());
  EXPECT_DOUBLE_EQ(config.arrival_rate, 2000);
  EXPECT_EQ(config.max_users, 5000);
  EXPECT_EQ(config.arrivals, engine::RunConfig::Arrivals::kPoisson);
}

TEST(OpenModelFlags, DefaultMaxUsersIsRateTimesTheTimeoutCapped) {
  RawRunOptions raw = raw_options();
  raw.arrival_rate = "50";
  raw.timeout = "2s";
  engine::RunConfig config;
  ASSERT_TRUE(problems_of(raw, config).empty());
  EXPECT_EQ(config.max_users, 100);
  EXPECT_EQ(config.arrivals, engine::RunConfig::Arrivals::kEven);
  raw.arrival_rate = "0.1";
  ASSERT_TRUE(problems_of(raw, config).empty());
  EXPECT_EQ(config.max_users, 1);
  raw.arrival_rate = "1M";
  raw.timeout = "30s";
  ASSERT_TRUE(problems_of(raw, config).empty());
  EXPECT_EQ(config.max_users, engine::kMaxDefaultUsers);
}

TEST(OpenModelFlags, BadRatesNameTheirFlag) {
  for (const char* bad : {"0", "-5", "2x", "fast", "1e3", "0k"}) {
    RawRunOptions raw = raw_options();
    raw.arrival_rate = bad;
    engine::RunConfig config;
    auto problems = problems_of(raw, config);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0], std::string("--arrival-rate: expected iterations per second above 0 (e.g. 500, 2k, "
                                       "1.5M), got '") + bad + "'");
  }
}

TEST(OpenModelFlags, BadMaxUsersAndArrivalsNameTheirFlag) {
  for (const char* bad : {"0", "1.5", "-1", "many"}) {
    RawRunOptions raw = raw_options();
    raw.arrival_rate = "100";
    raw.max_users = bad;
    engine::RunConfig config;
    auto problems = problems_of(raw, config);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0], std::string("--max-users: expected a whole number >= 1 (e.g. 100, 5k), got '") + bad + "'");
  }
  RawRunOptions raw = raw_options();
  raw.arrival_rate = "100";
  raw.arrivals = "bursty";
  engine::RunConfig config;
  auto problems = problems_of(raw, config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "--arrivals: expected even or poisson, got 'bursty'");
}

TEST(OpenModelFlags, ArrivalRateBesideUsersOrSpawnRateIsRefused) {
  RawRunOptions raw = raw_options();
  raw.arrival_rate = "100";
  raw.users = "10";
  engine::RunConfig config;
  auto problems = problems_of(raw, config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].starts_with("--arrival-rate: not with -u/--users: ")) << problems[0];
  raw.users.clear();
  raw.spawn_rate = "5";
  problems = problems_of(raw, config);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].starts_with("--arrival-rate: not with -r/--spawn-rate: ")) << problems[0];
}

TEST(OpenModelFlags, OpenModelFlagsWithoutArrivalRateAreRefused) {
  RawRunOptions raw = raw_options();
  raw.max_users = "10";
  raw.arrivals = "even";
  engine::RunConfig config;
  auto problems = problems_of(raw, config);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(problems[0].starts_with("--max-users: only with --arrival-rate")) << problems[0];
  EXPECT_TRUE(problems[1].starts_with("--arrivals: only with --arrival-rate")) << problems[1];
}

TEST(OpenModelFlags, TheCommandLineRefusesBeforeAnyLoad) {
  auto r = testing::run_stampede({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "-t", "1s",
                                  "--arrival-rate", "0", "--out", "/nonexistent/never-written"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("stampede run: --arrival-rate: expected iterations per second above 0"), std::string::npos)
      << r.err;
  r = testing::run_stampede({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "-t", "1s", "-u", "5",
                             "--arrival-rate", "2k", "--out", "/nonexistent/never-written"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("stampede run: --arrival-rate: not with -u/--users"), std::string::npos) << r.err;
  r = testing::run_stampede({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "-t", "1s",
                             "--arrival-rate", "10", "--max-users", "0", "--out", "/nonexistent/never-written"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("stampede run: --max-users: expected a whole number >= 1"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace stampede::commands
