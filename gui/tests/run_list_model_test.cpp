#include "gui/model/run_list_model.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <gtest/gtest.h>

#include "gui/tests/engine_info.h"
#include "gui/tests/lab_fixture.h"
#include "results/result_folder.h"

namespace stampede::gui {
namespace {

TEST(RunListModel, ListsRunFoldersUnderARootAndOpenedOnes) {
  RunListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const int opened = model.addFolder(testing::hash_run());
  EXPECT_EQ(opened, 0);
  EXPECT_EQ(model.addFolder(testing::hash_run() + QStringLiteral("/")), 0);  // the same folder
  // gui/tests/fixtures holds seven run folders (hash, live, open, overload, range, stages,
  // torn) and a script, a scenario and a lab folder, which are not run folders; hash is
  // already listed.
  EXPECT_EQ(model.addRoot(testing::fixture("gui/tests/fixtures")), 6);
  ASSERT_EQ(model.rowCount(), 7);
  EXPECT_EQ(model.addRoot(testing::fixture("gui/tests/fixtures")), 0);  // no duplicates
  const int overload = model.rowOf(testing::overload_run());
  const int corrupt = model.rowOf(testing::corrupt_run());
  const int live = model.rowOf(testing::live_run());
  ASSERT_GE(overload, 0);
  ASSERT_GE(corrupt, 0);
  ASSERT_GE(live, 0);

  const auto hash = model.run(0);
  ASSERT_TRUE(hash && hash->ok());
  EXPECT_EQ(model.index(0, RunListModel::Name).data().toString(), QStringLiteral("coupon-hash"));
  EXPECT_EQ(model.index(0, RunListModel::Scenario).data().toString(), QStringLiteral("coupon-grab"));
  EXPECT_EQ(model.index(0, RunListModel::Target).data().toString(),
            QString::fromStdString(hash->result().info.target_host));
  EXPECT_EQ(model.index(0, RunListModel::Users).data().toInt(), 8);
  EXPECT_EQ(model.index(0, RunListModel::Status).data().toString(), QStringLiteral("complete"));
  EXPECT_DOUBLE_EQ(model.index(0, RunListModel::Rps).data(Qt::UserRole).toDouble(), hash->requests_per_s());
  EXPECT_EQ(model.index(0, RunListModel::Rps).data().toString(),
            QString::number(hash->requests_per_s(), 'f', 1));

  // run-overload has failures: the error rate is what its aggregate says; its date is its
  // run.json's start time, in UTC.
  const auto& agg = model.run(overload)->result().aggregated;
  ASSERT_GT(agg.failures, 0u);
  EXPECT_DOUBLE_EQ(model.index(overload, RunListModel::ErrorRate).data(Qt::UserRole).toDouble(),
                   static_cast<double>(agg.failures) / static_cast<double>(agg.requests));
  EXPECT_EQ(model.index(overload, RunListModel::Date).data().toString(), QStringLiteral("2026-12-05 07:40:52"));
  EXPECT_EQ(model.index(overload, RunListModel::Users).data().toInt(), 120);
  EXPECT_EQ(model.index(live, RunListModel::Status).data().toString(), QStringLiteral("running"));

  // The torn folder keeps a row with the reader's message.
  EXPECT_EQ(model.index(corrupt, RunListModel::Status).data().toString(), QStringLiteral("error"));
  EXPECT_TRUE(model.index(corrupt, RunListModel::Name).data(Qt::ToolTipRole).toString().contains(QStringLiteral("stats.json")));
  model.reload(corrupt);
  EXPECT_FALSE(model.run(corrupt)->ok());
}

// A finished run whose history.jsonl was cut off still reads (stats.json is whole), but its
// row says so, and the tooltip says what: its charts over time are short.
TEST(RunListModel, ACutOffHistoryIsReadAndSaid) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/cut");
  ASSERT_TRUE(testing::copy_run(testing::hash_run(), dir));
  QFile history(dir + QStringLiteral("/history.jsonl"));
  ASSERT_TRUE(history.open(QIODevice::ReadWrite));
  const QByteArray text = history.readAll();
  ASSERT_TRUE(history.resize(text.size() / 2));  // mid-line
  history.close();

  RunListModel model;
  QAbstractItemModelTester tester(&model);
  const int row = model.addFolder(dir);
  ASSERT_TRUE(model.run(row)->ok());
  EXPECT_EQ(model.index(row, RunListModel::Status).data().toString(), QStringLiteral("complete (warning)"));
  const QString tip = model.index(row, RunListModel::Name).data(Qt::ToolTipRole).toString();
  EXPECT_TRUE(tip.contains(QStringLiteral("history.jsonl: cut off"))) << tip.toStdString();
  EXPECT_LT(model.run(row)->result().history.size(), RunModel::load(testing::hash_run()).result().history.size());

