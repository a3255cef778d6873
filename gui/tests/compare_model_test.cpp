#include "gui/model/compare_model.h"

#include <QAbstractItemModelTester>
#include <cmath>
#include <gtest/gtest.h>

#include "gui/tests/fixtures.h"

namespace stampede::gui {
namespace {

std::shared_ptr<const RunModel> load(const QString& dir) {
  return std::make_shared<const RunModel>(RunModel::load(dir));
}

TEST(CompareModel, DiffTableHasValuesAndRatios) {
  CompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const auto hash = load(testing::hash_run());
  const auto range = load(testing::range_run());
  model.setRuns({hash, range, load(testing::corrupt_run())});
  ASSERT_EQ(model.runs().size(), 2);
  ASSERT_EQ(model.skippedErrors().size(), 1);
  EXPECT_TRUE(model.skippedErrors().front().contains(QStringLiteral("stats.json")));

  ASSERT_EQ(model.columnCount(), 4);  // Metric | hash | range | range / hash
  ASSERT_EQ(model.rowCount(), CompareModel::Average + 1);  // no open-model rows: both runs are closed-model
  EXPECT_FALSE(model.anyOpenModel());
  EXPECT_EQ(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("coupon-hash"));
  EXPECT_EQ(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("coupon-range / coupon-hash"));

  const double hash_req = static_cast<double>(hash->result().aggregated.requests);
  const double range_req = static_cast<double>(range->result().aggregated.requests);
  EXPECT_DOUBLE_EQ(model.index(CompareModel::Requests, 1).data(Qt::UserRole).toDouble(), hash_req);
  EXPECT_DOUBLE_EQ(model.index(CompareModel::Requests, 2).data(Qt::UserRole).toDouble(), range_req);
  EXPECT_DOUBLE_EQ(model.index(CompareModel::Requests, 3).data(Qt::UserRole).toDouble(), range_req / hash_req);
  const double p95_hash = hash->result().aggregated.latency.value_at_percentile(95) / 1000.0;
  const double p95_range = range->result().aggregated.latency.value_at_percentile(95) / 1000.0;
  EXPECT_DOUBLE_EQ(model.value(CompareModel::P95, 0), p95_hash);
  EXPECT_DOUBLE_EQ(model.ratio(CompareModel::P95, 1), p95_range / p95_hash);
  EXPECT_TRUE(model.index(CompareModel::P95, 3).data().toString().endsWith(QStringLiteral("×")));
  // No failures in either run: the ratio is undefined and shown as a dash.
  EXPECT_TRUE(std::isnan(model.ratio(CompareModel::Failures, 1)));
  EXPECT_EQ(model.index(CompareModel::Failures, 3).data().toString(), QStringLiteral("—"));
}

TEST(CompareModel, SeriesOnePerRunAlignedOnElapsedTime) {
  CompareModel model;
  const auto hash = load(testing::hash_run());
  const auto range = load(testing::range_run());
  model.setRuns({hash, range});
  const QList<SeriesData> rps = model.series(CompareModel::Metric::Rps);
  ASSERT_EQ(rps.size(), 2);
  EXPECT_EQ(rps[0].name, QStringLiteral("coupon-hash"));
  EXPECT_EQ(rps[1].name, QStringLiteral("coupon-range"));
  EXPECT_EQ(rps[0].points.size(), static_cast<qsizetype>(hash->result().history.size()));
  EXPECT_EQ(rps[1].points.size(), static_cast<qsizetype>(range->result().history.size()));
  EXPECT_LT(rps[0].points.back().x(), 10.0);  // seconds since each run's start, not wall clock
  const QList<SeriesData> curves = model.percentileCurves();
  ASSERT_EQ(curves.size(), 2);
  EXPECT_EQ(curves[0].points, percentile_curve(hash->result().aggregated.latency, QStringLiteral("coupon-hash")).points);
  EXPECT_DOUBLE_EQ(curves[1].points.back().x(), static_cast<double>(range->result().aggregated.requests));
  EXPECT_NE(curves[0].points, curves[1].points);
}

TEST(CompareModel, NamesAreUniqueForLegends) {
  const auto hash = load(testing::hash_run());
  const auto with = [&](const std::string& label, const char* strategy) {
    results::RunResult r = hash->result();
    r.info.label = label;
    if (strategy) r.info.lab = results::LabRunInfo{.strategy = strategy};
    return std::make_shared<const RunModel>(RunModel::from_result(hash->dir(), std::move(r)));
  };
  CompareModel model;
  model.setRuns({with("coupon", "hash"), with("coupon", "range"), with("other", "time")});
  EXPECT_EQ(model.names(), (QStringList{"coupon [hash]", "coupon [range]", "other"}));
  EXPECT_EQ(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("coupon [range] / coupon [hash]"));
  EXPECT_EQ(model.series(CompareModel::Metric::P95)[1].name, QStringLiteral("coupon [range]"));
  model.setRuns({hash, hash, with("coupon-hash", nullptr)});
  EXPECT_EQ(model.names(), (QStringList{"coupon-hash", "coupon-hash (2)", "coupon-hash (3)"}));
  // A lab run without a label is named by its strategy.
  EXPECT_EQ(with("", "range")->display_name(), QStringLiteral("range"));
}

TEST(CompareModel, NoRunsNoTable) {
  CompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRuns({});
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.columnCount(), 0);
}

}  // namespace
}  // namespace stampede::gui
