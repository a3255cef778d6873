// The queued write path's figures on the Shards page: server.json's /admin/stats "queue"
// member (stampede-server --write-path queue, collected by `stampede lab`), as the server
// writes it (reference-server/queue_metrics.cpp's stats()). No real lab folder of the queued
// path is in the fixtures (it needs RabbitMQ and MariaDB): the lab's hash run is copied and
// its server.json given such a member; the sync path's `null` and wrong types are checked too.
#include <QAbstractItemModelTester>
#include <gtest/gtest.h>

#include "gui/model/queue_figures.h"
#include "gui/tests/lab_fixture.h"
#include "gui/tests/page_test_support.h"

namespace stampede::gui {
namespace {

using namespace testing;
using nlohmann::json;

// What QueueMetrics::stats() writes for 4 shards (shard 3 took no writes).
json queue_member() {
  json delay = json::array();
  for (int k = 0; k < 4; ++k) {
    const int n = k == 3 ? 0 : 100 + k;
    delay.push_back({{"shard", k}, {"written", n}, {"count", n}, {"p50_ms", n ? 1.0 : 0.0},
                     {"p95_ms", n ? 2.0 * (k + 1) : 0.0}, {"max_ms", n ? 20.0 : 0.0}});
  }
  return {{"write_path", "queue"}, {"consumers", 4}, {"consumers_connected", 4}, {"published", 303},
          {"publish_failures", 2}, {"acked", 301}, {"written", 303}, {"duplicates", 1}, {"redelivered", 1},
          {"requeued", 0}, {"bad_messages", 0}, {"depth", 2}, {"in_progress", 0},
          {"publish_ms", {{"count", 303}, {"p50_ms", 0.5}, {"p95_ms", 1.0}, {"max_ms", 3.0}}},
          {"delay_ms", delay}};
}

bool set_queue(const QString& run_dir, const json& queue) {
  json j = read_json(run_dir + QStringLiteral("/server.json"));
  if (!j.is_object()) return false;
  j["documents"]["/admin/stats"]["write_path"] = queue.is_null() ? "sync" : "queue";
  j["documents"]["/admin/stats"]["queue"] = queue;
  QFile f(run_dir + QStringLiteral("/server.json"));
  const QByteArray bytes = QByteArray::fromStdString(j.dump());
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

TEST(QueueFigures, ReadFromTheServersStatsDocument) {
  results::ServerReport report;
  EXPECT_FALSE(queue_figures(report)) << "no /admin/stats";
  report.documents["/admin/stats"] = {{"write_path", "sync"}, {"queue", nullptr}};
  EXPECT_FALSE(queue_figures(report)) << "the sync path";
  report.documents["/admin/stats"]["queue"] = queue_member();
  const auto q = queue_figures(report);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->published, 303u);
  EXPECT_EQ(q->acked, 301u);
  EXPECT_EQ(q->depth, 2);
  EXPECT_EQ(q->consumers, 4);
  EXPECT_EQ(q->publish_failures, 2u);
  EXPECT_EQ(q->duplicates, 1u);
  ASSERT_TRUE(q->publish_p95_ms);
  EXPECT_DOUBLE_EQ(*q->publish_p95_ms, 1.0);
  EXPECT_EQ(q->delay_p95_ms.size(), 3u) << "shard 3 wrote nothing: no p95";
  EXPECT_DOUBLE_EQ(q->delay_p95_ms.at(1), 4.0);
  EXPECT_EQ(q->written.at(3), 0u);
  // Wrong types are left out, never thrown.
  report.documents["/admin/stats"]["queue"] = {{"published", "many"}, {"delay_ms", {{"shard", "x"}}}};
  const auto odd = queue_figures(report);
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->published, 0u);
  EXPECT_TRUE(odd->delay_p95_ms.empty());
}

TEST(QueueFigures, ShardsPageShowsTheQueueDelayPerShardOnlyForTheQueuedPath) {
  LabRunCopy copy("hash");
  ASSERT_TRUE(copy.ok);
  ASSERT_TRUE(set_queue(copy.dir, queue_member()));
  const auto run = load(copy.dir);
  ASSERT_TRUE(run->ok()) << run->error().toStdString();
  ShardsPage page;
  show_run(page, 1300, 950, run);
  QApplication::processEvents();
  const ShardModel* model = page.model();
  ASSERT_TRUE(model->summary().queue);
  QTableView* table = page.findChild<QTableView*>();
  EXPECT_FALSE(table->isColumnHidden(ShardModel::QueueDelayP95));
  for (int row = 0; row < model->rowCount(); ++row) {
    const int shard = model->index(row, ShardModel::Shard).data(Qt::UserRole).toInt();
    const QModelIndex cell = model->index(row, ShardModel::QueueDelayP95);
    if (shard == 3) {
      EXPECT_EQ(cell.data().toString(), QStringLiteral("—"));
      EXPECT_FALSE(cell.data(Qt::UserRole).isValid());
    } else {
      EXPECT_DOUBLE_EQ(cell.data(Qt::UserRole).toDouble(), 2.0 * (shard + 1));
      EXPECT_TRUE(cell.data(Qt::ToolTipRole).toString().startsWith(QString::number(100 + shard)));
    }
  }
  EXPECT_TRUE(page.balanceLabel()->text().contains(
      QStringLiteral("303 grabs published, 301 acked, depth 2, 4 consumers")))
      << page.balanceLabel()->text().toStdString();

  // The sync path (queue: null) and the lab's own run: no column, no line.
  ASSERT_TRUE(set_queue(copy.dir, nullptr));
  page.setRun(load(copy.dir));
  EXPECT_TRUE(table->isColumnHidden(ShardModel::QueueDelayP95));
  EXPECT_FALSE(page.balanceLabel()->text().contains(QStringLiteral("Queued write path")));
  page.setRun(load(lab_run("hash")));
  EXPECT_TRUE(table->isColumnHidden(ShardModel::QueueDelayP95));
}

}  // namespace
}  // namespace stampede::gui
