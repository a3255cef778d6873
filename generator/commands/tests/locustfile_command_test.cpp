// `stampede locustfile SCENARIO [-o FILE]` from the command line (the locustfile itself is
// tested against Debian's Locust in locust/tests/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "generator/commands/cli.h"

namespace stampede::commands {
namespace {

namespace fs = std::filesystem;

struct Cli {
  int code = -1;
  std::string out, err;
};

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

class LocustfileCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stampede-locustfile-cmd-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(LocustfileCommand, ShippedCouponScenarioToStdoutAndToAFile) {
  const Cli c = cli({"stampede", "locustfile", "scenarios/coupon.json"});
  ASSERT_EQ(c.code, 0) << c.err;
  EXPECT_NE(c.out.find("(User):"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("from locust import"), std::string::npos) << c.out;

  const fs::path file = dir_ / "coupon_master.py";
  const Cli f = cli({"stampede", "locustfile", "scenarios/coupon.json", "-o", file.string()});
  ASSERT_EQ(f.code, 0) << f.err;
  EXPECT_TRUE(f.out.empty());
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), c.out);
}

TEST_F(LocustfileCommand, ABadScenarioIsAUsageErrorNamingTheFile) {
  std::ofstream(dir_ / "bad.json") << R"({"stampede_scenario": 1, "name": "x", "user_classes": "nope"})";
  const Cli c = cli({"stampede", "locustfile", (dir_ / "bad.json").string()});
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("bad.json"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("/user_classes"), std::string::npos) << c.err;
  EXPECT_TRUE(c.out.empty());
}

}  // namespace
}  // namespace stampede::commands
