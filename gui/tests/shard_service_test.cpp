// Per-shard latency and service time on the Shards page: what the client measured for the
// responses that named only one shard (stats.json shards' single_shard_latency and, in the
// open model, single_shard_service), in the table and the p95-per-shard chart, checked
// against the derived figures the engine wrote in stats.json.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest/QAbstractItemModelTester>
#include <gtest/gtest.h>

#include <map>

#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

// stats.json's derived p95 (ms) of `figure` per shard, from the shard's only endpoint with
// single-shard responses; shards with several such endpoints (whose merged p95 no derived
// figure states) are left out.
std::map<int, double> derived_p95(const QString& dir, const char* figure) {
  std::map<int, int> endpoints;
  QFile file(dir + QStringLiteral("/stats.json"));
  EXPECT_TRUE(file.open(QIODevice::ReadOnly)) << dir.toStdString();
  std::map<int, double> out;
  for (const QJsonValue& v : QJsonDocument::fromJson(file.readAll()).object()[QStringLiteral("shards")].toArray()) {
    const QJsonObject s = v.toObject();
    if (s[QStringLiteral("single_shard_requests")].toInteger() == 0) continue;
    const QJsonObject summary = s[QLatin1String(figure)].toObject();
    if (summary.isEmpty()) continue;
    const int shard = s[QStringLiteral("shard")].toInt();
    ++endpoints[shard];
    out[shard] = summary[QStringLiteral("p95_ms")].toDouble();
  }
  for (const auto& [shard, n] : endpoints)
    if (n > 1) out.erase(shard);
  return out;
}

TEST(ShardService, OpenModelTableHasEachShardsServiceAndLatency) {
  const auto run = load(open_run());
  ASSERT_TRUE(run->ok()) << run->error().toStdString();
  ASSERT_TRUE(run->open_model());
  ShardModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(run);
  const auto service = derived_p95(open_run(), "single_shard_service");
  const auto latency = derived_p95(open_run(), "single_shard_latency");
  ASSERT_EQ(service.size(), 4u);
  ASSERT_EQ(model.rowCount(), 4);
  for (int row = 0; row < model.rowCount(); ++row) {
    const int shard = model.index(row, ShardModel::Shard).data(Qt::UserRole).toInt();
    const double s = model.index(row, ShardModel::SingleServiceP95).data(Qt::UserRole).toDouble();
    const double l = model.index(row, ShardModel::SingleLatencyP95).data(Qt::UserRole).toDouble();
    EXPECT_NEAR(s, service.at(shard), 0.0011) << "shard " << shard;
    EXPECT_NEAR(l, latency.at(shard), 0.0011) << "shard " << shard;
    EXPECT_LE(s, l) << "the service time is part of the latency from the intended start";
    EXPECT_EQ(model.index(row, ShardModel::SingleServiceP95).data().toString(), QString::number(s, 'f', 2));
  }
  EXPECT_TRUE(model.headerData(ShardModel::SingleServiceP95, Qt::Horizontal, Qt::ToolTipRole)
                  .toString()
                  .contains(QStringLiteral("actual send")));
  EXPECT_TRUE(model.headerData(ShardModel::SingleLatencyP95, Qt::Horizontal, Qt::ToolTipRole)
                  .toString()
                  .contains(QStringLiteral("intended start")));
}

TEST(ShardService, ClosedModelHasLatencyAndNoServiceValues) {
  const auto run = load(hash_run());
  ShardModel model;
  model.setRun(run);
  const auto latency = derived_p95(hash_run(), "single_shard_latency");
  ASSERT_FALSE(latency.empty());
  for (int row = 0; row < model.rowCount(); ++row) {
    const int shard = model.index(row, ShardModel::Shard).data(Qt::UserRole).toInt();
    const QModelIndex service = model.index(row, ShardModel::SingleServiceP95);
    EXPECT_FALSE(service.data(Qt::UserRole).isValid()) << "closed model: no service time, never 0";
    EXPECT_EQ(service.data().toString(), QStringLiteral("—"));
    const auto it = latency.find(shard);
    if (it == latency.end()) continue;
    EXPECT_NEAR(model.index(row, ShardModel::SingleLatencyP95).data(Qt::UserRole).toDouble(), it->second, 0.0011);
  }
}

// Rendered: the open-model run's chart has the server's shard time, the service time and
// the latency per shard, its table the service column; the closed-model run has no service
// bars and its table hides the column.
TEST(ShardService, ShardsPageDrawsServiceTimePerShard) {
  ShardsPage page;
  show_run(page, 1300, 950, load(open_run()));
  QApplication::processEvents();
  ChartView* times = page.charts()[1];
  const QStringList open_sets{ShardsPage::shardTimeSetName(), ShardsPage::serviceSetName(),
                              ShardsPage::latencySetName(true)};
  EXPECT_EQ(times->seriesNames().size(), 1);  // one bar series...
  const auto service = derived_p95(open_run(), "single_shard_service");
  const QList<double> bars = times->barValues(ShardsPage::serviceSetName());
  ASSERT_EQ(bars.size(), 4);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(bars[k], service.at(k), 0.0011) << "shard " << k;
  EXPECT_EQ(times->barValues(ShardsPage::latencySetName(true)).size(), 4);
  QStringList drawn;
  for (const BarSetData& set : page.shardTimeSets(true)) drawn.append(set.name);
  EXPECT_EQ(drawn, open_sets);  // ...of three sets, server first
  EXPECT_FALSE(page.findChild<QTableView*>()->isColumnHidden(ShardModel::SingleServiceP95));
  expect_drawn(times, QStringLiteral("shards-open-times"), 4);

  page.setRun(load(hash_run()));
  QApplication::processEvents();
  EXPECT_TRUE(times->barValues(ShardsPage::serviceSetName()).isEmpty()) << "no service bars in the closed model";
  EXPECT_EQ(times->barValues(ShardsPage::latencySetName(false)).size(), 4);
  EXPECT_TRUE(page.findChild<QTableView*>()->isColumnHidden(ShardModel::SingleServiceP95));
  EXPECT_FALSE(page.findChild<QTableView*>()->isColumnHidden(ShardModel::SingleLatencyP95));
}

}  // namespace
}  // namespace stampede::gui
