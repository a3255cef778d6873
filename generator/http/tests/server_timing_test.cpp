#include "generator/http/server_timing.h"

#include <gtest/gtest.h>

namespace stampede::http {
namespace {

std::vector<ShardTiming> parse(std::string_view header) {
  std::vector<ShardTiming> out;
  parse_shard_timings(header, out);
  return out;
}

TEST(ServerTiming, ParsesShardEntriesWithDurations) {
  auto t = parse("shard-0;dur=0.41, shard-3;dur=0.39");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].shard, 0);
  EXPECT_EQ(t[0].dur_us, 410u);
  EXPECT_EQ(t[1].shard, 3);
  EXPECT_EQ(t[1].dur_us, 390u);
}

TEST(ServerTiming, SkipsOtherMetricsAndKeepsOrder) {
  auto t = parse(R"(cache;desc="Cache Read";dur=23.2, db;dur=53, shard-2;desc="x, y";dur=1.5, app)");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].shard, 2);
  EXPECT_EQ(t[0].dur_us, 1500u);
}

TEST(ServerTiming, ToleratesSpacingCaseAndQuotedDur) {
  auto t = parse("  Shard-1 ; DUR = \"2.25\" ;desc=a,shard-1;dur=0");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].shard, 1);
  EXPECT_EQ(t[0].dur_us, 2250u);
  EXPECT_EQ(t[1].dur_us, 0u);
}

TEST(ServerTiming, FirstDurWinsAndMissingDurIsZero) {
  auto t = parse("shard-4;dur=1;dur=9, shard-5");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].dur_us, 1000u);
  EXPECT_EQ(t[1].shard, 5);
  EXPECT_EQ(t[1].dur_us, 0u);
}

TEST(ServerTiming, IgnoresMalformedAndOutOfRangeShards) {
  auto t = parse("shard-;dur=1, shard-x;dur=1, shard--1;dur=1, shard-99999;dur=1, shard-7;dur=abc, "
                 "shard-8;dur=-3");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].shard, 7);
  EXPECT_EQ(t[0].dur_us, 0u);
  EXPECT_EQ(t[1].shard, 8);
  EXPECT_EQ(t[1].dur_us, 0u);
  EXPECT_TRUE(parse("").empty());
  EXPECT_TRUE(parse(",,;;").empty());
}

}  // namespace
}  // namespace stampede::http
