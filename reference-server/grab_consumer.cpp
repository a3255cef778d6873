#include "reference-server/grab_consumer.h"

#include <memory>

#include "reference-server/amqp_channel.h"

namespace stampede::server {

namespace {

constexpr std::chrono::milliseconds kPoll{200};
constexpr std::chrono::milliseconds kShardDownPause{200};
constexpr std::chrono::milliseconds kFirstReconnectPause{200};
constexpr std::chrono::milliseconds kMaxReconnectPause{2000};

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Counts this connection's deliveries not yet acked or requeued; what is left when the
// connection ends will be redelivered by the broker, so it leaves the in-progress count.
class Outstanding {
 public:
  explicit Outstanding(QueueMetrics& metrics) : metrics_(metrics) {}
  ~Outstanding() { metrics_.record_abandoned(count_); }
  void add() { ++count_; }
  void done() { --count_; }

 private:
  QueueMetrics& metrics_;
  std::int64_t count_ = 0;
};

}  // namespace

GrabConsumer::GrabConsumer(ConsumerSettings settings, QueueShardWriter& writer, QueueMetrics& metrics)
    : settings_(std::move(settings)), writer_(writer), metrics_(metrics) {}

GrabConsumer::~GrabConsumer() { stop(); }

void GrabConsumer::start() {
  if (thread_.joinable()) thread_.join();  // a crashed thread has ended by itself
  stop_.store(false);  // a crash asked for earlier stays asked for
  running_.store(true);
  thread_ = std::thread([this] { run(); });
}

void GrabConsumer::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_.store(true);
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  running_.store(false);
}

void GrabConsumer::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, d, [this] { return stop_.load(); });
}

void GrabConsumer::log(const std::string& line) {
  // A broker or shard that is down fails every attempt: one line a second at most.
  const auto now = std::chrono::steady_clock::now();
  if (!settings_.log || now - last_log_ < std::chrono::seconds(1)) return;
  last_log_ = now;
  settings_.log("queue consumer: " + line);
}

void GrabConsumer::run() {
  auto wait = kFirstReconnectPause;
  while (!stop_.load()) {
    try {
      if (!serve_connection()) break;
      wait = kFirstReconnectPause;
    } catch (const AmqpError& e) {
      log(std::string(e.what()) + "; reconnecting");
      pause(wait);
      wait = std::min(wait * 2, kMaxReconnectPause);
    }
  }
  running_.store(false);
}

bool GrabConsumer::serve_connection() {
  AmqpChannel channel(settings_.url, settings_.timeout);
  channel.declare_queue(settings_.queue);
  channel.consume(settings_.queue, settings_.prefetch);
  ++metrics_.consumers_connected();
  struct Connected {
    QueueMetrics& m;
    ~Connected() { --m.consumers_connected(); }
  } connected{metrics_};
  Outstanding outstanding(metrics_);
  while (!stop_.load()) {
    const auto delivery = channel.next(kPoll);
    if (!delivery) continue;
    metrics_.record_delivered(delivery->redelivered);
    outstanding.add();
    std::string problem;
    const auto grab = decode_queued_grab(delivery->body, problem);
    if (!grab) {
      log("dropping a message that is not a queued grab: " + problem);
      metrics_.record_bad_message();
      channel.ack(delivery->tag);
      outstanding.done();
      metrics_.record_acked();
      continue;
    }
    try {
      const auto now = now_us();
      if (writer_.write(*grab, now / 1000) == QueueShardWriter::Write::written) {
        metrics_.record_written(grab->shard, std::chrono::microseconds(now_us() - grab->taken_us));
      } else {
        metrics_.record_duplicate();
      }
    } catch (const StoreError& e) {  // ShardUnavailable too: the broker keeps it for later
      log(std::string(e.what()) + "; the grab goes back to the queue");
      channel.requeue(delivery->tag);
      outstanding.done();
      metrics_.record_requeued();
      pause(kShardDownPause);
      continue;
    }
    if (crash_.exchange(false)) {
      channel.drop();  // no ack, no polite close: as if the process died here
      return false;
    }
    channel.ack(delivery->tag);
    outstanding.done();
    metrics_.record_acked();
  }
  return false;
}

}  // namespace stampede::server
