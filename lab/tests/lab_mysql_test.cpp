// The same short lab on the MariaDB + Redis stack (ctest fixture mysql_stack: the stack in
// the build folder, STAMPEDE_TEST_STACK_DIR). Skips without the stack.
#include "lab/lab.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "generator/commands/tests/cli_runner.h"
#include "lab/tests/lab_expectations.h"

namespace stampede::lab {
namespace {

namespace fs = std::filesystem;

// Points fixtures/stack and stampede-server at the fixture's stack: its folder, and the
// ports it was started on (from its stack.env; the script's `status` pings them).
bool use_test_stack() {
  const char* stack = std::getenv("STAMPEDE_TEST_STACK_DIR");
  if (!stack || !fs::exists(fs::path(stack) / "stack.env")) return false;
  ::setenv("STAMPEDE_STACK_DIR", stack, 1);
  std::ifstream in(fs::path(stack) / "stack.env");
  std::string line;
  auto port_of = [](const std::string& value) { return value.substr(value.find(':') + 1, value.find_first_of("/,") - value.find(':') - 1); };
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "STAMPEDE_MYSQL_MAIN") ::setenv("STAMPEDE_MYSQL_MAIN_PORT", port_of(value).c_str(), 1);
    if (key == "STAMPEDE_MYSQL_SHARDS") ::setenv("STAMPEDE_MYSQL_SHARD_BASE_PORT", port_of(value).c_str(), 1);
    if (key == "STAMPEDE_REDIS") ::setenv("STAMPEDE_REDIS_PORT", value.substr(value.find(':') + 1).c_str(), 1);
  }
  return true;
}

TEST(LabMysql, HashAndRangeShowTheStudysDirections) {
  if (!use_test_stack()) GTEST_SKIP() << "no MariaDB stack (ctest fixture mysql_stack)";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-mysql-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = commands::testing::run_stampede({"lab", "--store", "mysql", "--strategies", "hash,range", "-u", "200", "-r", "100",
                                  "-t", "8s", "--warmup", "2s", "--seed", "7", "--out", lab.string(),
                                  "--server-bin", STAMPEDE_SERVER_BIN, "--only-summary"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("using the MariaDB stack that is already up"), std::string::npos) << r.out;
  testing::expect_lab_run(lab, "hash", "mysql", 4);
  testing::expect_lab_run(lab, "range", "mysql", 4);
  testing::expect_report_files(lab, {"hash", "range"});
  reporters::Comparison c = testing::lab_comparison(lab, {"hash", "range"});
  testing::expect_write_balance(c);
  // On MariaDB the shards are separate servers: the query directions hold too.
  testing::expect_query_directions(c);
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

TEST(LabMysql, AnotherShardCountThanTheStacksIsRefusedNamingShards) {
  if (!use_test_stack()) GTEST_SKIP() << "no MariaDB stack (ctest fixture mysql_stack)";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-mysql3-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = commands::testing::run_stampede({"lab", "--store", "mysql", "--shards", "3", "--strategies", "hash", "-t", "1s",
                                  "--out", lab.string(), "--server-bin", STAMPEDE_SERVER_BIN, "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--shards: the MariaDB stack is up with 4 shards"), std::string::npos) << r.err;
  fs::remove_all(lab);
}

}  // namespace
}  // namespace stampede::lab
