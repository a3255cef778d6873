#include "gui/model/shard_compare_model.h"

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "gui/model/compare_model.h"
#include "gui/tests/lab_fixture.h"

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
  EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("hash write share"));
  EXPECT_EQ(model.headerData(4, Qt::Horizontal).toString(), QStringLiteral("coupon-range rows"));
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
  EXPECT_DOUBLE_EQ(model.index(4, 3).data(Qt::UserRole).toDouble(), balance_score(testing::as_doubles(hash_rows)));
  EXPECT_FALSE(model.index(4, 4).data(Qt::UserRole).isValid());
  EXPECT_FALSE(model.resultRows(1, 0).has_value());
  EXPECT_FALSE(model.writeShare(0, 4).has_value());  // no shard 4
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
