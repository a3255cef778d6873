// The real open-model run (fixtures.h: real_open_run, made by `make_fixtures.sh <build>
// open`: 2000 arrivals/s, at most 2 users busy, one store worker) in the models and on the
// pages, rendered offscreen: its service time beside the latency from the intended start,
// its dropped arrivals, its schedule and the engine's lag warning — every expected number
// read from the folder itself (run.json, stats.json, the results reader).
#include <QAbstractItemModelTester>
#include <algorithm>
#include <QFile>
#include <QLocale>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gui/model/compare_model.h"
#include "gui/model/run_summary.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

nlohmann::json read_json(const QString& path) {
  QFile f(path);
  EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
  return nlohmann::json::parse(f.readAll().toStdString());
}

QString count(std::uint64_t n) { return QLocale::c().toString(static_cast<qulonglong>(n)); }

TEST(RealOpenRun, TheFolderIsARealOverloadedOpenModelRun) {
  const nlohmann::json run = read_json(real_open_run() + QStringLiteral("/run.json"));
  ASSERT_TRUE(run.contains("open_model")) << "made by an engine that writes open_model";
  const nlohmann::json& o = run["open_model"];
  EXPECT_EQ(run["status"], "complete");
  EXPECT_EQ(run["target_host"].get<std::string>().rfind("http://127.0.0.1:", 0), 0u) << "a local server";
  EXPECT_DOUBLE_EQ(o["arrival_rate"].get<double>(), 2000);
  EXPECT_EQ(o["max_users"], 2);
  // What makes it worth drawing: drops, late arrivals, a latency above the service time.
  EXPECT_GT(o["dropped"].get<std::uint64_t>(), 0u);
  EXPECT_GT(o["iterations_started"].get<std::uint64_t>(), 0u);
  EXPECT_GT(o["late_arrivals"].get<std::uint64_t>(), 0u);
  const auto loaded = load(real_open_run());
  ASSERT_TRUE(loaded->ok()) << loaded->error().toStdString();
  EXPECT_TRUE(loaded->open_model());
  EXPECT_GT(loaded->latency_histogram().value_at_percentile(99), loaded->service_histogram().value_at_percentile(99))
      << "arrivals waited for a free user: the latency from the intended start exceeds the service time";
}

TEST(RealOpenRun, ModelsHaveTheServiceTimeDropsAndSchedule) {
  const auto run = load(real_open_run());
  const results::RunResult direct = results::read_result_folder(real_open_run().toStdString());
  const results::OpenModelInfo& o = *direct.info.open_model;
  // Service time, per endpoint and over time, as the reader has it.
  EXPECT_EQ(run->service_histogram().count(), direct.aggregated.service.count());
  EXPECT_GT(run->service_histogram().count(), 0u);
  for (const auto& e : direct.endpoints)
    EXPECT_EQ(run->service_histogram(RunModel::endpoint_key(e.method, e.name)).count(), e.service.count()) << e.name;
  EXPECT_FALSE(run->service_series(95).points.isEmpty());
  // Dropped: per second, summing to the history's and (the engine's count) run.json's.
  const SeriesData dropped = run->dropped_series();
  double from_series = 0;
  for (qsizetype i = 0; i < dropped.points.size(); ++i)
    from_series += dropped.points[i].y() * direct.history[static_cast<std::size_t>(i)].interval_s;
  EXPECT_NEAR(from_series, static_cast<double>(direct.aggregated.dropped), 1e-6);
  EXPECT_EQ(direct.aggregated.dropped, o.dropped);
  // The endpoint table's # Dropped and Service columns.
  EndpointTableModel table;
  QAbstractItemModelTester tester(&table, QAbstractItemModelTester::FailureReportingMode::Fatal);
  table.setRun(run);
  std::uint64_t dropped_rows = 0;
  const int aggregate = table.rowCount() - 1;
  for (int row = 0; row < aggregate; ++row)
    dropped_rows += table.index(row, EndpointTableModel::Dropped).data(Qt::UserRole).toULongLong();
  EXPECT_EQ(dropped_rows, o.dropped);
  EXPECT_DOUBLE_EQ(table.index(aggregate, EndpointTableModel::ServiceP99).data(Qt::UserRole).toDouble(),
                   us_to_ms(direct.aggregated.service.value_at_percentile(99)));
  // The schedule and what became of it, and the lag warning, with run.json's numbers.
  const RunSummary summary = run_summary(*run);
  for (const QString& part : {QStringLiteral("Open model: 2000 arrivals/s (even), at most 2 users busy"),
                              count(o.iterations_started) + QStringLiteral(" iterations started"),
                              count(o.dropped) + QStringLiteral(" arrivals dropped"), QStringLiteral("dropped by class")})
    EXPECT_TRUE(summary.text.contains(part)) << summary.text.toStdString() << " lacks " << part.toStdString();
  EXPECT_TRUE(summary.warning.contains(count(o.late_arrivals) + QStringLiteral(" arrivals were started more than 10 ms late")))
      << summary.warning.toStdString();
  // Compare beside a closed-model run: Dropped and service rows, "—" for the closed one.
  CompareModel compare;
  compare.setRuns({run, load(hash_run())});
  ASSERT_TRUE(compare.anyOpenModel());
  const int dropped_row = static_cast<int>(compare.metricRows().indexOf(CompareModel::Dropped));
  ASSERT_GE(dropped_row, 0);
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::Dropped, 0), static_cast<double>(o.dropped));
  EXPECT_EQ(compare.index(dropped_row, 2).data().toString(), QStringLiteral("—"));
  EXPECT_DOUBLE_EQ(compare.value(CompareModel::ServiceP95, 0), us_to_ms(direct.aggregated.service.value_at_percentile(95)));
}

