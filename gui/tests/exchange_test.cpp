// How the requests travelled (results::ExchangeStats) in the GUI: the Endpoints page's
// Connections tab (ExchangeTableModel: connections, connect times, time to first byte,
// Server-Timing cache and servers; TLS columns only for a run with handshakes) and
// Compare's connect/TLS/TTFB/cache rows ("—" for a run without them), rendered offscreen.
// The run is the real run-hash with exchange figures added and written as a result folder
// (ResultWriter), read back as the GUI reads any folder; the hash run itself, which has none,
// looks as before.
#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLocale>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>

#include "gui/model/compare_model.h"
#include "gui/model/exchange_table_model.h"
#include "gui/model/run_summary.h"
#include "gui/tests/page_test_support.h"
#include "results/shard_metrics.h"

namespace stampede::gui {
namespace {

using namespace testing;

// run-hash (8 users) with the figures a newer engine records over http: each user opened one
// connection per endpoint it used (at most one per request; connect 0.3 ms + 0.05 ms per
// endpoint; with `tls` a handshake on each, a quarter resumed), time to first
// byte nine tenths of each latency; GET responses said Server-Timing cache hit (three in
// four) or miss, and every response named srv-0 or srv-1. The first endpoint reused every
// connection (no connect times).
results::RunResult with_exchange(const QString& dir, bool tls) {
  results::RunResult r = results::read_result_folder(hash_run().toStdString());
  r.aggregated.exchange = {};
  std::uint64_t i = 0;
  for (results::EndpointStats& e : r.endpoints) {
    results::ExchangeStats& x = e.exchange;
    if (const std::uint64_t opened = std::min<std::uint64_t>(8, e.requests); i > 0 && opened > 0) {
      x.new_connections = opened;
      x.connect.record(300 + 50 * i, opened);
      if (tls) {
        x.tls_handshakes = opened;
        x.tls_resumed = opened / 4;
        x.tls.record(4'000 + 100 * i, opened);
      }
    }
    e.latency.for_each_bucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t n) { x.ttfb.record(lo * 9 / 10, n); });
    if (e.method == "GET") {
      x.cache_hits = e.requests * 3 / 4;
      x.cache_misses = e.requests - x.cache_hits;
    }
    x.servers[0] = (e.requests + 1) / 2;
    if (e.requests / 2 > 0) x.servers[1] = e.requests / 2;
    r.aggregated.exchange.merge(x);
    ++i;
  }
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(r.info);
  writer.write_scenario(r.scenario);
  for (const auto& p : r.history) writer.append_history(p);
  writer.finish(r);
  return r;
}

class ExchangeGui : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(tmp_.isValid());
    written_ = with_exchange(tmp_.path() + QStringLiteral("/run"), /*tls=*/false);
    run_ = load(tmp_.path() + QStringLiteral("/run"));
    ASSERT_TRUE(run_->ok()) << run_->error().toStdString();
  }
  QTemporaryDir tmp_;
  results::RunResult written_;
  std::shared_ptr<const RunModel> run_;
};

