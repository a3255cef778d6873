#include "reference-server/reshard.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace stampede::server {
namespace {

using Rows = std::vector<std::int64_t>;

std::vector<KeyCount> one_row_each(std::int64_t first, std::int64_t last) {
  std::vector<KeyCount> out;
  for (std::int64_t k = first; k <= last; ++k) out.push_back({k, 1});
  return out;
}

RoutingConfig range_config(int shards, std::int64_t rooms = 100) {
  RoutingConfig config;
  config.strategy = Strategy::range;
  config.shard_count = shards;
  config.room_count = rooms;
  return config;
}

// Shard 0 (rooms 1-25) holds 110 rows, shard 1 40, shards 2 and 3 five each.
const std::vector<KeyCount> kRooms = {{1, 50}, {2, 30}, {3, 20}, {10, 10}, {30, 40}, {60, 5}, {80, 5}};

TEST(Reshard, TargetMustBeAboveOneAndAtMost64) {
  EXPECT_FALSE(check_reshard_target(2));
  EXPECT_FALSE(check_reshard_target(64));
  for (std::int64_t bad : {-3, 0, 1, 65, 1000}) {
    const auto problem = check_reshard_target(bad);
    ASSERT_TRUE(problem) << bad;
    EXPECT_NE(problem->find("to:"), std::string::npos) << *problem;
    EXPECT_NE(problem->find(std::to_string(bad)), std::string::npos) << *problem;
  }
  EXPECT_THROW(estimate_reshard(range_config(4), 1, {}), std::invalid_argument);
  EXPECT_THROW(estimate_reshard(range_config(4), 65, {}), std::invalid_argument);
}

TEST(Reshard, HashModuloMovesEveryUserWhoseResidueChanges) {
  // Users 1..20, one row each: user mod 4 == user mod 5 only for 1, 2, 3 and 20.
  const auto e = estimate_hash(4, 5, one_row_each(1, 20));
  EXPECT_EQ(e.strategy, Strategy::hash);
  EXPECT_EQ(e.rows, 20);
  EXPECT_EQ(e.moved, 16);
  EXPECT_DOUBLE_EQ(e.moved_share(), 0.8);
  EXPECT_EQ(e.rows_before, (Rows{5, 5, 5, 5}));
  EXPECT_EQ(e.rows_after, (Rows{4, 4, 4, 4, 4}));
  EXPECT_EQ(e.how, "user_id mod 4 -> user_id mod 5");
}

TEST(Reshard, HashSumsAUsersCountsFromSeveralShards) {
  // User 7 appears twice (two shards' parts): 7 mod 4 = 3, 7 mod 5 = 2, all 5 rows move.
  const auto e = estimate_hash(4, 5, {{7, 2}, {7, 3}, {20, 4}});
  EXPECT_EQ(e.rows, 9);
  EXPECT_EQ(e.moved, 5);
  EXPECT_EQ(e.rows_before, (Rows{4, 0, 0, 5}));
  EXPECT_EQ(e.rows_after, (Rows{4, 0, 5, 0, 0}));
}

TEST(Reshard, JumpHashOnlyMovesKeysToNewBuckets) {
  for (std::uint64_t key = 0; key < 2000; ++key) {
    EXPECT_EQ(jump_consistent_hash(key, 1), 0);
    const int four = jump_consistent_hash(key, 4);
    const int five = jump_consistent_hash(key, 5);
    ASSERT_GE(four, 0);
    ASSERT_LT(four, 4);
    ASSERT_LT(five, 5);
    if (four != five) {
      EXPECT_EQ(five, 4) << key;  // a key moves only to the new bucket
    }
  }
  // About 1/5 of the keys move from 4 to 5 buckets (vs 4/5 with modulo).
  const auto e = estimate_hash(4, 5, one_row_each(1, 20'000));
  ASSERT_TRUE(e.jump_hash_moved);
  const double share = static_cast<double>(*e.jump_hash_moved) / 20'000.0;
  EXPECT_GT(share, 0.17);
  EXPECT_LT(share, 0.23);
  EXPECT_EQ(e.moved, 16'000);
}

TEST(Reshard, RangeSplitsTheFullestRangeNearItsRowMedian) {
  const auto e = estimate_range(range_config(4), 5, kRooms);
  EXPECT_EQ(e.rows, 160);
  EXPECT_EQ(e.rows_before, (Rows{110, 40, 5, 5}));
  // Half of shard 0's 110 rows is 55: cutting after room 1 leaves 50 below (off by 5),
  // after room 2 80 (off by 25). Rooms 2-25 (60 rows) move to the new shard 4.
  EXPECT_EQ(e.moved, 60);
  EXPECT_EQ(e.rows_after, (Rows{50, 40, 5, 5, 60}));
  ASSERT_EQ(e.splits.size(), 1u);
  EXPECT_EQ(e.splits[0].from_shard, 0);
  EXPECT_EQ(e.splits[0].to_shard, 4);
  EXPECT_EQ(e.splits[0].first_room, 2);
  EXPECT_EQ(e.splits[0].last_room, 25);
  EXPECT_EQ(e.splits[0].rows, 60);
  EXPECT_EQ(e.how, "split shard 0 (rooms 1-25) at room 2: rooms 2-25 -> new shard 4");
}

TEST(Reshard, RangeRepeatsTheSplitAndCountsARowMovedTwiceOnce) {
  const auto e = estimate_range(range_config(4), 6, kRooms);
  // Second split: shard 0 is now room 1 alone (cannot split); shard 4 (rooms 2-25, 60 rows)
  // is the fullest splittable range: after room 2 it has 30 of 60 below, rooms 3-25 -> 5.
  ASSERT_EQ(e.splits.size(), 2u);
  EXPECT_EQ(e.splits[1].from_shard, 4);
  EXPECT_EQ(e.splits[1].to_shard, 5);
  EXPECT_EQ(e.splits[1].first_room, 3);
  EXPECT_EQ(e.splits[1].last_room, 25);
  EXPECT_EQ(e.splits[1].rows, 30);
  EXPECT_EQ(e.rows_after, (Rows{50, 40, 5, 5, 30, 30}));
  EXPECT_EQ(e.moved, 60);  // rooms 3 and 10 moved twice, counted once
  EXPECT_NE(e.how.find("; then split shard 4 (rooms 2-25) at room 3"), std::string::npos) << e.how;
}

TEST(Reshard, RangeSkipsSingleRoomRangesEvenWhenFullest) {
  RoutingConfig config = range_config(4);
  config.range_starts = {2, 3, 4};  // shards 0-2 hold one room each, shard 3 rooms 4-100
  const auto e = estimate_range(config, 5, {{1, 100}, {50, 10}, {90, 10}});
  ASSERT_EQ(e.splits.size(), 1u);
  EXPECT_EQ(e.splits[0].from_shard, 3);
  // 10 of 20 rows below for any cut in 51..90: the one nearest the middle room (52).
  EXPECT_EQ(e.splits[0].first_room, 52);
  EXPECT_EQ(e.splits[0].last_room, 100);
  EXPECT_EQ(e.moved, 10);
  EXPECT_EQ(e.rows_after, (Rows{100, 0, 0, 10, 10}));
}

TEST(Reshard, RangeWithNothingToSplitLeavesTheNewShardEmpty) {
  const auto e = estimate_range(range_config(2, 2), 3, {{1, 7}, {2, 3}});
  EXPECT_EQ(e.moved, 0);
  EXPECT_TRUE(e.splits.empty());
  EXPECT_EQ(e.rows_after, (Rows{7, 3, 0}));
  EXPECT_NE(e.how.find("stays empty"), std::string::npos) << e.how;
}

TEST(Reshard, RangeOnNoRowsSplitsTheWidestRangeInTheMiddle) {
  const auto e = estimate_range(range_config(4), 5, {});
  EXPECT_EQ(e.rows, 0);
  EXPECT_EQ(e.moved, 0);
  EXPECT_DOUBLE_EQ(e.moved_share(), 0.0);
  ASSERT_EQ(e.splits.size(), 1u);
  EXPECT_EQ(e.splits[0].from_shard, 0);
  EXPECT_EQ(e.splits[0].first_room, 13);
}

TEST(Reshard, RangeShrinkMergesTheLastRanges) {
  const auto e = estimate_range(range_config(4), 2, kRooms);
  EXPECT_EQ(e.moved, 10);
  EXPECT_EQ(e.rows_after, (Rows{110, 50}));
  EXPECT_EQ(e.how, "merge shards 2-3 (rooms 51-100) into shard 1");
}

TEST(Reshard, RangeBeforeCountsMatchShardForRoom) {
  // Including ids outside 1..room_count, which shard_for_room clamps.
  const std::vector<KeyCount> rooms = {{0, 1}, {1, 2}, {7, 3}, {33, 4}, {34, 5}, {99, 6}, {100, 7}, {150, 8}};
  RoutingConfig even = range_config(3);
  RoutingConfig explicit_starts = range_config(3);
  explicit_starts.range_starts = {8, 40};
  for (const auto& config : {even, explicit_starts}) {
    Rows expected(3, 0);
    for (const auto& kc : rooms) expected[static_cast<std::size_t>(shard_for_room(config, kc.key))] += kc.rows;
    EXPECT_EQ(estimate_range(config, 4, rooms).rows_before, expected);
  }
}

TEST(Reshard, TimeCountsBucketsWhoseShardChanges) {
  // Buckets 0..9 one row each, bucket 12 three rows, bucket -1 one row.
  auto buckets = one_row_each(0, 9);
  buckets.push_back({12, 3});
  buckets.push_back({-1, 1});
  const auto e = estimate_time(4, 5, std::chrono::hours(1), buckets);
  EXPECT_EQ(e.rows, 14);
  // b mod 4 == b mod 5 only for buckets 0-3: 4..9 (6 rows), 12 (3) and -1 (3 vs 4) move.
  EXPECT_EQ(e.moved, 10);
  EXPECT_EQ(e.rows_before, (Rows{6, 3, 2, 3}));
  EXPECT_EQ(e.rows_after, (Rows{2, 2, 5, 2, 3}));
  ASSERT_TRUE(e.moved_if_only_new_data);
  EXPECT_EQ(*e.moved_if_only_new_data, 0);
  EXPECT_EQ(e.how, "bucket mod 4 -> bucket mod 5 (1h buckets)");
  EXPECT_FALSE(e.note.empty());
}

TEST(Reshard, SameShardCountMovesNothing) {
  ResultKeyCounts counts{one_row_each(1, 50), kRooms, one_row_each(0, 30)};
  for (const auto& e : estimate_reshard(range_config(4), 4, counts)) {
    EXPECT_EQ(e.moved, 0) << to_string(e.strategy);
    EXPECT_EQ(e.rows_before, e.rows_after) << to_string(e.strategy);
  }
}

TEST(Reshard, EstimatesAllStrategiesInOrderAsJson) {
  RoutingConfig config = range_config(4);
  config.time_bucket = std::chrono::minutes(30);
  ResultKeyCounts counts{one_row_each(1, 20), {{1, 10}, {40, 10}}, {{0, 20}}};
  const auto estimates = estimate_reshard(config, 5, counts);
  ASSERT_EQ(estimates.size(), 3u);
  EXPECT_EQ(estimates[0].strategy, Strategy::hash);
  EXPECT_EQ(estimates[1].strategy, Strategy::range);
  EXPECT_EQ(estimates[2].strategy, Strategy::time);
  for (const auto& e : estimates) EXPECT_EQ(e.rows, 20);

  const auto hash = to_json(estimates[0]);
  EXPECT_EQ(hash["strategy"], "hash");
  EXPECT_EQ(hash["from_shards"], 4);
  EXPECT_EQ(hash["to_shards"], 5);
  EXPECT_EQ(hash["moved"], 16);
  EXPECT_DOUBLE_EQ(hash["moved_share"].get<double>(), 0.8);
  EXPECT_EQ(hash["rows_before"].size(), 4u);
  EXPECT_EQ(hash["rows_after"].size(), 5u);
  EXPECT_TRUE(hash.contains("jump_hash_moved"));
  EXPECT_FALSE(hash.contains("splits"));
  const auto range = to_json(estimates[1]);
  ASSERT_EQ(range["splits"].size(), 1u);
  EXPECT_EQ(range["splits"][0]["to_shard"], 4);
  const auto time = to_json(estimates[2]);
  EXPECT_EQ(time["moved_if_only_new_data"], 0);
  EXPECT_EQ(time["how"], "bucket mod 4 -> bucket mod 5 (30m buckets)");
}

TEST(Reshard, FormatsBucketsInTheLargestWholeUnit) {
  EXPECT_EQ(format_bucket(std::chrono::hours(1)), "1h");
  EXPECT_EQ(format_bucket(std::chrono::hours(48)), "2d");
  EXPECT_EQ(format_bucket(std::chrono::minutes(90)), "90m");
  EXPECT_EQ(format_bucket(std::chrono::seconds(45)), "45s");
  EXPECT_EQ(format_bucket(std::chrono::milliseconds(250)), "250ms");
}

}  // namespace
}  // namespace stampede::server
