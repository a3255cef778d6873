#include "gui/model/endpoint_table_model.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gui/tests/fixtures.h"

namespace stampede::gui {
namespace {

nlohmann::json read_stats(const QString& dir) {
  QFile f(dir + QStringLiteral("/stats.json"));
  EXPECT_TRUE(f.open(QIODevice::ReadOnly));
  return nlohmann::json::parse(f.readAll().toStdString());
}

TEST(EndpointTableModel, RowsMatchTheDerivedFiguresTheEngineWrote) {
  EndpointTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  auto run = std::make_shared<const RunModel>(RunModel::load(testing::hash_run()));
  ASSERT_TRUE(run->ok());
  model.setRun(run);
  const nlohmann::json stats = read_stats(testing::hash_run());
  const auto& endpoints = stats["endpoints"];
  ASSERT_EQ(model.rowCount(), static_cast<int>(endpoints.size()) + 1);
  for (int row = 0; row < static_cast<int>(endpoints.size()); ++row) {
    const auto& e = endpoints[row];
    const auto at = [&](int col) { return model.index(row, col).data(Qt::UserRole); };
    EXPECT_EQ(at(EndpointTableModel::Name).toString().toStdString(), e["name"].get<std::string>());
    EXPECT_EQ(at(EndpointTableModel::Requests).toULongLong(), e["requests"].get<std::uint64_t>());
    EXPECT_NEAR(at(EndpointTableModel::Median).toDouble(), e["latency"]["p50_ms"].get<double>(), 0.0011);
    EXPECT_NEAR(at(EndpointTableModel::P95).toDouble(), e["latency"]["p95_ms"].get<double>(), 0.0011);
    EXPECT_NEAR(at(EndpointTableModel::Max).toDouble(), e["latency"]["max_ms"].get<double>(), 0.0011);
    EXPECT_NEAR(at(EndpointTableModel::Rps).toDouble(), e["rps"].get<double>(), 1e-6);
  }
  const int agg = model.rowCount() - 1;
  EXPECT_EQ(model.index(agg, EndpointTableModel::Name).data().toString(), QStringLiteral("Aggregated"));
  EXPECT_EQ(model.index(agg, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong(),
            stats["aggregated"]["requests"].get<std::uint64_t>());
  EXPECT_EQ(model.endpointKey(agg), QString());
  EXPECT_EQ(model.endpointKey(0), QString::fromStdString(endpoints[0]["method"].get<std::string>() + " " +
                                                         endpoints[0]["name"].get<std::string>()));
}

TEST(EndpointTableModel, SortKeepsTheAggregateLast) {
  EndpointTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::hash_run())));
  const int last = model.rowCount() - 1;
  QPersistentModelIndex agg = model.index(last, 0);
  model.sort(EndpointTableModel::Requests, Qt::DescendingOrder);
  for (int row = 1; row < last; ++row) {
    EXPECT_GE(model.index(row - 1, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong(),
              model.index(row, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong());
  }
  EXPECT_EQ(model.index(last, EndpointTableModel::Name).data().toString(), QStringLiteral("Aggregated"));
  EXPECT_EQ(agg.row(), last);
  model.sort(EndpointTableModel::P99, Qt::AscendingOrder);
  for (int row = 1; row < last; ++row) {
    EXPECT_LE(model.index(row - 1, EndpointTableModel::P99).data(Qt::UserRole).toDouble(),
              model.index(row, EndpointTableModel::P99).data(Qt::UserRole).toDouble());
  }
}

TEST(EndpointTableModel, ANewRunKeepsTheOrderTheUserAskedFor) {
  EndpointTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::hash_run())));
  model.sort(EndpointTableModel::Requests, Qt::DescendingOrder);
  // Another run (or the same folder re-read while it is followed): still by requests, descending.
  for (const QString& dir : {testing::range_run(), testing::hash_run()}) {
    model.setRun(std::make_shared<const RunModel>(RunModel::load(dir)));
    const int last = model.rowCount() - 1;
    ASSERT_GT(last, 2);
    for (int row = 1; row < last; ++row)
      EXPECT_GE(model.index(row - 1, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong(),
                model.index(row, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong())
          << "row " << row;
    EXPECT_EQ(model.index(last, EndpointTableModel::Name).data().toString(), QStringLiteral("Aggregated"));
  }
}

TEST(EndpointTableModel, FailedRunHasNoRows) {
  EndpointTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(std::make_shared<const RunModel>(RunModel::load(testing::corrupt_run())));
  EXPECT_EQ(model.rowCount(), 0);
  model.setRun(nullptr);
  EXPECT_EQ(model.rowCount(), 0);
}

}  // namespace
}  // namespace stampede::gui
