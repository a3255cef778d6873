// --shard-latency: the text form, the draw, and both halves of the contract on the embedded
// store (every shard visit's Server-Timing holds the delay; bad values are named problems).
// Only lower bounds on time are asserted: a sleep lasts at least its duration.
#include "reference-server/shard_latency.h"

#include <gtest/gtest.h>

#include "reference-server/seeder.h"
#include "reference-server/server_config.h"
#include "reference-server/sqlite_store.h"
#include "reference-server/tests/small_dataset.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

using namespace std::chrono_literals;

ShardLatency parsed(std::string_view text) {
  std::string problem;
  const auto latency = parse_shard_latency(text, problem);
  EXPECT_TRUE(latency) << text << ": " << problem;
  return latency.value_or(ShardLatency{});
}

std::string problem_of(std::string_view text) {
  std::string problem;
  EXPECT_FALSE(parse_shard_latency(text, problem)) << text;
  return problem;
}

TEST(ShardLatency, ParsesOneDurationAndUniformRanges) {
  EXPECT_EQ(parsed("1ms").min, 1ms);
  EXPECT_EQ(parsed("1ms").max, 1ms);
  EXPECT_EQ(parsed("0.2ms-2ms").min, 200us);
  EXPECT_EQ(parsed("0.2ms-2ms").max, 2ms);
  EXPECT_EQ(parsed("250us-250us").max, 250us);
  EXPECT_FALSE(parsed("").enabled());
  EXPECT_FALSE(parsed("0").enabled());
  EXPECT_FALSE(parsed("0ms").enabled());
  EXPECT_EQ(parsed("0-1ms").min, 0ns) << "zero needs no unit";
  EXPECT_EQ(parsed("0-1ms").max, 1ms);
}

TEST(ShardLatency, RejectsWhatIsNotADelayWithTheReason) {
  EXPECT_NE(problem_of("5").find("needs a unit"), std::string::npos);
  EXPECT_NE(problem_of("1-2").find("needs a unit"), std::string::npos);
  EXPECT_NE(problem_of("fast").find("expected a duration like 1ms"), std::string::npos);
  EXPECT_NE(problem_of("1ms-").find("expected a duration like 1ms"), std::string::npos);
  EXPECT_NE(problem_of("-1ms").find("expected a duration like 1ms"), std::string::npos);
  EXPECT_NE(problem_of("2ms-1ms").find("low end is above its high end"), std::string::npos);
  EXPECT_NE(problem_of("11s").find("at most 10"), std::string::npos);
}

TEST(ShardLatency, DrawsUniformlyBetweenTheEnds) {
  const ShardLatency range = parsed("1ms-3ms");
  EXPECT_EQ(range.at(0.0), 1ms);
  EXPECT_EQ(range.at(0.5), 2ms);
  EXPECT_GE(range.at(0.999999), 2999990ns);
  EXPECT_LT(range.at(0.999999), 3ms);
  EXPECT_EQ(parsed("1ms").at(0.7), 1ms);
  EXPECT_EQ(range.describe(), "1ms-3ms");
  EXPECT_EQ(ShardLatency{}.describe(), "none");
}

TEST(ShardLatency, ServingNamesTheFlagOfABadValue) {
  ServerConfig config;
  config.shard_latency = "5";
  std::vector<std::string> problems;
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("--shard-latency: ", 0), 0u) << problems[0];
  config.shard_latency = "0.2ms-2ms";
  problems.clear();
  validate_serving(config, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(shard_latency(config).max, 2ms);
}

TEST(ShardLatency, EveryShardVisitOfTheEmbeddedStoreIncludesTheDelay) {
  testing::TempDir dir;
  SqliteStore store(SqliteStoreOptions{dir.path(), 4, 0}, parsed("20ms"));
  seed_store(store, testing::small_dataset(50, 4, 1, 10), Strategy::hash);

  const auto fanout = store.user_results(7, ShardList{0, 1, 2, 3}, 10);
  ASSERT_EQ(fanout.timings.size(), 4u);
  for (const auto& t : fanout.timings) EXPECT_GE(t.elapsed, 20ms) << "shard " << t.shard;

  GrabRequest grab;
  grab.user_id = 7;
  grab.coupon_id = 1;
  grab.room_id = 1;
  grab.grab_time_ms = 1'000;
  grab.shard = 2;
  const auto outcome = store.grab(grab);
  ASSERT_TRUE(outcome.success);
  ASSERT_EQ(outcome.timings.size(), 1u);
  EXPECT_GE(outcome.timings[0].elapsed, 20ms);

  const auto stats = store.global_stats(ShardList{1, 2});
  for (const auto& t : stats.timings) EXPECT_GE(t.elapsed, 20ms) << "shard " << t.shard;
  EXPECT_EQ(stats.value[1].total_grabs, 1);
}

}  // namespace
}  // namespace stampede::server