TEST_F(ExchangeGui, TableHasEachEndpointsFiguresAsWritten) {
  ExchangeTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(run_);
  EXPECT_TRUE(model.hasFigures());
  EXPECT_FALSE(model.hasTls());
  EXPECT_TRUE(model.hasCache());
  EXPECT_TRUE(model.hasServers());
  ASSERT_EQ(model.rowCount(), static_cast<int>(written_.endpoints.size()) + 1);
  for (int row = 0; row < model.rowCount(); ++row) {
    const bool aggregate = row == model.rowCount() - 1;
    const results::ExchangeStats& x = aggregate ? written_.aggregated.exchange : written_.endpoints[row].exchange;
    const auto at = [&](int column, int role = Qt::UserRole) { return model.index(row, column).data(role); };
    EXPECT_EQ(at(ExchangeTableModel::NewConnections).toULongLong(), x.new_connections) << row;
    if (x.connect.empty()) {
      EXPECT_FALSE(at(ExchangeTableModel::ConnectP95).isValid()) << row;
      EXPECT_EQ(at(ExchangeTableModel::ConnectP95, Qt::DisplayRole).toString(), QStringLiteral("—")) << row;
    } else {
      EXPECT_DOUBLE_EQ(at(ExchangeTableModel::ConnectP95).toDouble(), us_to_ms(x.connect.value_at_percentile(95))) << row;
    }
    EXPECT_DOUBLE_EQ(at(ExchangeTableModel::TtfbP99).toDouble(), us_to_ms(x.ttfb.value_at_percentile(99))) << row;
    EXPECT_EQ(at(ExchangeTableModel::CacheHits).toULongLong(), x.cache_hits) << row;
    if (const auto ratio = x.cache_hit_ratio()) {
      EXPECT_DOUBLE_EQ(at(ExchangeTableModel::CacheHitRatio).toDouble(), *ratio) << row;
      EXPECT_EQ(at(ExchangeTableModel::CacheHitRatio, Qt::DisplayRole).toString(),
                QString::number(100.0 * *ratio, 'f', 1) + QStringLiteral(" %"));
    } else {
      EXPECT_EQ(at(ExchangeTableModel::CacheHitRatio, Qt::DisplayRole).toString(), QStringLiteral("—")) << row;
    }
    EXPECT_TRUE(at(ExchangeTableModel::Servers).toString().startsWith(QStringLiteral("srv-0: "))) << row;
  }
  EXPECT_EQ(model.index(model.rowCount() - 1, ExchangeTableModel::Name).data().toString(), QStringLiteral("Aggregated"));
  // Sorting keeps the aggregate last.
  model.sort(ExchangeTableModel::TtfbP95, Qt::DescendingOrder);
  EXPECT_EQ(model.index(model.rowCount() - 1, ExchangeTableModel::Name).data().toString(), QStringLiteral("Aggregated"));
  // A run without the figures has none.
  model.setRun(load(hash_run()));
  EXPECT_FALSE(model.hasFigures());
}

// results' https fixture (results/tests/fixtures/https-run): TLS handshakes, some resumed,
// cache entries on one endpoint only.
TEST(ExchangeGuiHttps, TlsAndCacheColumnsReadResultsHttpsFixture) {
  const QString dir = fixture("results/tests/fixtures/https-run");
  const results::RunResult direct = results::read_result_folder(dir.toStdString());
  ExchangeTableModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRun(load(dir));
  ASSERT_TRUE(model.hasFigures());
  EXPECT_TRUE(model.hasTls());
  EXPECT_TRUE(model.hasCache());
  ASSERT_EQ(model.rowCount(), static_cast<int>(direct.endpoints.size()) + 1);
  for (int row = 0; row + 1 < model.rowCount(); ++row) {
    const results::ExchangeStats& x = direct.endpoints[static_cast<std::size_t>(row)].exchange;
    EXPECT_EQ(model.index(row, ExchangeTableModel::TlsHandshakes).data(Qt::UserRole).toULongLong(), x.tls_handshakes);
    EXPECT_EQ(model.index(row, ExchangeTableModel::TlsResumed).data(Qt::UserRole).toULongLong(), x.tls_resumed);
    if (!x.tls.empty()) {
      EXPECT_DOUBLE_EQ(model.index(row, ExchangeTableModel::TlsP95).data(Qt::UserRole).toDouble(),
                       us_to_ms(x.tls.value_at_percentile(95)));
    }
    EXPECT_EQ(model.index(row, ExchangeTableModel::CacheHitRatio).data(Qt::UserRole).isValid(),
              x.cache_hit_ratio().has_value())
        << row;
  }
  const int aggregate = model.rowCount() - 1;
  EXPECT_DOUBLE_EQ(model.index(aggregate, ExchangeTableModel::TtfbP95).data(Qt::UserRole).toDouble(),
                   us_to_ms(direct.aggregated.exchange.ttfb.value_at_percentile(95)));
  EndpointsPage page;
  show_run(page, 1400, 950, load(dir));
  QApplication::processEvents();
  EXPECT_TRUE(page.tableTabs()->isTabVisible(EndpointsPage::ConnectionsTab));
  EXPECT_FALSE(page.exchangeTable()->isColumnHidden(ExchangeTableModel::TlsP95));
  EXPECT_FALSE(page.exchangeTable()->isColumnHidden(ExchangeTableModel::CacheHitRatio));
}

