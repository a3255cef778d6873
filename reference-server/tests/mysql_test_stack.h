// Test helper for the MySQL store tests: a MariaDB + Redis stack driven through
// fixtures/stack. Either the one ctest started as a fixture (mysql_store.cmake sets
// STAMPEDE_TEST_STACK_DIR) or a private one in a scratch folder on pid-derived ports.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "reference-server/mysql_settings.h"

namespace stampede::server::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const std::string kScript = std::string(STAMPEDE_SOURCE_DIR) + "/fixtures/stack";

inline bool installed(const char* tool) {
  const std::string probe = std::string("command -v ") + tool + " >/dev/null 2>&1 || test -x /usr/sbin/" + tool;
  return std::system(probe.c_str()) == 0;
}

inline std::string missing_tools() {
  std::string missing;
  for (const char* tool : {"mariadbd", "mariadb-install-db", "redis-server", "redis-cli"}) {
    if (!installed(tool)) missing += std::string(missing.empty() ? "" : ", ") + tool;
  }
  return missing;
}

inline bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

// One stack in its own folder on its own ports, driven through fixtures/stack.
class Stack {
 public:
  // A private stack in a scratch folder on ports derived from the pid and `slot`:
  // 17000-23799, clear of the default stack (13306-13310, 16379), of ctest's fixture
  // stack (24000-31999, mysql_store.cmake) and of the kernel's ephemeral ports (32768+).
  explicit Stack(int slot)
      : dir_(fs::temp_directory_path() /
             ("stampede-stack-test-" + std::to_string(::getpid()) + "-" + std::to_string(slot))),
        main_port_(17000 + (::getpid() % 340) * 20 + slot * 10),
        shard_base_port_(main_port_ + 1),
        redis_port_(main_port_ + 5) {}

  // The stack that ctest's fixture (mysql_store.cmake) started, when it did: its folder
  // is $STAMPEDE_TEST_STACK_DIR and its ports are in its stack.env.
  static std::unique_ptr<Stack> shared() {
    const char* dir = std::getenv("STAMPEDE_TEST_STACK_DIR");
    if (dir == nullptr || !fs::exists(fs::path(dir) / "stack.env")) return nullptr;
    const auto settings = read_stack_env(fs::path(dir) / "stack.env");
    return std::unique_ptr<Stack>(new Stack(dir, settings.main.port, settings.shards.at(0).port,
                                            settings.redis.port));
  }

  // Runs `fixtures/stack <args> --dir DIR` with this stack's ports; returns the exit code.
  int run(const std::string& args, std::string* output = nullptr) const {
    const std::string command =
        "STAMPEDE_MYSQL_MAIN_PORT=" + std::to_string(main_port_) +
        " STAMPEDE_MYSQL_SHARD_BASE_PORT=" + std::to_string(shard_base_port_) +
        " STAMPEDE_REDIS_PORT=" + std::to_string(redis_port_) + " " + extra_env_ + " " + kScript + " " + args +
        " --dir " + dir_.string() + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return -1;
    std::string text;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
    const int status = ::pclose(pipe);
    if (output != nullptr) *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  pid_t pid_of(const std::string& instance) const {
    const auto file = instance == "redis" ? dir_ / "redis" / "redis.pid" : dir_ / instance / "mysqld.pid";
    std::ifstream in(file);
    pid_t pid = 0;
    in >> pid;
    return pid;
  }

  // Stops one instance of this stack ("main", "shard<k>", "redis"), which this test run
  // started, by the pid in its pid file; waits up to 30 s. `fixtures/stack up` starts it
  // again. An empty string when it stopped, else why not.
  std::string stop_instance(const std::string& instance) const {
    const pid_t pid = pid_of(instance);
    if (pid <= 0) return instance + ": no pid file";
    if (::kill(pid, SIGTERM) != 0) return instance + ": kill " + std::to_string(pid) + " failed";
    for (int i = 0; i < 300 && alive(pid); ++i) std::this_thread::sleep_for(100ms);
    return alive(pid) ? instance + " (pid " + std::to_string(pid) + ") did not stop within 30 s" : "";
  }

  std::vector<pid_t> pids() const {
    std::vector<pid_t> out;
    for (const char* name : {"main", "shard0", "shard1", "shard2", "shard3", "redis"}) {
      out.push_back(pid_of(name));
    }
    return out;
  }

  MysqlSettings settings() const { return read_stack_env(dir_ / "stack.env"); }
  int redis_port() const { return redis_port_; }
  int main_port() const { return main_port_; }
  const fs::path& dir() const { return dir_; }
  // More VAR=value words for every run() (e.g. the ports of RabbitMQ and nginx).
  void set_extra_env(std::string words) { extra_env_ = std::move(words); }

 private:
  Stack(fs::path dir, int main_port, int shard_base_port, int redis_port)
      : dir_(std::move(dir)),
        main_port_(main_port),
        shard_base_port_(shard_base_port),
        redis_port_(redis_port) {}

  fs::path dir_;
  int main_port_;
  int shard_base_port_;
  int redis_port_;
  std::string extra_env_;
};

// The tests' stack: the ctest fixture's when there is one, else a private one started on
// first use and stopped when the test program ends. error() is non-empty when `up` failed.
class SuiteStack {
 public:
  static Stack* get() {
    if (!missing_tools().empty()) return nullptr;
    if (stack_ == nullptr) {
      if (auto shared = Stack::shared()) {
        stack_ = shared.release();
      } else {
        stack_ = new Stack(0);
        owned_ = true;
        if (stack_->run("up", &error_) == 0) error_.clear();
        else if (error_.empty()) error_ = "fixtures/stack up failed";
      }
    }
    return stack_;
  }
  static const std::string& error() { return error_; }
  static void release() {
    if (stack_ != nullptr && owned_) stack_->run("down --purge");
    delete stack_;
    stack_ = nullptr;
    owned_ = false;
  }

 private:
  static inline Stack* stack_ = nullptr;
  static inline bool owned_ = false;
  static inline std::string error_;
};

class SuiteStackEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { SuiteStack::release(); }
};

inline const bool suite_stack_registered =
    (::testing::AddGlobalTestEnvironment(new SuiteStackEnvironment), true);

}  // namespace stampede::server::testing
