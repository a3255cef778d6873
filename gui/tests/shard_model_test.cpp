#include "gui/model/shard_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>

#include "gui/tests/lab_fixture.h"

namespace stampede::gui {
namespace {

TEST(ShardModel, SharesAndMatrixMatchStatsJson) {
  ShardModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::hash_run())));

  QFile f(testing::hash_run() + QStringLiteral("/stats.json"));
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const auto stats = nlohmann::json::parse(f.readAll().toStdString());
  std::map<int, std::uint64_t> count, writes;
  std::uint64_t total = 0, total_writes = 0;
  for (const auto& s : stats["shards"]) {
    const int shard = s["shard"].get<int>();
    const auto n = s["count"].get<std::uint64_t>();
    count[shard] += n;
    total += n;
    if (s["method"] != "GET") {
      writes[shard] += n;
      total_writes += n;
    }
  }
  ASSERT_EQ(model.rowCount(), static_cast<int>(count.size()));
  ASSERT_GT(total_writes, 0u);
  double share_sum = 0;
  for (int row = 0; row < model.rowCount(); ++row) {
    const int shard = model.index(row, ShardModel::Shard).data().toInt();
    EXPECT_EQ(model.index(row, ShardModel::Requests).data().toULongLong(), count[shard]);
    EXPECT_EQ(model.index(row, ShardModel::Writes).data().toULongLong(), writes[shard]);
    EXPECT_DOUBLE_EQ(model.requestShare(row), static_cast<double>(count[shard]) / static_cast<double>(total));
    EXPECT_DOUBLE_EQ(model.writeShare(row), static_cast<double>(writes[shard]) / static_cast<double>(total_writes));
    share_sum += model.requestShare(row);
    EXPECT_FALSE(model.index(row, ShardModel::Endpoints).data().toString().isEmpty());
  }
  EXPECT_NEAR(share_sum, 1.0, 1e-12);

  // Each matrix cell is the derived p95 the engine wrote for that (shard, endpoint).
  const ShardMatrix m = model.matrix();
  ASSERT_EQ(m.shards.size(), model.rowCount());
  int filled = 0;
  for (const auto& s : stats["shards"]) {
    const int r = static_cast<int>(m.shards.indexOf(s["shard"].get<int>()));
    const int c = static_cast<int>(m.endpoints.indexOf(QString::fromStdString(
        s["method"].get<std::string>() + " " + s["name"].get<std::string>())));
    ASSERT_GE(r, 0);
    ASSERT_GE(c, 0);
    EXPECT_NEAR(m.p95_ms[r][c], s["shard_time"]["p95_ms"].get<double>(), 0.0011);
    ++filled;
  }
  int non_nan = 0;
  for (const auto& row : m.p95_ms) {
    for (double v : row) non_nan += std::isnan(v) ? 0 : 1;
  }
  EXPECT_EQ(non_nan, filled);
  EXPECT_LT(filled, m.shards.size() * m.endpoints.size());  // some endpoints skip some shards
}

TEST(ShardModel, ServerColumnsFromServerJsonAndNoZerosWithoutIt) {
  const auto rows_on_server = testing::server_rows(testing::lab_run("hash"));
  ASSERT_EQ(rows_on_server.size(), 4u);
  double total_rows = 0;
  for (auto v : rows_on_server) total_rows += static_cast<double>(v);
  ShardModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::lab_run("hash"))));
  ASSERT_TRUE(model.hasServerReport());
  ASSERT_EQ(model.rowCount(), 4);
  for (int row = 0; row < 4; ++row) {
    EXPECT_EQ(model.index(row, ShardModel::ResultRows).data(Qt::UserRole).toULongLong(), rows_on_server[row]);
    EXPECT_GT(model.index(row, ShardModel::StoreQueries).data().toULongLong(), 0u);
    EXPECT_DOUBLE_EQ(model.index(row, ShardModel::RowShare).data(Qt::UserRole).toDouble(),
                     static_cast<double>(rows_on_server[row]) / total_rows);
  }
  // The endpoints that touched a shard: joined in the cell, one per line in the tooltip.
  const QString tip = model.index(0, ShardModel::Endpoints).data(Qt::ToolTipRole).toString();
  EXPECT_TRUE(tip.contains(QStringLiteral("POST /api/coupon/grab")));
  EXPECT_EQ(tip.split(QLatin1Char('\n')).size(), model.shardRows()[0].endpoints.size());

  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::hash_run())));
  ASSERT_FALSE(model.hasServerReport());
  ASSERT_EQ(model.rowCount(), 4);
  const QModelIndex rows = model.index(1, ShardModel::ResultRows);
  EXPECT_EQ(rows.data().toString(), QStringLiteral("—"));
  EXPECT_FALSE(rows.data(Qt::UserRole).isValid());  // no value, not 0
  EXPECT_TRUE(rows.data(Qt::ToolTipRole).toString().contains(QStringLiteral("stampede lab")));
  EXPECT_GT(model.index(1, ShardModel::Requests).data().toULongLong(), 0u);  // client side still there
}

TEST(ShardModel, RunWithoutShardDataHasNoRows) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/no-shards");
  ASSERT_TRUE(testing::copy_run_without_shards(testing::hash_run(), dir));
  ShardModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const auto run = std::make_shared<const RunModel>(RunModel::load(dir));
  ASSERT_TRUE(run->ok()) << run->error().toStdString();
  model.setRun(run);
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_TRUE(model.matrix().shards.isEmpty());
  EXPECT_EQ(model.requestShare(0), 0.0);
}

// A run still being written has no stats.json: its shards are summed from history.jsonl.
TEST(ShardModel, LiveRunHasShardsFromItsHistory) {
  std::map<int, std::uint64_t> count;
  std::uint64_t total = 0;
  QFile f(testing::live_run() + QStringLiteral("/history.jsonl"));
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  for (const QByteArray& line : f.readAll().split('\n')) {
    if (line.isEmpty()) continue;
    const auto point = nlohmann::json::parse(line.toStdString());
    for (const auto& s : point["shards"]) {
      count[s["shard"].get<int>()] += s["count"].get<std::uint64_t>();
      total += s["count"].get<std::uint64_t>();
    }
  }
  ASSERT_GT(total, 0u);
  ShardModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::live_run())));
  ASSERT_EQ(model.rowCount(), static_cast<int>(count.size()));
  for (int row = 0; row < model.rowCount(); ++row) {
    const int shard = model.index(row, ShardModel::Shard).data().toInt();
    EXPECT_EQ(model.index(row, ShardModel::Requests).data().toULongLong(), count[shard]);
    EXPECT_NEAR(model.requestShare(row), static_cast<double>(count[shard]) / static_cast<double>(total), 1e-12);
  }
  EXPECT_FALSE(model.matrix().shards.isEmpty());
}

}  // namespace
}  // namespace stampede::gui