TEST(RealOpenRun, OverviewShowsTheScheduleDropsAndServiceLines) {
  const auto run = load(real_open_run());
  OverviewPage page;
  show_run(page, 1200, 800, run);
  QApplication::processEvents();
  ChartView* throughput = page.charts()[0];
  ChartView* latency = page.charts()[1];
  EXPECT_EQ(throughput->seriesNames(), (QStringList{"req/s", "failures/s", "dropped/s", "users"}));
  EXPECT_EQ(throughput->pointCount(QStringLiteral("dropped/s")), static_cast<int>(run->result().history.size()));
  const QLineSeries* dropped = line_named(throughput, QStringLiteral("dropped/s"));
  ASSERT_NE(dropped, nullptr);
  double most = 0;
  for (const QPointF& p : dropped->points()) most = std::max(most, p.y());
  EXPECT_GT(most, 100) << "hundreds of arrivals a second found no free user";
  EXPECT_EQ(latency->seriesNames(), (QStringList{"p50", "p95", "p99", "p50 service", "p95 service", "p99 service"}));
  EXPECT_EQ(latency->pointCount(QStringLiteral("p95 service")), run->service_series(95).points.size());
  EXPECT_EQ(line_named(latency, QStringLiteral("p95 service"))->pen().style(), Qt::DashLine);
  // The schedule above the charts, and the engine's warning in red.
  EXPECT_TRUE(page.summary()->isVisible());
  EXPECT_EQ(page.summary()->text(), run_summary(*run).text);
  ASSERT_TRUE(page.warning()->isVisible());
  EXPECT_EQ(page.warning()->text(), run_summary(*run).warning);
  const QImage warning = page.warning()->grab().toImage();
  bool red = false;
  for (int y = 0; y < warning.height() && !red; ++y)
    for (int x = 0; x < warning.width() && !red; ++x) {
      const QColor c = warning.pixelColor(x, y);
      red = c.red() > 150 && c.green() < 110 && c.blue() < 110;
    }
  EXPECT_TRUE(red) << "the lag warning is drawn in red";
  expect_drawn(throughput, QStringLiteral("real-open-overview-throughput"));
  expect_drawn(latency, QStringLiteral("real-open-overview-latency"));
  page.grab().save(screenshot_dir() + QStringLiteral("/real-open-overview-page.png"));
}

TEST(RealOpenRun, EndpointsShowBothLatenciesAndTheDroppedColumn) {
  const auto run = load(real_open_run());
  EndpointsPage page;
  show_run(page, 1400, 950, run);
  QApplication::processEvents();
  page.selectEndpoint({});
  // Every open-model column shown; the rest as the run has them (no 429s, skips or cookies).
  for (int col = 0; col < EndpointTableModel::ColumnCount; ++col) {
    EXPECT_EQ(page.table()->isColumnHidden(col), !page.model()->columnShown(col)) << col;
    if (EndpointTableModel::isOpenModelColumn(col)) {
      EXPECT_FALSE(page.table()->isColumnHidden(col)) << col;
    }
  }
  EXPECT_TRUE(page.openModelNote()->isVisible());
  ChartView* curve = page.charts()[0];
  ChartView* over_time = page.charts()[2];
  const QString latency = QStringLiteral("latency (from intended start)"), service = QStringLiteral("service time");
  EXPECT_EQ(curve->seriesNames(), (QStringList{latency, service}));
  // Two different curves: the service time's p99 is below the latency's.
  const QLineSeries* latency_line = line_named(curve, latency);
  const QLineSeries* service_line = line_named(curve, service);
  ASSERT_TRUE(latency_line && service_line);
  EXPECT_NE(latency_line->points(), service_line->points());
  EXPECT_EQ(over_time->seriesNames(),
            (QStringList{"p50", "p95", "p99", "p50 service", "p95 service", "p99 service"}));
  expect_drawn(curve, QStringLiteral("real-open-endpoints-percentiles"), 3);
  expect_drawn(over_time, QStringLiteral("real-open-endpoints-over-time"));
  page.grab().save(screenshot_dir() + QStringLiteral("/real-open-endpoints-page.png"));
}

}  // namespace
}  // namespace stampede::gui
