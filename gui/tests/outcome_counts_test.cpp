// The outcomes that are neither successes nor failures, in the GUI: answers HTTP 429 (rate
// limited), requests/tasks a scenario's `when` skipped and Set-Cookie headers the cookie jars
// ignored (results' EndpointStats::rate_limited, skipped, invalid_cookies). The endpoint
// table's # 429 / # Skipped / Invalid cookies columns (shown only when the run has some), the
// Overview's line and Compare's rows (0 for a run without them, left out when no run has
// them). The run is the real run-hash with the counts added, written as a result folder
// (ResultWriter) and read back as the GUI reads any folder.
#include <QAbstractItemModelTester>
#include <QLocale>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include <algorithm>

#include "gui/model/compare_model.h"
#include "gui/model/run_summary.h"
#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

// run-hash with, on its busiest endpoint, a fifth of the successful requests answered 429;
// on another, 7 skipped requests; on a third, 3 invalid cookies. The aggregate holds the
// totals, as the engine writes it.
results::RunResult with_outcomes(const QString& dir) {
  results::RunResult r = results::read_result_folder(hash_run().toStdString());
  EXPECT_GE(r.endpoints.size(), 3u);
  std::sort(r.endpoints.begin(), r.endpoints.end(),
            [](const auto& a, const auto& b) { return a.requests - a.failures > b.requests - b.failures; });
  results::EndpointStats& limited = r.endpoints[0];
  limited.rate_limited = (limited.requests - limited.failures) / 5;
  EXPECT_GT(limited.rate_limited, 0u);
  r.endpoints[1].skipped = 7;
  r.endpoints[2].invalid_cookies = 3;
  r.aggregated.rate_limited = limited.rate_limited;
  r.aggregated.skipped = 7;
  r.aggregated.invalid_cookies = 3;
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(r.info);
  writer.write_scenario(r.scenario);
  for (const auto& p : r.history) writer.append_history(p);
  writer.finish(r);
  return r;
}

class OutcomeCounts : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.isValid());
    written_ = with_outcomes(tmp_.path() + QStringLiteral("/run"));
    run_ = load(tmp_.path() + QStringLiteral("/run"));
    ASSERT_TRUE(run_->ok()) << run_->error().toStdString();
  }
  QTemporaryDir tmp_;
  results::RunResult written_;
  std::shared_ptr<const RunModel> run_;
};

TEST_F(OutcomeCounts, EndpointTableShowsTheCountsOnlyWhenTheRunHasThem) {
  EndpointsPage page;
  show_run(page, 1400, 900, run_);
  QApplication::processEvents();
  const EndpointTableModel* model = page.model();
  using M = EndpointTableModel;
  for (int column : {int(M::RateLimited), int(M::Skipped), int(M::InvalidCookies)}) {
    EXPECT_TRUE(model->columnShown(column)) << column;
    EXPECT_FALSE(page.table()->isColumnHidden(column)) << column;
  }
  const int last = model->rowCount() - 1;
  ASSERT_EQ(last, static_cast<int>(written_.endpoints.size()));
  for (int row = 0; row < last; ++row) {
    // The writer keeps its own order: rows are matched by endpoint.
    const auto it = std::find_if(written_.endpoints.begin(), written_.endpoints.end(), [&](const auto& w) {
      return RunModel::endpoint_key(w.method, w.name) == model->endpointKey(row);
    });
    ASSERT_NE(it, written_.endpoints.end()) << row;
    const results::EndpointStats& e = *it;
    EXPECT_EQ(model->index(row, M::RateLimited).data(Qt::UserRole).toULongLong(), e.rate_limited) << row;
    EXPECT_EQ(model->index(row, M::Skipped).data(Qt::UserRole).toULongLong(), e.skipped) << row;
    EXPECT_EQ(model->index(row, M::InvalidCookies).data(Qt::UserRole).toULongLong(), e.invalid_cookies) << row;
    EXPECT_EQ(model->index(row, M::Fails).data(Qt::UserRole).toULongLong(), e.failures) << "429s are not failures";
  }
  EXPECT_EQ(model->index(last, M::RateLimited).data(Qt::UserRole).toULongLong(), written_.aggregated.rate_limited);
  EXPECT_EQ(model->index(last, M::Skipped).data().toULongLong(), 7u);
  EXPECT_TRUE(model->headerData(M::RateLimited, Qt::Horizontal, Qt::ToolTipRole).toString().contains(
      QStringLiteral("429")));

  // run-hash has none of them: the columns go.
  page.setRun(load(hash_run()));
  QApplication::processEvents();
  for (int column : {int(M::RateLimited), int(M::Skipped), int(M::InvalidCookies)})
    EXPECT_TRUE(page.table()->isColumnHidden(column)) << column;
}

