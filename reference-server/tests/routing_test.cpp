#include "reference-server/routing.h"

#include <gtest/gtest.h>

namespace stampede::server {
namespace {

using namespace std::chrono_literals;
constexpr std::int64_t kHourMs = 3'600'000;

RoutingConfig config_for(Strategy strategy) {
  RoutingConfig config;
  config.strategy = strategy;
  return config;
}

TEST(Routing, ParsesStrategyNames) {
  EXPECT_EQ(parse_strategy("hash"), Strategy::hash);
  EXPECT_EQ(parse_strategy("range"), Strategy::range);
  EXPECT_EQ(parse_strategy("time"), Strategy::time);
  EXPECT_FALSE(parse_strategy("Hash"));
  EXPECT_FALSE(parse_strategy(""));
  for (auto s : {Strategy::hash, Strategy::range, Strategy::time}) {
    EXPECT_EQ(parse_strategy(to_string(s)), s);
  }
}

TEST(Routing, HashWritesByUserModN) {
  const auto config = config_for(Strategy::hash);
  EXPECT_EQ(shard_for_write(config, 1, 1, 0), 1);
  EXPECT_EQ(shard_for_write(config, 4, 1, 0), 0);
  EXPECT_EQ(shard_for_write(config, 7, 99, 0), 3);
  EXPECT_EQ(shard_for_write(config, 100'000, 3, 123), 0);
  // Balanced: every shard gets exactly a quarter of users 1..1000.
  int counts[4] = {0, 0, 0, 0};
  for (int user = 1; user <= 1000; ++user) ++counts[shard_for_write(config, user, 1, 0)];
  for (int c : counts) EXPECT_EQ(c, 250);
}

TEST(Routing, RangeSplitsRoomsEvenlyByDefault) {
  const auto config = config_for(Strategy::range);
  EXPECT_EQ(shard_for_write(config, 9, 1, 0), 0);
  EXPECT_EQ(shard_for_write(config, 9, 25, 0), 0);
  EXPECT_EQ(shard_for_write(config, 9, 26, 0), 1);
  EXPECT_EQ(shard_for_write(config, 9, 50, 0), 1);
  EXPECT_EQ(shard_for_write(config, 9, 51, 0), 2);
  EXPECT_EQ(shard_for_write(config, 9, 76, 0), 3);
  EXPECT_EQ(shard_for_write(config, 9, 100, 0), 3);
  // All hot rooms on one shard, as in the seed's range experiment.
  for (int room = 1; room <= 5; ++room) EXPECT_EQ(shard_for_room(config, room), 0);
}

TEST(Routing, RangeHonoursUnevenRoomCountsAndExplicitBoundaries) {
  auto config = config_for(Strategy::range);
  config.room_count = 10;
  config.shard_count = 3;  // 4 rooms per shard: 1-4, 5-8, 9-10
  EXPECT_EQ(shard_for_room(config, 4), 0);
  EXPECT_EQ(shard_for_room(config, 5), 1);
  EXPECT_EQ(shard_for_room(config, 10), 2);
  EXPECT_EQ(shard_for_room(config, 11), 2);  // clamped

  config = config_for(Strategy::range);
  config.range_starts = {6, 40, 70};  // hot rooms 1-5 alone on shard 0
  ASSERT_FALSE(validate(config));
  EXPECT_EQ(shard_for_room(config, 5), 0);
  EXPECT_EQ(shard_for_room(config, 6), 1);
  EXPECT_EQ(shard_for_room(config, 39), 1);
  EXPECT_EQ(shard_for_room(config, 40), 2);
  EXPECT_EQ(shard_for_room(config, 100), 3);
}

TEST(Routing, ValidateReportsBadConfigs) {
  auto config = config_for(Strategy::range);
  config.range_starts = {10, 5, 70};
  EXPECT_TRUE(validate(config));
  config.range_starts = {10, 20};
  EXPECT_TRUE(validate(config));
  config = RoutingConfig{};
  config.shard_count = 0;
  EXPECT_TRUE(validate(config));
  config = RoutingConfig{};
  config.time_bucket = 0ms;
  EXPECT_TRUE(validate(config));
  EXPECT_FALSE(validate(RoutingConfig{}));
}

TEST(Routing, TimeBucketsCycleOverShards) {
  const auto config = config_for(Strategy::time);  // 1 h buckets, 4 shards
  const std::int64_t t0 = 1000 * kHourMs;          // bucket 1000 -> shard 0
  EXPECT_EQ(shard_for_write(config, 1, 1, t0), 0);
  EXPECT_EQ(shard_for_write(config, 2, 99, t0 + kHourMs - 1), 0);  // same bucket, any user/room
  EXPECT_EQ(shard_for_write(config, 1, 1, t0 + kHourMs), 1);
  EXPECT_EQ(shard_for_write(config, 1, 1, t0 + 3 * kHourMs), 3);
  EXPECT_EQ(shard_for_write(config, 1, 1, t0 + 4 * kHourMs), 0);
}

TEST(Routing, UserQueriesNeedOneShardOnlyUnderHash) {
  EXPECT_EQ(shards_for_user_query(config_for(Strategy::hash), 7), (ShardList{3}));
  EXPECT_EQ(shards_for_user_query(config_for(Strategy::range), 7), (ShardList{0, 1, 2, 3}));
  EXPECT_EQ(shards_for_user_query(config_for(Strategy::time), 7), (ShardList{0, 1, 2, 3}));
}

TEST(Routing, RoomQueriesNeedOneShardOnlyUnderRange) {
  EXPECT_EQ(shards_for_room_query(config_for(Strategy::range), 30), (ShardList{1}));
  EXPECT_EQ(shards_for_room_query(config_for(Strategy::hash), 30), (ShardList{0, 1, 2, 3}));
  EXPECT_EQ(shards_for_room_query(config_for(Strategy::time), 30), (ShardList{0, 1, 2, 3}));
}

TEST(Routing, RecentOrdersNeedCoveringBucketsUnderTime) {
  const auto config = config_for(Strategy::time);
  const std::int64_t now = 1002 * kHourMs + 10 * 60'000;  // bucket 1002 -> shard 2
  EXPECT_EQ(shards_for_recent_query(config, now, 5 * 60'000), (ShardList{2}));
  EXPECT_EQ(shards_for_recent_query(config, now, kHourMs), (ShardList{1, 2}));
  EXPECT_EQ(shards_for_recent_query(config, now, 2 * kHourMs), (ShardList{0, 1, 2}));
  // Wrapping over the shard ring: buckets 1003..1005 -> shards 3, 0, 1.
  const std::int64_t later = 1005 * kHourMs + 1;
  EXPECT_EQ(shards_for_recent_query(config, later, 2 * kHourMs), (ShardList{0, 1, 3}));
  EXPECT_EQ(shards_for_recent_query(config, now, 24 * kHourMs), (ShardList{0, 1, 2, 3}));
  EXPECT_EQ(shards_for_recent_query(config_for(Strategy::hash), now, 60'000),
            (ShardList{0, 1, 2, 3}));
  EXPECT_EQ(shards_for_recent_query(config_for(Strategy::range), now, 60'000),
            (ShardList{0, 1, 2, 3}));
}

}  // namespace
}  // namespace stampede::server
