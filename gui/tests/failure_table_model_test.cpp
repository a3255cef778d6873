#include "gui/model/failure_table_model.h"

#include <QAbstractItemModelTester>
#include <gtest/gtest.h>

#include "gui/tests/fixtures.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

// What the results reader makes of the folder's stats.json, read apart from the model.
results::RunResult read(const QString& dir) { return results::read_result_folder(dir.toStdString()); }

std::shared_ptr<const RunModel> load(const QString& dir) {
  return std::make_shared<const RunModel>(RunModel::load(dir));
}

TEST(FailureTableModel, RowsAreTheFailuresOfStatsJsonInItsOrder) {
  FailureTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(load(testing::overload_run()));
  const results::RunResult expected = read(testing::overload_run());
  ASSERT_GE(expected.failures.size(), 2u);  // the fixture's 503s, on several endpoints
  ASSERT_EQ(model.rowCount(), static_cast<int>(expected.failures.size()));
  ASSERT_EQ(model.columnCount(), 4);
  EXPECT_EQ(model.headerData(FailureTableModel::Method, Qt::Horizontal).toString(), QStringLiteral("Method"));
  EXPECT_EQ(model.headerData(FailureTableModel::Occurrences, Qt::Horizontal).toString(), QStringLiteral("Occurrences"));
  std::uint64_t total = 0;
  for (int row = 0; row < model.rowCount(); ++row) {
    const results::FailureStats& f = expected.failures[static_cast<std::size_t>(row)];
    const auto at = [&](int col, int role = Qt::DisplayRole) { return model.index(row, col).data(role); };
    EXPECT_EQ(at(FailureTableModel::Method).toString().toStdString(), f.method) << row;
    EXPECT_EQ(at(FailureTableModel::Name).toString().toStdString(), f.name) << row;
    EXPECT_EQ(at(FailureTableModel::Error).toString().toStdString(), f.error) << row;
    EXPECT_EQ(at(FailureTableModel::Error, Qt::ToolTipRole).toString().toStdString(), f.error) << row;
    EXPECT_EQ(at(FailureTableModel::Occurrences, Qt::UserRole).toULongLong(), f.occurrences) << row;
    EXPECT_EQ(at(FailureTableModel::Occurrences).toString(), QString::number(f.occurrences)) << row;
    total += f.occurrences;
  }
  EXPECT_EQ(model.totalOccurrences(), total);
  // Every failed request of the run has its row (the engine counts each once).
  EXPECT_EQ(model.totalOccurrences(), expected.aggregated.failures);
}

TEST(FailureTableModel, ARunWithoutFailuresOrThatDidNotReadHasNoRows) {
  FailureTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(load(testing::overload_run()));
  ASSERT_GT(model.rowCount(), 0);
  ASSERT_TRUE(read(testing::hash_run()).failures.empty());
  model.setRun(load(testing::hash_run()));
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.totalOccurrences(), 0u);
  model.setRun(load(testing::overload_run()));
  model.setRun(load(testing::corrupt_run()));
  EXPECT_EQ(model.rowCount(), 0);
  model.setRun(load(testing::overload_run()));
  model.setRun(nullptr);
  EXPECT_EQ(model.rowCount(), 0);
}

TEST(FailureTableModel, SortsByOccurrencesAndBackToTheFileOrder) {
  FailureTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(load(testing::overload_run()));
  const results::RunResult expected = read(testing::overload_run());
  const int rows = model.rowCount();
  ASSERT_GE(rows, 3);
  const auto occurrences = [&](int row) {
    return model.index(row, FailureTableModel::Occurrences).data(Qt::UserRole).toULongLong();
  };
  ASSERT_NE(occurrences(0), occurrences(rows - 1));  // else no order could be seen
  QPersistentModelIndex most = model.index(0, FailureTableModel::Name);
  model.sort(FailureTableModel::Occurrences, Qt::AscendingOrder);
  for (int row = 1; row < rows; ++row) EXPECT_LE(occurrences(row - 1), occurrences(row)) << row;
  EXPECT_LT(occurrences(0), occurrences(rows - 1));
  EXPECT_EQ(most.row(), rows - 1);  // persistent indexes follow their row
  EXPECT_EQ(most.data().toString().toStdString(), expected.failures.front().name);

  model.sort(FailureTableModel::Occurrences, Qt::DescendingOrder);
  for (int row = 1; row < rows; ++row) EXPECT_GE(occurrences(row - 1), occurrences(row)) << row;

  // The order asked for holds for a run set later (a followed run re-read).
  model.sort(FailureTableModel::Name, Qt::AscendingOrder);
  model.setRun(load(testing::overload_run()));
  for (int row = 1; row < rows; ++row)
    EXPECT_LE(model.index(row - 1, FailureTableModel::Name).data().toString(),
              model.index(row, FailureTableModel::Name).data().toString())
        << row;

  // A cleared sort indicator: stats.json's order again.
  model.sort(-1, Qt::AscendingOrder);
  for (int row = 0; row < rows; ++row) {
    EXPECT_EQ(model.index(row, FailureTableModel::Name).data().toString().toStdString(),
              expected.failures[static_cast<std::size_t>(row)].name) << row;
    EXPECT_EQ(occurrences(row), expected.failures[static_cast<std::size_t>(row)].occurrences) << row;
  }
}

}  // namespace
}  // namespace stampede::gui