TEST_F(ExchangeGui, EndpointsPageHasAConnectionsTabOnlyForARunWithTheFigures) {
  EndpointsPage page;
  show_run(page, 1400, 950, run_);
  QApplication::processEvents();
  QTabWidget* tabs = page.tableTabs();
  ASSERT_TRUE(tabs->isTabVisible(EndpointsPage::ConnectionsTab));
  EXPECT_EQ(tabs->tabText(EndpointsPage::ConnectionsTab), QStringLiteral("Connections"));
  QTableView* table = page.exchangeTable();
  for (int column = ExchangeTableModel::TlsHandshakes; column <= ExchangeTableModel::TlsP95; ++column)
    EXPECT_TRUE(table->isColumnHidden(column)) << "no TLS over http: " << column;
  for (int column : {int(ExchangeTableModel::ConnectP95), int(ExchangeTableModel::TtfbP95),
                     int(ExchangeTableModel::CacheHitRatio), int(ExchangeTableModel::Servers)})
    EXPECT_FALSE(table->isColumnHidden(column)) << column;
  tabs->setCurrentIndex(EndpointsPage::ConnectionsTab);
  QApplication::processEvents();
  const QImage picture = table->grab().toImage();
  picture.save(screenshot_dir() + QStringLiteral("/exchange-connections-tab.png"));
  EXPECT_GT(measure(picture, picture.rect()).inked, 0.02) << "the table is drawn";
  EXPECT_EQ(table->model()->rowCount(), static_cast<int>(written_.endpoints.size()) + 1);
  page.grab().save(screenshot_dir() + QStringLiteral("/exchange-endpoints-page.png"));

  // With TLS handshakes the TLS columns show; a run without the figures hides the tab and
  // goes back to Statistics.
  QTemporaryDir other;
  with_exchange(other.path() + QStringLiteral("/tls"), /*tls=*/true);
  page.setRun(load(other.path() + QStringLiteral("/tls")));
  QApplication::processEvents();
  EXPECT_FALSE(table->isColumnHidden(ExchangeTableModel::TlsP95));
  EXPECT_TRUE(tabs->isTabVisible(EndpointsPage::ConnectionsTab));
  page.setRun(load(hash_run()));
  QApplication::processEvents();
  EXPECT_FALSE(tabs->isTabVisible(EndpointsPage::ConnectionsTab));
  EXPECT_EQ(tabs->currentIndex(), int(EndpointsPage::StatisticsTab));
}

// The Overview's summary names the servers that answered and their share.
TEST_F(ExchangeGui, OverviewSaysWhichServersAnswered) {
  const auto& servers = written_.aggregated.exchange.servers;
  const QString text = run_summary(*run_).text;
  double total = 0;
  for (const auto& [server, n] : servers) total += static_cast<double>(n);
  for (const auto& [server, n] : servers) {
    const QString part = QStringLiteral("srv-%1 %2 (%3 %)")
                             .arg(server)
                             .arg(QLocale::c().toString(static_cast<qulonglong>(n)))
                             .arg(100.0 * static_cast<double>(n) / total, 0, 'f', 1);
    EXPECT_TRUE(text.contains(part)) << text.toStdString() << " lacks " << part.toStdString();
  }
  EXPECT_TRUE(run_summary(*load(hash_run())).text.isEmpty());
}

