// The same short lab on the MariaDB + Redis stack (ctest fixture mysql_stack: the stack in
// the build folder, STAMPEDE_TEST_STACK_DIR). Skips without the stack.
#include "generator/lab.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "generator/tests/cli_runner.h"
#include "generator/tests/lab_expectations.h"

namespace stampede::generator {
namespace {

namespace fs = std::filesystem;

TEST(LabMysql, HashAndRangeBalanceWritesAsTheSeedSays) {
  const char* stack = std::getenv("STAMPEDE_TEST_STACK_DIR");
  if (!stack || !fs::exists(fs::path(stack) / "stack.env")) GTEST_SKIP() << "no MariaDB stack (ctest fixture mysql_stack)";
  ::setenv("STAMPEDE_STACK_DIR", stack, 1);  // for fixtures/stack and stampede-server alike
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-mysql-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = testing::run_stampede({"lab", "--store", "mysql", "--strategies", "hash,range", "-u", "200", "-r", "100",
                                  "-t", "8s", "--warmup", "2s", "--seed", "7", "--out", lab.string(),
                                  "--server-bin", STAMPEDE_SERVER_BIN, "--only-summary"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("using the MariaDB stack that is already up"), std::string::npos) << r.out;
  testing::expect_lab_run(lab, "hash", "mysql", 4);
  testing::expect_lab_run(lab, "range", "mysql", 4);
  testing::expect_report_files(lab, {"hash", "range"});
  reporters::Comparison c = testing::lab_comparison(lab, {"hash", "range"});
  testing::expect_write_balance(c);
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

TEST(LabMysql, AnotherShardCountThanTheStacksIsRefusedNamingShards) {
  const char* stack = std::getenv("STAMPEDE_TEST_STACK_DIR");
  if (!stack || !fs::exists(fs::path(stack) / "stack.env")) GTEST_SKIP() << "no MariaDB stack";
  ::setenv("STAMPEDE_STACK_DIR", stack, 1);
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-mysql3-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = testing::run_stampede({"lab", "--store", "mysql", "--shards", "3", "--strategies", "hash", "-t", "1s",
                                  "--out", lab.string(), "--server-bin", STAMPEDE_SERVER_BIN, "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--shards: the MariaDB stack is up with 4 shards"), std::string::npos) << r.err;
  fs::remove_all(lab);
}

}  // namespace
}  // namespace stampede::generator
