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

ServerTimingNotes notes_of(std::initializer_list<std::string_view> headers) {
  std::vector<ShardTiming> shards;
  ServerTimingNotes notes;
  for (std::string_view h : headers) parse_server_timing(h, shards, notes);
  return notes;
}

TEST(ServerTiming, CacheHitAndMissFromDesc) {
  EXPECT_EQ(notes_of({"cache;desc=hit"}).cache, CacheOutcome::kHit);
  EXPECT_EQ(notes_of({"shard-1;dur=2, cache;desc=miss;dur=0.3"}).cache, CacheOutcome::kMiss);
  EXPECT_EQ(notes_of({R"(Cache ; DESC = "HIT")"}).cache, CacheOutcome::kHit) << "case and quotes";
  EXPECT_EQ(notes_of({"cache;dur=1;desc=miss"}).cache, CacheOutcome::kMiss) << "desc after dur";
  EXPECT_EQ(notes_of({R"(cache;desc="Cache Read";dur=23.2)"}).cache, CacheOutcome::kNone) << "another desc";
  EXPECT_EQ(notes_of({"cache"}).cache, CacheOutcome::kNone);
  EXPECT_EQ(notes_of({"caches;desc=hit, xcache;desc=hit, db;desc=hit"}).cache, CacheOutcome::kNone);
  EXPECT_EQ(notes_of({"cache;desc=hit, cache;desc=miss"}).cache, CacheOutcome::kHit) << "the first decides";
  EXPECT_EQ(notes_of({"cache;desc=other, cache;desc=miss"}).cache, CacheOutcome::kMiss);
  EXPECT_EQ(notes_of({"db;dur=1", "cache;desc=miss"}).cache, CacheOutcome::kMiss) << "a second header";
}

TEST(ServerTiming, ServerIndexFromSrvMetric) {
  EXPECT_EQ(notes_of({"srv-3"}).server, 3);
  EXPECT_EQ(notes_of({"shard-0;dur=1, SRV-12;desc=\"upstream\""}).server, 12);
  EXPECT_EQ(notes_of({"srv-0, srv-1"}).server, 0) << "the first";
  EXPECT_EQ(notes_of({"app", "srv-1023"}).server, 1023);
  for (std::string_view bad : {"srv-", "srv-x", "srv--1", "srv-+1", "srv-1024", "srv-99999999999", "srv-1a", "srv"})
    EXPECT_EQ(notes_of({bad}).server, -1) << bad;
  EXPECT_EQ(notes_of({""}).server, -1);
}

TEST(ServerTiming, NotesDoNotDisturbShards) {
  std::vector<ShardTiming> shards;
  ServerTimingNotes notes;
  parse_server_timing("srv-2, shard-1;dur=0.5, cache;desc=hit, shard-3;dur=1", shards, notes);
  ASSERT_EQ(shards.size(), 2u);
  EXPECT_EQ(shards[0].shard, 1);
  EXPECT_EQ(shards[1].dur_us, 1000u);
  EXPECT_EQ(notes.server, 2);
  EXPECT_EQ(notes.cache, CacheOutcome::kHit);
}

}  // namespace
}  // namespace stampede::http
