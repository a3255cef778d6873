#include "gui/model/shard_compare_model.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "gui/model/compare_model.h"
#include "gui/tests/lab_fixture.h"
#include "results/shard_metrics.h"

namespace stampede::gui {
namespace {

std::shared_ptr<const RunModel> load(const QString& dir) {
  return std::make_shared<const RunModel>(RunModel::load(dir));
}

TEST(ShardCompareModel, WriteShareAndRowsSideBySide) {
  CompareModel compare;
  // The lab's hash run (with server.json) against a run of range made by hand (without).
  compare.setRuns({load(testing::lab_run("hash")), load(testing::range_run())});
  const auto hash_rows = testing::server_rows(testing::lab_run("hash"));
  ASSERT_EQ(hash_rows.size(), 4u);
  ShardCompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRuns(compare.runs(), compare.names());
  ASSERT_EQ(model.runCount(), 2);
  ASSERT_EQ(model.shardCount(), 4);
  ASSERT_EQ(model.rowCount(), 5);      // 4 shards + Balance
  ASSERT_EQ(model.columnCount(), 5);   // Shard | 2 × write share | 2 × rows
  EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("hash\nwrite share"));
  EXPECT_EQ(model.headerData(4, Qt::Horizontal).toString(), QStringLiteral("coupon-range\nrows"));
  EXPECT_TRUE(model.anyServerReport());

  const ShardSummary hash = summarize_shards(compare.runs()[0]->result());
  const ShardSummary range = summarize_shards(compare.runs()[1]->result());
  double range_sum = 0;
  for (int k = 0; k < 4; ++k) {
    EXPECT_DOUBLE_EQ(model.index(k, 1).data(Qt::UserRole).toDouble(), hash.writeShare(k));
    EXPECT_DOUBLE_EQ(model.index(k, 2).data(Qt::UserRole).toDouble(), range.writeShare(k));
    range_sum += *model.writeShare(1, k);
    EXPECT_EQ(model.index(k, 3).data(Qt::UserRole).toULongLong(), hash_rows[k]);
    EXPECT_FALSE(model.index(k, 4).data(Qt::UserRole).isValid());  // no server.json: no rows
    EXPECT_EQ(model.index(k, 4).data().toString(), QStringLiteral("—"));
    EXPECT_TRUE(model.index(k, 4).data(Qt::ToolTipRole).toString().contains(QStringLiteral("stampede lab")));
  }
  EXPECT_NEAR(range_sum, 1.0, 1e-12);
  EXPECT_EQ(model.index(4, 0).data().toString(), QStringLiteral("Balance"));
  EXPECT_DOUBLE_EQ(model.index(4, 1).data(Qt::UserRole).toDouble(), hash.writeBalance());
  EXPECT_DOUBLE_EQ(model.index(4, 2).data(Qt::UserRole).toDouble(), range.writeBalance());
  EXPECT_DOUBLE_EQ(model.index(4, 3).data(Qt::UserRole).toDouble(), results::balance_score(testing::as_doubles(hash_rows)));
  EXPECT_FALSE(model.index(4, 4).data(Qt::UserRole).isValid());
  EXPECT_FALSE(model.resultRows(1, 0).has_value());
  EXPECT_FALSE(model.writeShare(0, 4).has_value());  // no shard 4
}

// Per shard, the writes the client counted (stats.json "shards": POST/PUT/PATCH/DELETE
// endpoints), read straight from the file.
std::vector<double> writes_per_shard(const QString& run_dir) {
  std::vector<double> writes;
  const auto stats = testing::read_json(run_dir + QStringLiteral("/stats.json"));
  for (const auto& s : stats["shards"]) {
    const auto k = s["shard"].get<std::size_t>();
    if (writes.size() <= k) writes.resize(k + 1);
    const auto method = s["method"].get<std::string>();
    if (method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE") {
      writes[k] += s["count"].get<double>();
    }
  }
  return writes;
}

// The Balance row scores each column on its own: write shares from the client's counts,
// rows from server.json. In the lab each write (a coupon grab) adds one coupon_results row
// to a store that started empty, so a run's rows per shard equal its writes per shard and
// both columns score the same (hash: 65.7 twice) — not a copy of one column into the other.
TEST(ShardCompareModel, BalanceRowScoresEachColumnFromTheFiles) {
  CompareModel compare;
  compare.setRuns({load(testing::lab_run("hash")), load(testing::lab_run("range")), load(testing::lab_run("time"))});
  ShardCompareModel model;
  model.setRuns(compare.runs(), compare.names());
  ASSERT_EQ(model.runCount(), 3);
  const int balance = model.shardCount();
  const char* strategies[] = {"hash", "range", "time"};
  for (int run = 0; run < 3; ++run) {
    const QString dir = testing::lab_run(strategies[run]);
    const std::vector<double> writes = writes_per_shard(dir);
    const std::vector<double> rows = testing::as_doubles(testing::server_rows(dir));
    ASSERT_EQ(writes.size(), 4u) << strategies[run];
    EXPECT_EQ(rows, writes) << strategies[run];
    const QModelIndex share_cell = model.index(balance, 1 + run);
    const QModelIndex rows_cell = model.index(balance, 1 + 3 + run);
    EXPECT_DOUBLE_EQ(share_cell.data(Qt::UserRole).toDouble(), results::balance_score(writes)) << strategies[run];
    EXPECT_DOUBLE_EQ(rows_cell.data(Qt::UserRole).toDouble(), results::balance_score(rows)) << strategies[run];
    EXPECT_EQ(share_cell.data().toString(), QString::number(results::balance_score(writes), 'f', 1));
    EXPECT_TRUE(share_cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("writes per shard")));
    EXPECT_TRUE(rows_cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("server.json")));
  }
  EXPECT_EQ(model.index(balance, 1).data().toString(), QStringLiteral("65.7"));  // hash, as in the screenshot
  EXPECT_EQ(model.index(balance, 3).data().toString(), QStringLiteral("0.0"));   // time: one shard takes all
  // What the row means is on the row itself and on the headers.
  const QString meaning = model.index(balance, 0).data(Qt::ToolTipRole).toString();
  EXPECT_TRUE(meaning.contains(QStringLiteral("stddev / mean")) && meaning.contains(QStringLiteral("100 =")))
      << meaning.toStdString();
  EXPECT_TRUE(model.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("Balance")));
  EXPECT_TRUE(model.headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("write")));
  EXPECT_TRUE(model.headerData(4, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("server.json")));
}

TEST(ShardCompareModel, RunsWithoutShardDataGiveAnEmptyTable) {
  ShardCompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/no-shards");
  ASSERT_TRUE(testing::copy_run_without_shards(testing::live_run(), dir));
  model.setRuns({load(dir), load(testing::corrupt_run())}, {});
  EXPECT_EQ(model.runCount(), 1);  // the corrupt one is skipped
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.columnCount(), 0);
  EXPECT_FALSE(model.anyServerReport());
}

}  // namespace
}  // namespace stampede::gui