TEST_F(OutcomeCounts, OverviewSaysHowManyAndCompareHasRows) {
  const RunSummary summary = run_summary(*run_);
  const std::uint64_t limited = written_.aggregated.rate_limited;
  EXPECT_TRUE(summary.text.contains(QStringLiteral("HTTP 429 (rate limited, not failures): %1 of ")
                                        .arg(QLocale::c().toString(static_cast<qulonglong>(limited)))))
      << summary.text.toStdString();
  EXPECT_TRUE(summary.text.contains(QStringLiteral("skipped by `when`: 7")));
  EXPECT_TRUE(summary.text.contains(QStringLiteral("invalid cookies ignored: 3")));
  EXPECT_TRUE(run_summary(*load(hash_run())).text.isEmpty()) << "a closed-model run without them: no line";

  CompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRuns({load(hash_run()), run_});
  for (CompareModel::Row row : {CompareModel::RateLimited, CompareModel::RateLimitedRatio, CompareModel::Skipped,
                                CompareModel::InvalidCookies})
    EXPECT_TRUE(model.metricRows().contains(row)) << row;
  const int row = static_cast<int>(model.metricRows().indexOf(CompareModel::RateLimited));
  EXPECT_EQ(model.index(row, 0).data().toString(), QStringLiteral("Rate limited (429)"));
  EXPECT_EQ(model.index(row, 1).data().toString(), QStringLiteral("0")) << "run-hash: none, a real 0";
  EXPECT_EQ(model.index(row, 2).data().toString(), QString::number(limited));
  EXPECT_DOUBLE_EQ(model.value(CompareModel::RateLimitedRatio, 1),
                   static_cast<double>(limited) / static_cast<double>(written_.aggregated.requests));
  EXPECT_DOUBLE_EQ(model.value(CompareModel::Skipped, 1), 7.0);
  EXPECT_DOUBLE_EQ(model.value(CompareModel::InvalidCookies, 1), 3.0);
  // The error rate is the failures' alone.
  EXPECT_DOUBLE_EQ(model.value(CompareModel::Failures, 1), static_cast<double>(written_.aggregated.failures));

  model.setRuns({load(hash_run()), load(range_run())});
  EXPECT_FALSE(model.metricRows().contains(CompareModel::RateLimited));
  EXPECT_TRUE(model.omitted().contains(CompareModel::RateLimited));
  EXPECT_TRUE(model.omittedRows().join(QLatin1Char('\n')).contains(QStringLiteral("429")));
}

// results' own folders of the new outcomes, against their stats.json read as plain JSON.
TEST(OutcomeCountsFixtures, EndpointTableAndCompareReadResultsFolders) {
  const auto limited = load(rate_limited_run());
  const auto real_app = load(real_app_run());
  ASSERT_TRUE(limited->ok()) << limited->error().toStdString();
  ASSERT_TRUE(real_app->ok()) << real_app->error().toStdString();
  using M = EndpointTableModel;
  const auto check = [](const QString& dir, const std::shared_ptr<const RunModel>& run) {
    const nlohmann::json stats = read_json(dir + QStringLiteral("/stats.json"));
    EndpointTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setRun(run);
    const auto& endpoints = stats["endpoints"];
    ASSERT_EQ(model.rowCount(), static_cast<int>(endpoints.size()) + 1);
    for (int row = 0; row <= static_cast<int>(endpoints.size()); ++row) {
      const auto& e = row < static_cast<int>(endpoints.size()) ? endpoints[static_cast<std::size_t>(row)]
                                                                 : stats["aggregated"];
      EXPECT_EQ(model.index(row, M::RateLimited).data(Qt::UserRole).toULongLong(), e.value("rate_limited", 0u));
      EXPECT_EQ(model.index(row, M::Skipped).data(Qt::UserRole).toULongLong(), e.value("skipped", 0u));
      EXPECT_EQ(model.index(row, M::InvalidCookies).data(Qt::UserRole).toULongLong(), e.value("invalid_cookies", 0u));
    }
    for (const char* key : {"rate_limited", "skipped", "invalid_cookies"}) {
      const int column = std::string(key) == "rate_limited" ? M::RateLimited
                         : std::string(key) == "skipped"    ? M::Skipped
                                                            : M::InvalidCookies;
      EXPECT_EQ(model.columnShown(column), stats["aggregated"].value(key, 0u) > 0) << key;
    }
  };
  check(rate_limited_run(), limited);
  check(real_app_run(), real_app);

  CompareModel compare;
  compare.setRuns({limited, real_app});
  const nlohmann::json a = read_json(rate_limited_run() + QStringLiteral("/stats.json"))["aggregated"];
  const nlohmann::json b = read_json(real_app_run() + QStringLiteral("/stats.json"))["aggregated"];
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::RateLimited, 0), a.value("rate_limited", 0.0));
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::RateLimited, 1), 0.0);
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::RateLimitedRatio, 0), a["rate_limited_ratio"].get<double>());
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::Skipped, 1), b.value("skipped", 0.0));
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::InvalidCookies, 1), b.value("invalid_cookies", 0.0));
  for (CompareModel::Row row : {CompareModel::RateLimited, CompareModel::RateLimitedRatio, CompareModel::Skipped,
                                CompareModel::InvalidCookies})
    EXPECT_TRUE(compare.metricRows().contains(row)) << row;
}

}  // namespace
}  // namespace stampede::gui
