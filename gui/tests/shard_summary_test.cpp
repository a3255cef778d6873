#include "gui/model/shard_summary.h"

#include <gtest/gtest.h>

#include "gui/model/run_model.h"
#include "gui/tests/lab_fixture.h"
#include "results/shard_metrics.h"

namespace stampede::gui {
namespace {

// The summary lists the shared shard count's shards and scores them with the shared
// balance score (results/shard_metrics.h, where the definitions are tested): the GUI and the
// comparison report agree because they use the same code.
TEST(ShardSummary, AppliesTheSharedShardMetrics) {
  const RunModel range = RunModel::load(testing::lab_run("range"));
  ASSERT_TRUE(range.ok()) << range.error().toStdString();
  const ShardSummary s = summarize_shards(range.result());
  const auto totals = results::shard_totals(range.result());
  ASSERT_EQ(s.rows.size(), static_cast<std::size_t>(results::shard_count(range.result())));
  ASSERT_EQ(s.rows.size(), totals.size());
  std::vector<double> requests, writes;
  for (std::size_t k = 0; k < totals.size(); ++k) {
    EXPECT_EQ(s.rows[k].shard, totals[k].shard);
    EXPECT_EQ(s.rows[k].requests, totals[k].touches());
    EXPECT_EQ(s.rows[k].writes, totals[k].write_touches);
    EXPECT_EQ(s.rows[k].single_shard_requests, totals[k].single_shard_requests);
    EXPECT_EQ(s.rows[k].shard_time, totals[k].shard_time);
    requests.push_back(static_cast<double>(totals[k].touches()));
    writes.push_back(static_cast<double>(totals[k].write_touches));
  }
  EXPECT_GT(s.total_writes, 0u);
  EXPECT_LT(s.total_writes, s.total_requests);  // the coupon scenario queries too
  EXPECT_DOUBLE_EQ(s.requestBalance(), results::balance_score(requests));
  EXPECT_DOUBLE_EQ(s.writeBalance(), results::balance_score(writes));
  EXPECT_EQ(s.all_rows, results::has_every_server_line(totals));
}

TEST(ShardSummary, ServerRowsOnlyWithServerJson) {
  const auto rows_on_server = testing::server_rows(testing::lab_run("range"));
  ASSERT_EQ(rows_on_server.size(), 4u);
  std::uint64_t total_rows = 0;
  for (auto v : rows_on_server) total_rows += v;
  const RunModel with = RunModel::load(testing::lab_run("range"));
  ASSERT_TRUE(with.ok()) << with.error().toStdString();
  const ShardSummary s = summarize_shards(with.result());
  ASSERT_EQ(s.rows.size(), 4u);
  EXPECT_TRUE(s.has_server);
  EXPECT_TRUE(s.all_rows);
  EXPECT_EQ(s.total_result_rows, total_rows);
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_TRUE(s.rows[k].server);
    EXPECT_EQ(s.rows[k].server->result_rows, rows_on_server[k]);
  }
  EXPECT_DOUBLE_EQ(*s.rowShare(0), static_cast<double>(rows_on_server[0]) / static_cast<double>(total_rows));
  EXPECT_DOUBLE_EQ(*s.rowsBalance(), results::balance_score(testing::as_doubles(rows_on_server)));

  // The client side: each shard's writes are the POST touches stats.json recorded.
  quint64 writes = 0;
  for (const auto& st : with.result().shards) writes += results::is_write_method(st.method) ? st.count : 0;
  EXPECT_EQ(s.total_writes, writes);
  std::vector<double> per_shard;
  for (const auto& r : s.rows) per_shard.push_back(static_cast<double>(r.writes));
  EXPECT_DOUBLE_EQ(s.writeBalance(), results::balance_score(per_shard));

  // The same run without its server.json: client figures unchanged, no rows at all.
  results::RunResult stripped = with.result();
  stripped.server.reset();
  const ShardSummary n = summarize_shards(stripped);
  EXPECT_EQ(n.rows.size(), 4u);
  EXPECT_FALSE(n.has_server);
  EXPECT_FALSE(n.rowsBalance().has_value());
  EXPECT_FALSE(n.rowShare(0).has_value());
  EXPECT_FALSE(n.rows[0].server.has_value());
  EXPECT_EQ(n.total_requests, s.total_requests);
  EXPECT_EQ(n.total_writes, s.total_writes);
}

TEST(ShardSummary, ReshardLinesFromServerJsonOwnStrategyFirst) {
  const RunModel range = RunModel::load(testing::lab_run("range"));
  ASSERT_TRUE(range.ok() && range.result().server);
  const auto j = testing::read_json(testing::lab_run("range") + QStringLiteral("/server.json"));
  ASSERT_EQ(j["reshard"].size(), 3u);
  const QStringList lines = reshard_lines(*range.result().server);
  ASSERT_EQ(lines.size(), 3);
  EXPECT_TRUE(lines[0].startsWith(QStringLiteral("range ")));
  EXPECT_TRUE(lines[0].endsWith(QStringLiteral(" (this run)")));
  for (const auto& e : j["reshard"]) {
    const QString expected = QStringLiteral("%1 %2 → %3 shards moves %4 of %5 rows")
                                 .arg(QString::fromStdString(e["strategy"].get<std::string>()))
                                 .arg(e["from_shards"].get<int>())
                                 .arg(e["to_shards"].get<int>())
                                 .arg(e["moved"].get<std::uint64_t>())
                                 .arg(e["rows"].get<std::uint64_t>());
    EXPECT_EQ(lines.filter(expected).size(), 1) << expected.toStdString();
  }
  EXPECT_TRUE(reshard_lines(results::ServerReport{}).isEmpty());
}

TEST(ShardSummary, ShardsTheClientNeverSawStillCount) {
  RunModel run = RunModel::load(testing::hash_run());
  ASSERT_TRUE(run.ok());
  results::RunResult r = run.result();
  // The server says 6 shards but lists only 0..3: shards 4 and 5 are rows with no traffic,
  // and without every shard's line there is no rows balance.
  r.server = RunModel::load(testing::lab_run("hash")).result().server;
  ASSERT_TRUE(r.server);
  ASSERT_EQ(r.server->shards.size(), 4u);
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
