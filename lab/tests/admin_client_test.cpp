// server.json from the reference server's /admin documents: per-shard queries cover the
// measured run only (after minus before), rows come from the status, the estimate is kept.
#include "lab/admin_client.h"

#include <gtest/gtest.h>

namespace stampede::lab {
namespace {

using nlohmann::json;

json stats(std::uint64_t q0, double s0, std::uint64_t q1, double s1) {
  return {{"strategy", "range"},
          {"store", "sqlite"},
          {"shard_count", 2},
          {"shard_queries", {{{"shard", 0}, {"queries", q0}, {"seconds", s0}, {"unavailable", 0}},
                             {{"shard", 1}, {"queries", q1}, {"seconds", s1}, {"unavailable", 0}}}}};
}

TEST(ServerReportFromAdmin, QueriesAreTheMeasuredRunsOnly) {
  json status = {{"strategy", "range"},
                 {"store", "sqlite"},
                 {"shards", {{{"shard", 1}, {"up", true}, {"rows", 40}}, {{"shard", 0}, {"up", false}, {"rows", 160}}}}};
  json reshard = {{"estimates",
                   {{{"strategy", "hash"}, {"from_shards", 2}, {"to_shards", 3}, {"rows", 200}, {"moved", 130},
                     {"how", "user_id mod 2 -> user_id mod 3"}, {"rows_before", {100, 100}},
                     {"rows_after", {70, 60, 70}}}}}};
  results::ServerReport report;
  fill_server_report(report, stats(1000, 2.0, 500, 1.0), stats(1600, 2.5, 700, 1.25), status, reshard);
  EXPECT_EQ(report.strategy, "range");
  EXPECT_EQ(report.store, "sqlite");
  EXPECT_EQ(report.shard_count, 2);
  ASSERT_EQ(report.shards.size(), 2u);
  EXPECT_EQ(report.shards[0].shard, 0) << "sorted by shard";
  EXPECT_FALSE(report.shards[0].up);
  EXPECT_EQ(report.shards[0].result_rows, 160u);
  EXPECT_EQ(report.shards[0].queries, 600u);
  EXPECT_DOUBLE_EQ(report.shards[0].query_seconds, 0.5);
  EXPECT_EQ(report.shards[1].queries, 200u);
  EXPECT_DOUBLE_EQ(report.shards[1].query_seconds, 0.25);
  ASSERT_EQ(report.reshard.size(), 1u);
  EXPECT_EQ(report.reshard[0].moved, 130u);
  EXPECT_EQ(report.reshard[0].rows_after, (std::vector<std::uint64_t>{70, 60, 70}));
  EXPECT_DOUBLE_EQ(report.reshard[0].moved_share(), 0.65);
}

TEST(ServerReportFromAdmin, NoBeforeSnapshotAndNoEstimate) {
  json status = {{"shards", {{{"shard", 0}, {"rows", 5}}}}};
  results::ServerReport report;
  fill_server_report(report, nullptr, stats(10, 0.5, 0, 0), status, nullptr);
  ASSERT_EQ(report.shards.size(), 1u);
  EXPECT_EQ(report.shards[0].queries, 10u);
  EXPECT_TRUE(report.reshard.empty());
}

TEST(AdminClient, NothingListeningIsStatusZeroWithAReason) {
  HttpReply r = http_get("http://127.0.0.1:1/health", std::chrono::seconds(2));
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  EXPECT_THROW(fetch_json("http://127.0.0.1:1/admin/stats", std::chrono::seconds(2)), AdminError);
  EXPECT_FALSE(wait_for_health("http://127.0.0.1:1", std::chrono::milliseconds(100)));
}

}  // namespace
}  // namespace stampede::lab
