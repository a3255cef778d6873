// The command line: usage errors and scenario errors exit with 2 and say where and what.
#include "generator/commands/cli.h"
#include "generator/commands/tests/cli_runner.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace stampede::commands {
namespace {

using testing::CliResult;
CliResult run(std::vector<std::string> args) { return testing::run_stampede(std::move(args)); }

TEST(Cli, MissingSubcommandOrFlagsPrintUsage) {
  auto r = run({});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("run"), std::string::npos);
  r = run({"run", "-H", "http://127.0.0.1:1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--scenario"), std::string::npos) << r.err;
}

TEST(Cli, BadValuesNameTheirFlag) {
  auto r = run({"run", "-f", "scenarios/coupon.json", "-H", "127.0.0.1:8000", "-u", "ten", "-r",
                "0", "-t", "5 minutes"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("-H/--host"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-u/--users"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-r/--spawn-rate"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-t/--run-time"), std::string::npos) << r.err;

  r = run({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "--threads", "0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--threads: expected a number from 1 to 1024, got 0"), std::string::npos) << r.err;
  r = run({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "--connections", "pooled"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--connections: expected auto, per-user or shared, got 'pooled'"), std::string::npos) << r.err;
  r = run({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "--transport", "beast"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--transport: expected auto, native or curl, got 'beast'"), std::string::npos) << r.err;
  r = run({"run", "-f", "scenarios/coupon.json", "-H", "https://127.0.0.1:1", "--transport", "native",
           "--connections", "shared"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find("https"), std::string::npos) << "native speaks https:// too: " << r.err;
  EXPECT_NE(r.err.find("--connections shared needs curl"), std::string::npos) << r.err;
}

TEST(Cli, ScenarioErrorsAreAllListedWithFileAndPath) {
  auto file = std::filesystem::temp_directory_path() / ("stampede-cli-bad-scenario-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << R"({"stampede_scenario": 1, "name": "bad", "user_classes": [
    {"name": "U", "weight": -1, "tasks": [{"request": {"method": "GET", "path": "/${nope}"}}]}]})";
  auto r = run({"run", "-f", file.string(), "-H", "http://127.0.0.1:1", "-t", "1s"});
  std::filesystem::remove(file);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("2 problems"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/user_classes/0/weight"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file.string()), std::string::npos) << r.err;
}

TEST(Cli, UnknownUserClassIsAScenarioError) {
  auto r = run({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "-t", "1s",
                "--user-classes", "NoSuchUser"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--user-classes: no user class named 'NoSuchUser'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("scenarios/coupon.json"), std::string::npos) << "names the file: " << r.err;
  EXPECT_NE(r.err.find("the scenario has: NormalCouponUser"), std::string::npos) << r.err;
}

TEST(Cli, UsersFlagWithALoadShapeSaysItIsIgnored) {
  const auto out = std::filesystem::temp_directory_path() / ("stampede-cli-shape-note-" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  auto r = run({"run", "-f", "scenarios/coupon-step.json", "-H", "http://127.0.0.1:1", "-u", "5",
                "-t", "1s", "--only-summary", "--out", out.string()});
  std::filesystem::remove_all(out);
  EXPECT_EQ(r.code, 1) << r.err;  // nothing listens on port 1
  EXPECT_NE(r.err.find("the scenario's load_shape sets the users and spawn rate; -u/-r are ignored"),
            std::string::npos) << r.err;
  r = run({"run", "-f", "scenarios/no-such-file.json", "-H", "http://127.0.0.1:1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no-such-file.json: cannot read file: no such file"), std::string::npos) << r.err;
}

TEST(Cli, HelpAndVersionExitZero) {
  auto r = run({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--spawn-rate"), std::string::npos) << r.out;
  r = run({"--version"});
  EXPECT_EQ(r.code, 0);
}

}  // namespace
}  // namespace stampede::commands
