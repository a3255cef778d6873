// An open-model run (docs/open-model.md) in the models: its service time beside the latency
// from the intended start, its dropped arrivals, and what the run summary says. Expected
// numbers come from the open-model folder (fixtures.h: open_run), read back with the results reader or as JSON.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QLocale>
#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gui/model/compare_model.h"
#include "gui/model/endpoint_table_model.h"
#include "gui/model/run_summary.h"
#include "gui/tests/fixtures.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

using testing::hash_run;
using testing::open_run;

std::shared_ptr<const RunModel> load(const QString& dir) {
  return std::make_shared<const RunModel>(RunModel::load(dir));
}

nlohmann::json read_json(const QString& path) {
  QFile f(path);
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
  return nlohmann::json::parse(f.readAll().toStdString());
}

std::uint64_t dropped_of(const nlohmann::json& row) { return row.value("dropped", std::uint64_t{0}); }

TEST(OpenModel, RunModelHasTheServiceTimeAndTheDroppedArrivals) {
  const auto open = load(open_run());
  ASSERT_TRUE(open->ok()) << open->error().toStdString();
  EXPECT_TRUE(open->open_model());
  EXPECT_FALSE(load(hash_run())->open_model());
  const auto direct = results::read_result_folder(open_run().toStdString());
  ASSERT_TRUE(direct.info.open_model.has_value()) << "run.json open_model";
  EXPECT_GT(direct.aggregated.service.count(), 0u);
  EXPECT_EQ(open->service_histogram().count(), direct.aggregated.service.count());
  const QString first = open->endpoint_keys().front();
  EXPECT_EQ(open->service_histogram(first).count(), direct.endpoints.front().service.count());
  // Each request waits from its intended start at least as long as from its send.
  EXPECT_GE(open->latency_histogram().max(), open->service_histogram().max());

  const SeriesData service = open->service_series(95);
  EXPECT_EQ(service.name, QStringLiteral("p95 service"));
  int with_service = 0;
  const results::HistoryPoint* first_busy = nullptr;
  for (const auto& p : direct.history) {
    if (p.total().service.empty()) continue;
    ++with_service;
    if (!first_busy) first_busy = &p;
  }
  ASSERT_NE(first_busy, nullptr);
  EXPECT_EQ(service.points.size(), with_service);
  EXPECT_DOUBLE_EQ(service.points.front().y(), first_busy->total().service.value_at_percentile(95) / 1000.0);
  EXPECT_TRUE(load(hash_run())->service_series(95).points.isEmpty()) << "the closed model records no service time";

  // dropped/s, interval by interval, sums back to the history's drops.
  const SeriesData dropped = open->dropped_series();
  ASSERT_EQ(dropped.points.size(), static_cast<qsizetype>(direct.history.size()));
  double from_series = 0;
  std::uint64_t from_history = 0;
  for (std::size_t i = 0; i < direct.history.size(); ++i) {
    from_series += dropped.points[static_cast<qsizetype>(i)].y() * direct.history[i].interval_s;
    from_history += direct.history[i].total().dropped;
  }
  EXPECT_GT(from_history, 0u) << "the fixture's run drops arrivals";
  EXPECT_NEAR(from_series, static_cast<double>(from_history), 1e-6);
}

TEST(OpenModel, EndpointTableShowsDroppedAndServiceColumnsAsTheEngineWroteThem) {
  EndpointTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(load(open_run()));
  const nlohmann::json stats = read_json(open_run() + QStringLiteral("/stats.json"));
  const auto& endpoints = stats["endpoints"];
  ASSERT_EQ(model.rowCount(), static_cast<int>(endpoints.size()) + 1);
  std::uint64_t dropped = 0;
  for (int row = 0; row < static_cast<int>(endpoints.size()); ++row) {
    const auto& e = endpoints[static_cast<std::size_t>(row)];
    const auto at = [&](int col) { return model.index(row, col).data(Qt::UserRole); };
    EXPECT_EQ(at(EndpointTableModel::Dropped).toULongLong(), dropped_of(e)) << e["name"];
    dropped += dropped_of(e);
    if (e["requests"].get<std::uint64_t>() == 0) continue;  // an endpoint with drops only
    ASSERT_TRUE(e.contains("service")) << e["name"];
    EXPECT_NEAR(at(EndpointTableModel::ServiceMedian).toDouble(), e["service"]["p50_ms"].get<double>(), 0.0011);
    EXPECT_NEAR(at(EndpointTableModel::ServiceP95).toDouble(), e["service"]["p95_ms"].get<double>(), 0.0011);
    EXPECT_NEAR(at(EndpointTableModel::ServiceP99).toDouble(), e["service"]["p99_ms"].get<double>(), 0.0011);
    EXPECT_NEAR(at(EndpointTableModel::Median).toDouble(), e["latency"]["p50_ms"].get<double>(), 0.0011);
  }
  const int agg = model.rowCount() - 1;
  EXPECT_EQ(model.index(agg, EndpointTableModel::Dropped).data(Qt::UserRole).toULongLong(), dropped_of(stats["aggregated"]));
  EXPECT_EQ(dropped_of(stats["aggregated"]), dropped);
  EXPECT_GT(dropped, 0u);
  // The headers say which columns are which.
  const auto tip = [&](int col) { return model.headerData(col, Qt::Horizontal, Qt::ToolTipRole).toString(); };
  EXPECT_TRUE(tip(EndpointTableModel::P95).contains(QStringLiteral("intended start")));
  EXPECT_TRUE(tip(EndpointTableModel::ServiceP95).contains(QStringLiteral("Service time")));
  // Two lines ("Service" over the figure) keep the column narrow.
  EXPECT_EQ(model.headerData(EndpointTableModel::ServiceP95, Qt::Horizontal).toString(),
            QStringLiteral("Service\n95%ile (ms)"));
  model.setRun(load(hash_run()));
  EXPECT_FALSE(tip(EndpointTableModel::P95).contains(QStringLiteral("intended start")));
  for (int col = 0; col < EndpointTableModel::ColumnCount; ++col) {
    const bool open_only = col == EndpointTableModel::Dropped || col == EndpointTableModel::ServiceMedian ||
                           col == EndpointTableModel::ServiceP95 || col == EndpointTableModel::ServiceP99;
    EXPECT_EQ(EndpointTableModel::isOpenModelColumn(col), open_only) << col;
  }
}

