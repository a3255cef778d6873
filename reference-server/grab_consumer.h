// One consumer of the grab queue (queued write path): a thread with its own AMQP
// connection and channel, at most `prefetch` unacknowledged deliveries, that writes each
// queued grab's row to its shard (QueueShardWriter, idempotent by grab id) and acks only
// after the shard committed. A shard that is down: the delivery is given back to the
// broker (requeued) and the consumer pauses briefly. A broker that goes away: the
// consumer reconnects with a growing pause (0.2 s .. 2 s) until stop(); the deliveries it
// had not acked are redelivered by the broker, to it or another consumer, and find their
// rows already written when they were (counted as duplicates, never a second row).
// A body that is not a queued grab is logged, counted and acked (dropped).
//
// Thread-safety: start()/stop()/crash_after_next_commit() from one controlling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "reference-server/amqp_url.h"
#include "reference-server/queue_metrics.h"
#include "reference-server/queue_shard_writer.h"

namespace stampede::server {

struct ConsumerSettings {
  AmqpUrl url;
  std::string queue;
  int prefetch = 32;
  std::chrono::milliseconds timeout{5000};  // connect, login, RPCs
  std::function<void(std::string_view)> log;  // may be empty
};

class GrabConsumer {
 public:
  GrabConsumer(ConsumerSettings settings, QueueShardWriter& writer, QueueMetrics& metrics);
  ~GrabConsumer();  // stop()
  GrabConsumer(const GrabConsumer&) = delete;
  GrabConsumer& operator=(const GrabConsumer&) = delete;

  void start();
  // Finishes the delivery in hand (row and ack), closes the connection (the broker
  // requeues what was prefetched) and joins the thread.
  void stop();
  // Fault injection for tests: after the next committed row, the consumer drops its
  // connection without acking and its thread ends, as a consumer killed between the shard
  // commit and the ack would. running() turns false; start() starts it again.
  void crash_after_next_commit() { crash_.store(true); }
  bool running() const { return running_.load(); }

 private:
  void run();
  bool serve_connection();  // false when the thread should end (stop or crash)
  void pause(std::chrono::milliseconds d);
  void log(const std::string& line);

  ConsumerSettings settings_;
  QueueShardWriter& writer_;
  QueueMetrics& metrics_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> crash_{false};
  std::atomic<bool> running_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::chrono::steady_clock::time_point last_log_{};
};

}  // namespace stampede::server
