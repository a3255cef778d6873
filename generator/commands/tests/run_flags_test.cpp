// `stampede run`'s response-body flags: --max-body and --max-body-memory in the byte-size
// grammar (units/bytes.h), into the RunConfig, every bad value named by its flag.
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

TEST(RunFlags, BodyLimitsDefaultAndTakeSizesWithUnits) {
  RawRunOptions raw = raw_options();
  engine::RunConfig config;
  std::vector<std::string> problems;
  ASSERT_TRUE(to_config(raw, config, problems)) << problems.front();
  EXPECT_EQ(config.max_body_bytes, std::uint64_t{64} << 20);
  EXPECT_EQ(config.max_body_memory_bytes, std::uint64_t{1} << 30);

  raw.max_body = "8MiB";
  raw.max_body_memory = "512m";
  ASSERT_TRUE(to_config(raw, config, problems)) << problems.front();
  EXPECT_EQ(config.max_body_bytes, std::uint64_t{8} << 20);
  EXPECT_EQ(config.max_body_memory_bytes, std::uint64_t{512} << 20);
  raw.max_body = "512k";
  raw.max_body_memory = "2GiB";
  ASSERT_TRUE(to_config(raw, config, problems)) << problems.front();
  EXPECT_EQ(config.max_body_bytes, 512u * 1024);
  EXPECT_EQ(config.max_body_memory_bytes, std::uint64_t{2} << 30);
}

TEST(RunFlags, BadSizesNameTheirFlag) {
  for (const char* bad : {"8MB", "0", "lots", "-1k", "1e6", "8 MiB"}) {
    RawRunOptions raw = raw_options();
    raw.max_body = bad;
    raw.max_body_memory = bad;
    engine::RunConfig config;
    std::vector<std::string> problems;
    EXPECT_FALSE(to_config(raw, config, problems)) << bad;
    ASSERT_EQ(problems.size(), 2u) << bad;
    EXPECT_EQ(problems[0], std::string("--max-body: expected a size above 0 like 512k, 8MiB, 1GiB (binary units; ") +
                               "not KB or MB, which people read both ways), got '" + bad + "'");
    EXPECT_TRUE(problems[1].starts_with("--max-body-memory: expected a size above 0")) << problems[1];
  }
}

TEST(RunFlags, TheCommandLineRefusesABadSizeBeforeAnyLoad) {
  auto r = testing::run_stampede({"run", "-f", "scenarios/coupon.json", "-H", "http://127.0.0.1:1", "-t", "1s",
                                  "--max-body", "10MB", "--max-body-memory", "1GiB"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("stampede run: --max-body: expected a size above 0 like 512k, 8MiB, 1GiB"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("got '10MB'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("--max-body-memory:"), std::string::npos) << "1GiB is a good size: " << r.err;
}

}  // namespace
}  // namespace stampede::commands