TEST(OpenModel, CompareAddsDroppedAndServiceRowsWhenARunUsedTheOpenModel) {
  CompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const auto open = load(open_run());
  model.setRuns({open, load(hash_run())});
  ASSERT_TRUE(model.anyOpenModel());
  ASSERT_FALSE(model.anyExchange()) << "neither run recorded connections or time to first byte";
  ASSERT_EQ(model.rowCount(), CompareModel::Average + 1 + 4) << "dropped and three service rows";
  const auto row_named = [&](const QString& label) {
    for (int r = 0; r < model.rowCount(); ++r) {
      if (model.index(r, 0).data().toString() == label) return r;
    }
    return -1;
  };
  const int dropped = row_named(QStringLiteral("Dropped"));
  const int service_p95 = row_named(QStringLiteral("p95 service (ms)"));
  ASSERT_GE(dropped, 0);
  ASSERT_GE(service_p95, 0);
  EXPECT_GE(row_named(QStringLiteral("p95 latency (ms)")), 0) << "latency rows say what they are";
  EXPECT_EQ(row_named(QStringLiteral("p95 (ms)")), -1);
  EXPECT_DOUBLE_EQ(model.index(dropped, 1).data(Qt::UserRole).toDouble(),
                   static_cast<double>(open->result().aggregated.dropped));
  EXPECT_DOUBLE_EQ(model.index(service_p95, 1).data(Qt::UserRole).toDouble(),
                   open->result().aggregated.service.value_at_percentile(95) / 1000.0);
  // The closed-model run has neither: a dash, not a 0.
  EXPECT_EQ(model.index(dropped, 2).data().toString(), QStringLiteral("—"));
  EXPECT_EQ(model.index(service_p95, 2).data().toString(), QStringLiteral("—"));
  EXPECT_TRUE(model.index(service_p95, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("actual send")));
  model.setRuns({load(hash_run()), load(testing::range_run())});
  EXPECT_FALSE(model.anyOpenModel());
  EXPECT_EQ(model.rowCount(), CompareModel::Average + 1);
}

TEST(OpenModel, RunSummaryGivesTheScheduleWhatBecameOfItAndTheLag) {
  const auto open = load(open_run());
  const nlohmann::json run = read_json(open_run() + QStringLiteral("/run.json"));
  const auto& o = run["open_model"];
  const RunSummary summary = run_summary(*open);
  const std::string text = summary.text.toStdString();
  EXPECT_NE(text.find("Open model: "), std::string::npos) << text;
  EXPECT_NE(text.find(QLocale::c().toString(o["arrival_rate"].get<double>(), 'g', 6).toStdString() + " arrivals/s (" +
                      o["arrivals"].get<std::string>() + ")"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("at most " + QLocale::c().toString(o["max_users"].get<int>()).toStdString() + " users busy"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(QLocale::c().toString(o["iterations_started"].get<qulonglong>()).toStdString() +
                      " iterations started, " + QLocale::c().toString(o["dropped"].get<qulonglong>()).toStdString() +
                      " arrivals dropped"),
            std::string::npos)
      << text;
  EXPECT_EQ(summary.warning.isEmpty(), o["late_arrivals"].get<std::uint64_t>() == 0) << summary.warning.toStdString();
  EXPECT_TRUE(run_summary(*load(hash_run())).text.isEmpty()) << "a closed-model run has no summary";
  EXPECT_TRUE(run_summary(*load(hash_run())).warning.isEmpty());

  // A generator that fell behind is warned about, with the engine's figures.
  results::RunResult late = open->result();
  late.info.open_model->late_arrivals = 3;
  late.info.open_model->max_schedule_lag_ms = 25.5;
  late.info.open_model->total_schedule_lag_ms = 61;
  const QString warning = run_summary(RunModel::from_result(open->dir(), late)).warning;
  EXPECT_TRUE(warning.contains(QStringLiteral("3 arrivals were started more than 10 ms late"))) << warning.toStdString();
  EXPECT_TRUE(warning.contains(QStringLiteral("at most 25.5 ms, 61 ms in all"))) << warning.toStdString();
  // A run still written has no counts in run.json yet: the drops so far, from its history.
  results::RunResult running = open->result();
  running.info.open_model->iterations_started = 0;
  running.info.open_model->dropped = 0;
  std::uint64_t so_far = 0;
  for (const auto& p : running.history) so_far += p.total().dropped;
  const QString text_so_far = run_summary(RunModel::from_result(open->dir(), running)).text;
  EXPECT_TRUE(text_so_far.contains(QLocale::c().toString(static_cast<qulonglong>(so_far)) +
                                   QStringLiteral(" arrivals dropped so far")))
      << text_so_far.toStdString();
}

}  // namespace
}  // namespace stampede::gui