  const int whole = model.addFolder(testing::hash_run());
  EXPECT_EQ(model.index(whole, RunListModel::Status).data().toString(), QStringLiteral("complete"));
  EXPECT_FALSE(model.index(whole, RunListModel::Name).data(Qt::ToolTipRole).toString().contains(QStringLiteral("cut off")));
}

// A followed run grows by its new lines without a re-read; a finished one does not.
TEST(RunListModel, ARunningRunIsExtendedAndAFinishedOneIsNot) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/live");
  const auto line = [](double t, std::uint64_t requests) {
    results::HistoryPoint p;
    p.elapsed_s = t;
    p.users = 3;
    results::IntervalEndpoint e;
    e.method = "GET";
    e.name = "/";
    e.requests = requests;
    e.latency.record(1000, requests);
    p.endpoints.push_back(e);
    return p;
  };
  results::RunInfo info;
  info.started_unix_ms = 1795000000000;
  results::ResultWriter writer(dir.toStdString());
  writer.write_run_info(info);  // "running"
  writer.append_history(line(1, 10));

  RunListModel model;
  QAbstractItemModelTester tester(&model);
  const int row = model.addFolder(dir);
  ASSERT_TRUE(model.run(row)->ok());
  const auto before = model.run(row);
  QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
  ASSERT_TRUE(model.extend(row, {line(2, 20), line(3, 30)}));
  EXPECT_EQ(changed.count(), 1);
  EXPECT_EQ(before->result().history.size(), 1u);  // a page still drawing it keeps its copy
  const auto& grown = model.run(row)->result();
  ASSERT_EQ(grown.history.size(), 3u);
  EXPECT_EQ(grown.aggregated.requests, 60u);
  EXPECT_DOUBLE_EQ(model.run(row)->duration_s(), 3.0);
  EXPECT_EQ(model.index(row, RunListModel::Rps).data(Qt::UserRole).toDouble(), 20.0);
  // Nothing was written past line 1: the lines came from the caller, not a re-read.
  EXPECT_EQ(RunModel::load(dir).result().history.size(), 1u);

  writer.append_history(line(2, 20));
  writer.append_history(line(3, 30));
  results::RunResult done;
  done.info = info;
  done.info.status = "complete";
  done.info.duration_s = 3;
  done.history = grown.history;
  done.aggregated = grown.aggregated;
  done.endpoints = grown.endpoints;
  writer.finish(done);
  model.reload(row);
  EXPECT_EQ(model.run(row)->result().info.status, "complete");
  const auto finished = model.run(row);
  EXPECT_FALSE(model.extend(row, {line(4, 40)}));
  EXPECT_EQ(model.run(row), finished);  // unchanged
  EXPECT_FALSE(model.extend(model.addFolder(tmp.path() + QStringLiteral("/nothing")), {line(1, 1)}));
}

// A folder left "running" by an engine that died says so, and is neither followed nor grown.
TEST(RunListModel, ARunWhoseEngineIsGoneSaysSo) {
  QTemporaryDir tmp;
  const QString dir = tmp.path() + QStringLiteral("/killed");
  const pid_t pid = testing::reaped_pid();
  {
    results::ResultWriter writer(dir.toStdString());
    writer.write_run_info(testing::engine_info(pid));
    results::HistoryPoint p;
    p.elapsed_s = 1;
    p.users = 2;
    writer.append_history(p);
  }
  RunListModel model;
  QAbstractItemModelTester tester(&model);
  const int row = model.addFolder(dir);
  const auto run = model.run(row);
  ASSERT_TRUE(run->ok()) << run->error().toStdString();
  EXPECT_TRUE(run->engine_gone());
  EXPECT_FALSE(run->still_running());
  EXPECT_EQ(run->result().info.status, "running");  // the file is reported, not rewritten
  EXPECT_EQ(model.index(row, RunListModel::Status).data().toString(), QStringLiteral("engine gone"));
  const QString tip = model.index(row, RunListModel::Name).data(Qt::ToolTipRole).toString();
  EXPECT_TRUE(tip.contains(QStringLiteral("(pid %1) no longer runs on this host").arg(pid))) << tip.toStdString();
  EXPECT_FALSE(model.extend(row, {results::HistoryPoint{}}));

  // The same folder with its engine alive is a run in progress.
  results::write_file_atomically((dir + QStringLiteral("/run.json")).toStdString(),
                                 results::to_json(testing::engine_info(::getpid())).dump());
  model.reload(row);
  EXPECT_FALSE(model.run(row)->engine_gone());
  EXPECT_TRUE(model.run(row)->still_running());
  EXPECT_EQ(model.index(row, RunListModel::Status).data().toString(), QStringLiteral("running"));
}

