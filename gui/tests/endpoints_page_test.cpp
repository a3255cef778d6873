// The Endpoints page: the endpoint table's order, the failures tab, and the selected
// endpoint's percentile curve, histogram and latency over time.
#include <QHeaderView>
#include <QToolTip>
#include <QtCharts/QAreaSeries>
#include <gtest/gtest.h>

#include <algorithm>

#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;

TEST(EndpointsPage, EndpointsDrawsDistributionOfTheSelectedEndpoint) {
  const auto run = load(testing::hash_run());
  EndpointsPage page;
  show_run(page, 1100, 900, run);
  QApplication::processEvents();  // showing may make row 0 current: select after that
  const QString key = QStringLiteral("POST /api/coupon/grab [Hot Room]");
  page.selectEndpoint(key);
  ChartView* curve = page.charts()[0];
  ChartView* histogram = page.charts()[1];
  ChartView* over_time = page.charts()[2];
  EXPECT_EQ(curve->pointCount(key), percentile_curve(run->latency_histogram(key), key).points.size());
  EXPECT_GE(curve->pointCount(key), 5);
  // p50, p95, p99 and the max are marked; equal ones share a marker.
  const results::Histogram& h = run->latency_histogram(key);
  QStringList marks{"p50", "p95", "p99", "max"};
  if (h.value_at_percentile(99) == h.max()) marks = {"p50", "p95", "p99 = max"};
  if (h.value_at_percentile(95) == h.max()) marks = {"p50", "p95 = p99 = max"};
  EXPECT_EQ(histogram->markerLabels(), marks);
  const auto* area = qobject_cast<QAreaSeries*>(histogram->chart()->series().value(0));
  ASSERT_NE(area, nullptr);
  const QList<HistogramBin> bins = latency_bins(run->latency_histogram(key));
  ASSERT_EQ(area->upperSeries()->count(), 4 * bins.size());  // one step per bin
  EXPECT_EQ(histogram_total(histogram), run->latency_histogram(key).count());
  EXPECT_TRUE(page.logHistogram()->isChecked()) << "counts start on a log axis (tails readable)";
  EXPECT_FALSE(page.logPercentiles()->isChecked());
  EXPECT_EQ(over_time->pointCount(QStringLiteral("p50")), run->latency_series(50, key).points.size());
  expect_drawn(curve, QStringLiteral("endpoints-percentiles"), 3);
  expect_drawn(histogram, QStringLiteral("endpoints-histogram"), 3);
  expect_drawn(over_time, QStringLiteral("endpoints-over-time"));

  // Selecting a table row switches the charts to that endpoint.
  page.table()->selectRow(2);
  EXPECT_EQ(curve->seriesNames().join(QLatin1Char('|')).toStdString(), page.model()->endpointKey(2).toStdString());
}

TEST(EndpointsPage, EndpointsHistogramHoverShowsTheBin) {
  EndpointsPage page;
  page.resize(1200, 800);
  page.show();
  const auto run = load(testing::hash_run());
  page.setRun(run);
  const double median_ms = us_to_ms(run->latency_histogram().value_at_percentile(50));
  const QString tip = page.histogramTipAt(median_ms);
  EXPECT_TRUE(tip.contains(QStringLiteral("requests"))) << tip.toStdString();
  EXPECT_TRUE(page.histogramTipAt(1e9).isEmpty());
  QAreaSeries* area = nullptr;
  for (QAbstractSeries* s : page.charts()[1]->chart()->series()) area = area ? area : qobject_cast<QAreaSeries*>(s);
  ASSERT_NE(area, nullptr);
  emit area->hovered(QPointF(median_ms, 1), true);
  EXPECT_EQ(QToolTip::text(), tip);
  emit area->hovered(QPointF(median_ms, 1), false);
}

