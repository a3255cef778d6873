#include "gui/model/shard_summary.h"

#include <gtest/gtest.h>

#include "gui/model/run_model.h"
#include "gui/tests/lab_fixture.h"

namespace stampede::gui {
namespace {

// The worked examples of reporters/README.md ("Balance score"): the GUI must agree.
TEST(ShardSummary, BalanceScoreMatchesTheReportersDefinition) {
  EXPECT_DOUBLE_EQ(balance_score({100, 100, 100, 100}), 100.0);
  EXPECT_NEAR(balance_score({550, 150, 150, 150}), 30.7, 0.05);
  EXPECT_DOUBLE_EQ(balance_score({3, 1}), 50.0);
  EXPECT_DOUBLE_EQ(balance_score({40, 0, 0, 0}), 0.0);  // CV = √3, clamped
  EXPECT_DOUBLE_EQ(balance_score({7}), 100.0);
  EXPECT_DOUBLE_EQ(balance_score({}), 100.0);
  EXPECT_DOUBLE_EQ(balance_score({0, 0, 0}), 100.0);
}

TEST(ShardSummary, ServerRowsOnlyWithServerJson) {
  testing::LabFixture lab;
  ASSERT_TRUE(lab.ok);
  const RunModel with = RunModel::load(lab.range);
  ASSERT_TRUE(with.ok()) << with.error().toStdString();
  const ShardSummary s = summarize_shards(with.result());
  ASSERT_EQ(s.rows.size(), 4u);
  EXPECT_TRUE(s.has_server);
  EXPECT_TRUE(s.all_rows);
  EXPECT_EQ(s.total_result_rows, 4000u);
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_TRUE(s.rows[k].server);
    EXPECT_EQ(s.rows[k].server->result_rows, testing::range_rows()[k]);
  }
  EXPECT_DOUBLE_EQ(*s.rowShare(0), 2200.0 / 4000.0);
  EXPECT_DOUBLE_EQ(*s.rowsBalance(), balance_score({2200, 600, 600, 600}));

  // The client side: each shard's writes are the POST touches stats.json recorded.
  quint64 writes = 0;
  for (const auto& st : with.result().shards) writes += is_write_method(st.method) ? st.count : 0;
  EXPECT_EQ(s.total_writes, writes);
  std::vector<double> per_shard;
  for (const auto& r : s.rows) per_shard.push_back(static_cast<double>(r.writes));
  EXPECT_DOUBLE_EQ(s.writeBalance(), balance_score(per_shard));

  const RunModel without = RunModel::load(testing::range_run());
  const ShardSummary n = summarize_shards(without.result());
  EXPECT_EQ(n.rows.size(), 4u);
  EXPECT_FALSE(n.has_server);
  EXPECT_FALSE(n.rowsBalance().has_value());
  EXPECT_FALSE(n.rowShare(0).has_value());
  EXPECT_FALSE(n.rows[0].server.has_value());
  EXPECT_EQ(n.total_requests, s.total_requests);  // same run, same client-side figures
}

TEST(ShardSummary, ShardsTheClientNeverSawStillCount) {
  RunModel run = RunModel::load(testing::hash_run());
  ASSERT_TRUE(run.ok());
  results::RunResult r = run.result();
  // The server says 6 shards but lists only 0..3: shards 4 and 5 are rows with no traffic,
  // and without every shard's line there is no rows balance.
  r.server = testing::server_report("hash", testing::hash_rows());
  r.server->shard_count = 6;
  const ShardSummary s = summarize_shards(r);
  ASSERT_EQ(s.rows.size(), 6u);
  EXPECT_EQ(s.rows[5].requests, 0u);
  EXPECT_FALSE(s.rows[5].server.has_value());
  EXPECT_FALSE(s.all_rows);
  EXPECT_FALSE(s.rowsBalance().has_value());
  EXPECT_LT(s.requestBalance(), summarize_shards(run.result()).requestBalance());  // two empty shards
  // Absurd shard numbers from a misbehaving backend are ignored.
  r.shards.front().shard = 5000;
  EXPECT_EQ(summarize_shards(r).rows.size(), 6u);
}

}  // namespace
}  // namespace stampede::gui