TEST(RunListModel, SortsByRawValuesWithBrokenRowsLast) {
  RunListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.addFolder(testing::corrupt_run());
  model.addFolder(testing::hash_run());
  model.addFolder(testing::overload_run());
  model.addFolder(testing::range_run());
  QPersistentModelIndex overload = model.index(model.rowOf(testing::overload_run()), RunListModel::Name);
  model.sort(RunListModel::Date, Qt::DescendingOrder);
  // The fixtures' start times: overload (2026-12-05) after range after hash (2026-11-22).
  EXPECT_EQ(model.index(0, RunListModel::Name).data().toString(), QStringLiteral("coupon-overload"));
  EXPECT_EQ(model.index(1, RunListModel::Name).data().toString(), QStringLiteral("coupon-range"));
  EXPECT_EQ(model.index(2, RunListModel::Name).data().toString(), QStringLiteral("coupon-hash"));
  EXPECT_EQ(model.index(3, RunListModel::Status).data().toString(), QStringLiteral("error"));
  EXPECT_EQ(overload.row(), 0);
  EXPECT_EQ(model.rowOf(testing::overload_run()), 0);
  model.sort(RunListModel::Date, Qt::AscendingOrder);
  EXPECT_EQ(model.index(0, RunListModel::Name).data().toString(), QStringLiteral("coupon-hash"));
  EXPECT_EQ(model.index(3, RunListModel::Status).data().toString(), QStringLiteral("error"));  // still last
  EXPECT_EQ(overload.row(), 2);
  model.sort(RunListModel::ErrorRate, Qt::DescendingOrder);
  EXPECT_EQ(model.index(0, RunListModel::Name).data().toString(), QStringLiteral("coupon-overload"));  // the one with failures
  EXPECT_EQ(model.index(3, RunListModel::Status).data().toString(), QStringLiteral("error"));
}

TEST(RunListModel, ListsLabRunsWithTheirLabAndStrategy) {
  RunListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  const int plain = model.addFolder(testing::hash_run());
  // gui/tests/fixtures as a results/labs root: its one lab's three runs.
  EXPECT_EQ(model.addLabsRoot(testing::fixture("gui/tests/fixtures")), 3);
  EXPECT_EQ(model.addLabsRoot(testing::fixture("gui/tests/fixtures")), 0);  // no duplicates
  ASSERT_EQ(model.rowCount(), 4);
  EXPECT_EQ(model.addLab(testing::lab_folder()), (QList<int>{1, 2, 3}));  // already listed: their rows
  const int hash = model.rowOf(testing::lab_run("hash"));
  const int range = model.rowOf(testing::lab_run("range"));
  EXPECT_EQ(model.index(model.rowOf(testing::lab_run("time")), RunListModel::Strategy).data().toString(),
            QStringLiteral("time"));
  EXPECT_EQ(model.index(hash, RunListModel::Strategy).data().toString(), QStringLiteral("hash"));
  EXPECT_EQ(model.index(range, RunListModel::Strategy).data().toString(), QStringLiteral("range"));
  EXPECT_EQ(model.index(range, RunListModel::Lab).data().toString(), QLatin1String(testing::kLabName));
  EXPECT_EQ(model.index(range, RunListModel::Name).data().toString(), QStringLiteral("range"));
  EXPECT_EQ(model.headerData(RunListModel::Lab, Qt::Horizontal).toString(), QStringLiteral("Lab"));
  // A run made by hand: no strategy, no lab — empty, not guessed.
  EXPECT_EQ(model.index(plain, RunListModel::Strategy).data().toString(), QString());
  EXPECT_EQ(model.index(plain, RunListModel::Lab).data().toString(), QString());
  model.sort(RunListModel::Lab, Qt::DescendingOrder);
  EXPECT_EQ(model.index(3, RunListModel::Lab).data().toString(), QString());
}

TEST(RunListModel, EmptyOrMissingRootAddsNothing) {
  RunListModel model;
  QTemporaryDir empty;
  EXPECT_EQ(model.addRoot(empty.path()), 0);
  EXPECT_EQ(model.addRoot(empty.path() + QStringLiteral("/missing")), 0);
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.run(0), nullptr);
}

}  // namespace
}  // namespace stampede::gui