// Following a run re-reads its folder every second: the endpoint picked, the zoom and the
// series hidden stay as the user left them; another run starts afresh.
TEST(EndpointsPage, AFollowedRunKeepsTheZoomAndHiddenSeries) {
  EndpointsPage page;
  page.resize(1200, 800);
  page.show();
  page.setRun(load(testing::live_run()));
  QApplication::processEvents();
  page.table()->selectRow(1);
  const QString key = page.model()->endpointKey(1);
  ChartView* over_time = page.charts()[2];
  over_time->chart()->zoom(2.0);
  over_time->setSeriesHidden(QStringLiteral("p99"), true);
  const ChartView::View before = over_time->view();
  ASSERT_TRUE(before.zoomed);

  page.setRun(load(testing::live_run()));  // what the follower does on new lines
  EXPECT_EQ(page.model()->endpointKey(page.table()->currentIndex().row()), key);
  const ChartView::View after = page.charts()[2]->view();
  EXPECT_TRUE(after.zoomed);
  EXPECT_EQ(after.ranges, before.ranges);
  EXPECT_EQ(after.hidden, QStringList{QStringLiteral("p99")});

  page.setRun(load(testing::hash_run()));
  EXPECT_FALSE(page.charts()[2]->view().zoomed);
  EXPECT_TRUE(page.charts()[2]->view().hidden.isEmpty());
}

// The endpoint table opens in stats.json's order (not sorted by Type), Aggregated last; a
// header click sorts it, a third click on the same header goes back to the file's order.
TEST(EndpointsPage, EndpointTableOpensInTheFileOrder) {
  EndpointsPage page;
  page.resize(1200, 800);
  page.show();
  page.setRun(load(testing::hash_run()));
  QApplication::processEvents();
  const results::RunResult file = results::read_result_folder(testing::hash_run().toStdString());
  QStringList expected;
  for (const auto& e : file.endpoints) expected.append(RunModel::endpoint_key(e.method, e.name));
  // Sorted by Type the rows would read otherwise (GET and POST are interleaved in the file).
  QStringList methods;
  for (const auto& e : file.endpoints) methods.append(QString::fromStdString(e.method));
  ASSERT_FALSE(std::is_sorted(methods.begin(), methods.end()));
  ASSERT_FALSE(std::is_sorted(methods.rbegin(), methods.rend()));

  QHeaderView* header = page.table()->horizontalHeader();
  const auto keys = [&] {
    QStringList k;
    for (int row = 0; row + 1 < page.model()->rowCount(); ++row) k.append(page.model()->endpointKey(row));
    return k;
  };
  const auto last_name = [&] {
    return page.model()->index(page.model()->rowCount() - 1, EndpointTableModel::Name).data().toString();
  };
  EXPECT_EQ(header->sortIndicatorSection(), -1);
  EXPECT_EQ(keys(), expected);
  EXPECT_EQ(last_name(), QStringLiteral("Aggregated"));

  // Clicking the Requests header sorts by it; Aggregated stays last.
  const QPoint requests(header->sectionViewportPosition(EndpointTableModel::Requests) + 10, header->height() / 2);
  QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, requests);
  ASSERT_EQ(header->sortIndicatorSection(), EndpointTableModel::Requests);
  EXPECT_NE(keys(), expected);
  const int last = page.model()->rowCount() - 1;
  const bool ascending = header->sortIndicatorOrder() == Qt::AscendingOrder;
  for (int row = 1; row < last; ++row) {
    const auto a = page.model()->index(row - 1, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong();
    const auto b = page.model()->index(row, EndpointTableModel::Requests).data(Qt::UserRole).toULongLong();
    EXPECT_TRUE(ascending ? a <= b : a >= b) << row;
  }
  EXPECT_EQ(last_name(), QStringLiteral("Aggregated"));

  // Another run keeps the sort the user chose; clearing the indicator gives the file's order.
  page.setRun(load(testing::range_run()));
  EXPECT_EQ(header->sortIndicatorSection(), EndpointTableModel::Requests);
  QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, requests);
  QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, requests);
  EXPECT_EQ(header->sortIndicatorSection(), -1);
  QStringList range_keys;
  for (const auto& e : results::read_result_folder(testing::range_run().toStdString()).endpoints)
    range_keys.append(RunModel::endpoint_key(e.method, e.name));
  EXPECT_EQ(keys(), range_keys);
  EXPECT_EQ(last_name(), QStringLiteral("Aggregated"));
}

