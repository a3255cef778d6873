// QueueWritePath: the queued write path (`--write-path queue`, the mysql stack + RabbitMQ),
// the GrabQueue the router asks (grab_queue.h).
//
// A grab: RedisStock::take (one Lua script: refuses a user who already won the coupon,
// refuses when no stock is left, else records the user and decrements: never oversold,
// whatever the number of threads and servers), then for a success one persistent message
// (queue_message.h) to the durable queue `queue_name()` through a pooled publisher
// channel in confirm mode, and the answer once the broker confirmed it. A publish that
// fails on a pooled channel (the broker restarted) is tried once more on a new one; a
// second copy of a message is harmless (the consumer is idempotent by grab id). When the
// broker cannot be reached or does not confirm within `confirm_timeout`, the unit is given
// back in Redis (the inverse Lua script) and the grab fails with
// DependencyUnavailable(kQueueDependency): the router answers 503, and no grab is lost.
//
// `consumers` GrabConsumer threads (grab_consumer.h) write the rows, each on its own
// connection. Figures: QueueMetrics (queue_metrics.h). The drain proof (drain_report()):
// the broker's ready messages, this server's deliveries in progress, `drained` when both
// are 0, and per coupon the result rows on the shards, the users who won it in Redis
// (successful grabs) and the stock taken (total - remaining), `consistent` when the three
// agree for every coupon.
//
// Limits: a server killed between Redis's take and the broker's confirm leaves a unit taken
// without a message (the client got no answer either); Redis rebuilding its stock from the
// shards (MysqlStore, after a Redis restart) does not know grabs still in the queue.
//
// Thread-safety: GrabQueue's members concurrently; stop/start/crash_consumers_after_next_commit
// from one controlling thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "reference-server/amqp_url.h"
#include "reference-server/grab_queue.h"
#include "reference-server/mysql_settings.h"
#include "reference-server/queue_message.h"
#include "reference-server/queue_metrics.h"
#include "reference-server/shard_latency.h"

namespace stampede::server {

class AmqpChannel;
class GrabConsumer;
class QueueShardWriter;
class RedisStock;

struct QueueWritePathOptions {
  MysqlSettings settings;  // the stack: main (names), shards, Redis
  AmqpUrl amqp;
  int consumers = 2;
  int prefetch = 32;       // unacked deliveries per consumer
  int pool_size = 16;      // shard connections of the consumers, per shard
  ShardLatency shard_latency;
  std::chrono::milliseconds timeout{2000};          // connect, login, RPCs
  std::chrono::milliseconds confirm_timeout{5000};  // publish until confirmed
  std::string queue;  // empty: "stampede.grabs:<main host:port>/<database>"
  std::function<void(std::string_view)> log;  // consumers' and give-back problems; may be empty

  // --amqp / STAMPEDE_AMQP as given (`configured`), else STAMPEDE_AMQP in the stack.env
  // the mysql settings came from, else kDefaultAmqpUrl. Throws StoreError on a bad value.
  static AmqpUrl resolve_amqp(const std::string& configured);
};

class QueueWritePath final : public GrabQueue {
 public:
  // Declares the queue (StoreError naming the broker and what to run when it cannot be
  // reached), creates the shards' queue_grabs tables, starts the consumers.
  QueueWritePath(Store& store, QueueWritePathOptions options);
  ~QueueWritePath() override;  // stops the consumers

  Answer grab(const GrabRequest& request) override;
  nlohmann::json stats() const override;
  std::string prometheus_text() const override;
  nlohmann::json drain_report() override;

  const std::string& queue_name() const { return options_.queue; }
  QueueMetrics& metrics() { return metrics_; }

  // For tests and faults: publish a message as grab() would (no Redis), stop and start the
  // consumers, make each running consumer die after its next committed row (before the ack).
  void publish(const QueuedGrab& grab);
  void stop_consumers();
  void start_consumers();
  void crash_consumers_after_next_commit();
  int running_consumers() const;

 private:
  std::unique_ptr<AmqpChannel> lease_publisher();
  void return_publisher(std::unique_ptr<AmqpChannel> channel);
  void publish_body(const std::string& body, const std::string& grab_id);

  Store& store_;
  QueueWritePathOptions options_;
  QueueMetrics metrics_;
  std::unique_ptr<RedisStock> redis_;
  std::unique_ptr<QueueShardWriter> writer_;
  std::vector<std::unique_ptr<GrabConsumer>> consumers_;
  std::mutex publishers_mutex_;
  std::vector<std::unique_ptr<AmqpChannel>> idle_publishers_;
};

}  // namespace stampede::server