TEST_F(ExchangeGui, CompareAddsConnectTtfbAndCacheRows) {
  CompareModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setRuns({run_, load(hash_run())});
  ASSERT_TRUE(model.anyExchange());
  EXPECT_FALSE(model.anyOpenModel());
  // No run made a TLS handshake (http): that row is left out, not all "—", and said to be.
  const QList<CompareModel::Row> expected_tail{CompareModel::ConnectP95, CompareModel::TtfbP95,
                                               CompareModel::CacheHitRatio, CompareModel::Servers,
                                               CompareModel::ServerBalance};
  EXPECT_EQ(model.metricRows().mid(model.metricRows().size() - 5), expected_tail);
  EXPECT_EQ(model.metricRows().size(), CompareModel::Average + 1 + 5) << "no open-model rows";
  // srv-0 and srv-1 answered; their balance is the shared score of the two counts.
  const auto& servers = written_.aggregated.exchange.servers;
  ASSERT_EQ(servers.size(), 2u);
  EXPECT_DOUBLE_EQ(model.value(CompareModel::Servers, 0), 2.0);
  EXPECT_DOUBLE_EQ(model.value(CompareModel::ServerBalance, 0),
                   results::balance_score({static_cast<double>(servers.at(0)), static_cast<double>(servers.at(1))}));
  EXPECT_TRUE(std::isnan(model.value(CompareModel::Servers, 1))) << "run-hash: no srv-<i>";
  EXPECT_TRUE(model.omitted().contains(CompareModel::TlsP95));
  EXPECT_TRUE(model.omitted().contains(CompareModel::Dropped));
  for (CompareModel::Row row : model.metricRows()) EXPECT_FALSE(model.omitted().contains(row)) << row;
  EXPECT_TRUE(model.omittedRows().contains(QStringLiteral("p95 TLS (ms): ") +
                                           CompareModel::absentReason(CompareModel::TlsP95)));
  // The open model's four rows share one line.
  EXPECT_TRUE(model.omittedRows().contains(
      QStringLiteral("Dropped, p50 service (ms), p95 service (ms), p99 service (ms): ") +
      CompareModel::absentReason(CompareModel::Dropped)));
  const results::ExchangeStats& x = written_.aggregated.exchange;
  EXPECT_DOUBLE_EQ(model.value(CompareModel::ConnectP95, 0), us_to_ms(x.connect.value_at_percentile(95)));
  EXPECT_DOUBLE_EQ(model.value(CompareModel::TtfbP95, 0), us_to_ms(x.ttfb.value_at_percentile(95)));
  EXPECT_DOUBLE_EQ(model.value(CompareModel::CacheHitRatio, 0), *x.cache_hit_ratio());
  EXPECT_TRUE(std::isnan(model.value(CompareModel::TlsP95, 0))) << "no handshake over http";
  const int ttfb_row = static_cast<int>(model.metricRows().indexOf(CompareModel::TtfbP95));
  EXPECT_EQ(model.index(ttfb_row, 0).data().toString(), QStringLiteral("p95 TTFB (ms)"));
  EXPECT_EQ(model.index(ttfb_row, 2).data().toString(), QStringLiteral("—")) << "the hash run has none";
  EXPECT_TRUE(model.index(ttfb_row, 2).data(Qt::ToolTipRole).toString().contains(QStringLiteral("does not have")));
  EXPECT_FALSE(model.index(ttfb_row, 1).data(Qt::ToolTipRole).isValid());
  const int cache_row = static_cast<int>(model.metricRows().indexOf(CompareModel::CacheHitRatio));
  EXPECT_EQ(model.index(cache_row, 1).data().toString(),
            QString::number(100.0 * *x.cache_hit_ratio(), 'f', 2) + QStringLiteral(" %"));
  // Two runs without the figures: the table as before.
  model.setRuns({load(hash_run()), load(range_run())});
  EXPECT_FALSE(model.anyExchange());
  EXPECT_EQ(model.rowCount(), CompareModel::Average + 1);
  EXPECT_EQ(model.omitted().size(), CompareModel::RowCount - CompareModel::kFirstOptional)
      << "every optional row left out, and said";

  // Rendered: the rows are in the diff table on screen.
  MainWindow window;
  window.resize(1500, 1000);
  window.show();
  QList<int> rows = window.openPath(tmp_.path() + QStringLiteral("/run"));
  rows += window.openPath(hash_run());
  window.selectRuns(rows);
  window.tabs()->setCurrentWidget(window.compare());
  QApplication::processEvents();
  QTableView* table = window.compare()->diffTable();
  ASSERT_EQ(table->model()->rowCount(), CompareModel::Average + 1 + 5);
  EXPECT_TRUE(window.compare()->omittedNote()->isVisible());
  EXPECT_TRUE(window.compare()->omittedNote()->text().contains(QStringLiteral("p95 TLS (ms)")));
  EXPECT_FALSE(window.compare()->omittedNote()->text().contains(QStringLiteral("TTFB")));
  EXPECT_TRUE(window.compare()->omittedNote()->toolTip().contains(CompareModel::absentReason(CompareModel::TlsP95)));
  const int last = table->model()->rowCount() - 1;
  EXPECT_EQ(table->model()->index(last, 0).data().toString(), QStringLiteral("Server balance"));
  EXPECT_LE(table->rowViewportPosition(last) + table->rowHeight(last), table->viewport()->height())
      << "every row on screen";
}

}  // namespace
}  // namespace stampede::gui