// run-overload's 503s are listed on the Failures tab, as stats.json has them; a run without
// failures says "No failures". The tab sits beside the endpoint table: the charts keep
// their room.
TEST(EndpointsPage, FailuresTabListsTheFailuresOfTheRun) {
  EndpointsPage page;
  page.resize(1500, 900);
  page.show();
  page.setRun(load(testing::overload_run()));
  QApplication::processEvents();
  const results::RunResult file = results::read_result_folder(testing::overload_run().toStdString());
  ASSERT_FALSE(file.failures.empty());
  QTabWidget* tabs = page.tableTabs();
  EXPECT_EQ(tabs->tabText(EndpointsPage::FailuresTab), QStringLiteral("Failures (%1)").arg(file.aggregated.failures));
  EXPECT_TRUE(tabs->tabToolTip(EndpointsPage::FailuresTab).contains(QStringLiteral("%1 distinct errors").arg(file.failures.size())));
  EXPECT_TRUE(tabs->tabToolTip(EndpointsPage::FailuresTab).contains(QString::number(file.aggregated.failures)));
  EXPECT_EQ(tabs->currentIndex(), EndpointsPage::StatisticsTab);  // opens on the endpoint table
  tabs->setCurrentIndex(EndpointsPage::FailuresTab);
  QApplication::processEvents();
  QTableView* table = page.failuresTable();
  EXPECT_TRUE(table->isVisible());
  EXPECT_FALSE(page.noFailuresLabel()->isVisible());
  ASSERT_EQ(table->model()->rowCount(), static_cast<int>(file.failures.size()));
  for (int row = 0; row < table->model()->rowCount(); ++row) {
    const results::FailureStats& f = file.failures[static_cast<std::size_t>(row)];
    const auto at = [&](int col) { return table->model()->index(row, col).data().toString().toStdString(); };
    EXPECT_EQ(at(FailureTableModel::Method), f.method) << row;
    EXPECT_EQ(at(FailureTableModel::Name), f.name) << row;
    EXPECT_EQ(at(FailureTableModel::Error), f.error) << row;
    EXPECT_EQ(at(FailureTableModel::Occurrences), std::to_string(f.occurrences)) << row;
  }
  EXPECT_EQ(table->horizontalHeader()->sortIndicatorSection(), -1);  // most first, as in the file
  // The error column is wide enough to read the first (most frequent) error whole.
  EXPECT_GE(table->columnWidth(FailureTableModel::Error),
            table->fontMetrics().horizontalAdvance(QString::fromStdString(file.failures.front().error)));
  // The charts keep most of the page.
  EXPECT_LT(tabs->height(), page.height() / 3);
  expect_drawn(page.charts()[2], QStringLiteral("endpoints-overload-over-time"));
  const QImage image = settled_grab(&page);
  image.save(screenshot_dir() + QStringLiteral("/endpoints-failures.png"));

  page.setRun(load(testing::hash_run()));
  QApplication::processEvents();
  ASSERT_TRUE(results::read_result_folder(testing::hash_run().toStdString()).failures.empty());
  EXPECT_EQ(tabs->tabText(EndpointsPage::FailuresTab), QStringLiteral("Failures (0)"));
  EXPECT_EQ(page.failures()->rowCount(), 0);
  EXPECT_TRUE(page.noFailuresLabel()->isVisible());
  EXPECT_EQ(page.noFailuresLabel()->text(), QStringLiteral("No failures"));
  EXPECT_FALSE(table->isVisible());

  // A run that does not read, or none, has no failures to count: it says so, not "0".
  page.setRun(load(testing::corrupt_run()));
  QApplication::processEvents();
  EXPECT_EQ(tabs->tabText(EndpointsPage::FailuresTab), QStringLiteral("Failures"));
  EXPECT_EQ(page.noFailuresLabel()->text(), QStringLiteral("This run did not read"));
  page.setRun(nullptr);
  QApplication::processEvents();
  EXPECT_EQ(page.noFailuresLabel()->text(), QStringLiteral("No run selected"));
}

}  // namespace
}  // namespace stampede::gui
