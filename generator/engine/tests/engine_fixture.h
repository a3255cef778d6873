// The engine tests' fixture: a scratch folder per test, a scenario written into it, a
// RunConfig for a short quiet run, and the run itself. Parameterised by the transport: every
// end-to-end test runs on the native HTTP/1.1 client and on libcurl. A test file derives
// its own suite from EngineRun and instantiates it with STAMPEDE_ON_EVERY_TRANSPORT.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "generator/engine/runner.h"
#include "scenarios/scenario.h"

namespace stampede::engine::testing {

class EngineRun : public ::testing::TestWithParam<RunConfig::Transport> {
 protected:
  void SetUp() override {
    // A parameterised test's name is "Name/native": one folder, not a folder in a folder.
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = std::filesystem::temp_directory_path() / ("stampede-engine-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  scenarios::Scenario scenario(const std::string& json) {
    std::filesystem::path file = dir_ / "scenario.json";
    std::ofstream(file) << json;
    return scenarios::Scenario::load(file);
  }

  RunConfig config(const std::string& host, int users, std::chrono::nanoseconds run_time) {
    RunConfig c;
    c.scenario_file = dir_ / "scenario.json";
    c.host = host;
    c.users = users;
    c.spawn_rate = 1000;
    c.run_time = run_time;
    c.threads = 2;
    c.seed = 42;
    c.out_dir = dir_ / "run";
    c.quiet = true;
    c.stop_timeout = std::chrono::seconds(2);
    c.transport = GetParam();
    return c;
  }

  RunOutcome run(const RunConfig& c, const scenarios::Scenario& s) {
    std::ostringstream out;
    return run_load_test(c, s, interrupts_, out, err_);
  }

  std::filesystem::path dir_;
  std::atomic<int> interrupts_{0};
  std::ostringstream err_;
};

inline std::string transport_name(const ::testing::TestParamInfo<RunConfig::Transport>& info) {
  return info.param == RunConfig::Transport::kNative ? "native" : "curl";
}

}  // namespace stampede::engine::testing

#define STAMPEDE_ON_EVERY_TRANSPORT(Suite)                                                                    \
  INSTANTIATE_TEST_SUITE_P(Transports, Suite,                                                                 \
                           ::testing::Values(::stampede::engine::RunConfig::Transport::kNative,               \
                                             ::stampede::engine::RunConfig::Transport::kCurl),                \
                           ::stampede::engine::testing::transport_name)
