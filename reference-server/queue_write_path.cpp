#include "reference-server/queue_write_path.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "reference-server/amqp_channel.h"
#include "reference-server/grab_consumer.h"
#include "reference-server/queue_shard_writer.h"
#include "reference-server/redis_stock.h"

namespace stampede::server {

namespace {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// STAMPEDE_AMQP=... in a stack.env file, if there.
std::optional<std::string> stack_env_amqp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  constexpr std::string_view kKey = "STAMPEDE_AMQP=";
  while (std::getline(in, line)) {
    if (line.rfind(kKey, 0) == 0) return line.substr(kKey.size());
  }
  return std::nullopt;
}

}  // namespace

AmqpUrl QueueWritePathOptions::resolve_amqp(const std::string& configured) {
  std::string text = configured;
  std::string from = "--amqp";
  if (text.empty()) {
    if (const auto file = find_stack_env()) {
      if (auto value = stack_env_amqp(*file)) {
        text = *value;
        from = file->string() + ": STAMPEDE_AMQP";
      }
    }
  }
  if (text.empty()) text = kDefaultAmqpUrl;
  std::string problem;
  auto url = parse_amqp_url(text, problem);
  if (!url) throw StoreError(from + ": " + problem);
  return *url;
}

QueueWritePath::QueueWritePath(Store& store, QueueWritePathOptions options)
    : store_(store),
      options_(std::move(options)),
      metrics_(static_cast<int>(options_.settings.shards.size()), options_.consumers) {
  if (options_.queue.empty()) {
    options_.queue = "stampede.grabs:" + options_.settings.main.address() + "/" + options_.settings.main.database;
  }
  try {
    AmqpChannel channel(options_.amqp, options_.timeout);
    channel.declare_queue(options_.queue);
  } catch (const AmqpError& e) {
    throw StoreError(std::string(e.what()) +
                     " (the queued write path needs RabbitMQ: fixtures/stack up --rabbitmq, or --amqp URL)");
  }
  redis_ = std::make_unique<RedisStock>(options_.settings.redis, stock_prefix(options_.settings.main));
  writer_ = std::make_unique<QueueShardWriter>(options_.settings, options_.pool_size, options_.shard_latency);
  writer_->ensure_tables();
  for (int i = 0; i < options_.consumers; ++i) {
    ConsumerSettings settings{options_.amqp, options_.queue, options_.prefetch, options_.timeout, options_.log};
    consumers_.push_back(std::make_unique<GrabConsumer>(std::move(settings), *writer_, metrics_));
  }
  start_consumers();
}

QueueWritePath::~QueueWritePath() { stop_consumers(); }

// ---- publishing ----------------------------------------------------------------------------

std::unique_ptr<AmqpChannel> QueueWritePath::lease_publisher() {
  {
    std::lock_guard lock(publishers_mutex_);
    if (!idle_publishers_.empty()) {
      auto channel = std::move(idle_publishers_.back());
      idle_publishers_.pop_back();
      return channel;
    }
  }
  auto channel = std::make_unique<AmqpChannel>(options_.amqp, options_.timeout);
  channel->enable_confirms();
  return channel;
}

void QueueWritePath::return_publisher(std::unique_ptr<AmqpChannel> channel) {
  std::lock_guard lock(publishers_mutex_);
  idle_publishers_.push_back(std::move(channel));
}

void QueueWritePath::publish_body(const std::string& body, const std::string& grab_id) {
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<AmqpChannel> channel;
    try {
      channel = lease_publisher();
      channel->publish(options_.queue, body, grab_id, options_.confirm_timeout);
      return_publisher(std::move(channel));
      return;
    } catch (const AmqpError&) {
      // The idle channels most likely broke the same way (a broker restart): close them.
      std::vector<std::unique_ptr<AmqpChannel>> closing;
      {
        std::lock_guard lock(publishers_mutex_);
        closing.swap(idle_publishers_);
      }
      for (auto& c : closing) c->drop();
      if (attempt > 0) throw;
    }
  }
}

void QueueWritePath::publish(const QueuedGrab& grab) { publish_body(encode(grab), grab.grab_id); }

QueueWritePath::Answer QueueWritePath::grab(const GrabRequest& request) {
  auto taken = redis_->take(request.coupon_id, request.user_id);
  if (taken.status == RedisStock::Take::not_loaded) {
    store_.stock(request.coupon_id);  // the store rebuilds a stock Redis lost
    taken = redis_->take(request.coupon_id, request.user_id);
    if (taken.status == RedisStock::Take::not_loaded) {
      throw StoreError("grab: no stock in Redis for coupon " + std::to_string(request.coupon_id));
    }
  }
  Answer answer;
  answer.outcome.shard = request.shard;
  answer.outcome.success = taken.status == RedisStock::Take::taken;
  answer.outcome.fail_reason = taken.status == RedisStock::Take::duplicate      ? FailReason::duplicate
                               : taken.status == RedisStock::Take::out_of_stock ? FailReason::out_of_stock
                                                                                : FailReason::none;
  answer.outcome.remaining_stock = taken.remaining;
  if (!answer.outcome.success) return answer;

  QueuedGrab message{new_grab_id(), request.user_id, request.coupon_id, request.room_id,
                     request.shard, request.grab_time_ms, now_us()};
  const auto start = std::chrono::steady_clock::now();
  try {
    publish(message);
  } catch (const AmqpError& e) {
    metrics_.record_publish_failure();
    try {
      redis_->give_back(request.coupon_id, request.user_id);
    } catch (const StoreError& lost) {
      if (options_.log) {
        options_.log("queue: the unit of coupon " + std::to_string(request.coupon_id) + " taken for user " +
                     std::to_string(request.user_id) + " could not be given back: " + lost.what());
      }
    }
    throw DependencyUnavailable(kQueueDependency, e.what());
  }
  answer.publish = std::chrono::steady_clock::now() - start;
  metrics_.record_published(answer.publish);
  answer.queued = true;
  answer.grab_id = std::move(message.grab_id);
  return answer;
}

// ---- consumers ----------------------------------------------------------------------------

void QueueWritePath::stop_consumers() {
  for (auto& c : consumers_) c->stop();
}

void QueueWritePath::start_consumers() {
  for (auto& c : consumers_) {
    if (!c->running()) c->start();
  }
}

void QueueWritePath::crash_consumers_after_next_commit() {
  for (auto& c : consumers_) c->crash_after_next_commit();
}

int QueueWritePath::running_consumers() const {
  int n = 0;
  for (const auto& c : consumers_) n += c->running() ? 1 : 0;
  return n;
}

// ---- figures ----------------------------------------------------------------------------

nlohmann::json QueueWritePath::stats() const {
  auto out = metrics_.stats();
  out["queue"] = options_.queue;
  out["broker"] = options_.amqp.address();
  return out;
}

std::string QueueWritePath::prometheus_text() const { return metrics_.prometheus_text(); }

nlohmann::json QueueWritePath::drain_report() {
  using nlohmann::json;
  json out;
  out["queue"] = options_.queue;
  std::optional<std::int64_t> ready;
  try {
    auto channel = lease_publisher();
    ready = channel->ready_messages(options_.queue);
    return_publisher(std::move(channel));
  } catch (const AmqpError& e) {
    throw DependencyUnavailable(kQueueDependency, e.what());
  }
  const auto in_progress = metrics_.in_progress();
  out["broker_ready"] = *ready;
  out["in_progress"] = in_progress;
  out["published"] = metrics_.published();
  out["acked"] = metrics_.acked();
  out["drained"] = *ready == 0 && in_progress == 0;

  const auto meta = store_.meta();
  std::vector<std::int64_t> ids;
  for (std::int64_t id = 1; meta && id <= meta->coupons; ++id) ids.push_back(id);
  const auto tallies = redis_->tallies(ids);
  const auto rows = writer_->coupon_rows();
  std::size_t r = 0;
  json coupons = json::array();
  bool consistent = true;
  std::int64_t total_rows = 0, total_wins = 0, total_taken = 0;
  for (const auto& tally : tallies) {
    while (r < rows.size() && rows[r].coupon_id < tally.coupon_id) ++r;
    const bool has_rows = r < rows.size() && rows[r].coupon_id == tally.coupon_id;
    const std::int64_t successes = has_rows ? rows[r].successes : 0;
    const std::int64_t failures = has_rows ? rows[r].rows - rows[r].successes : 0;
    const auto coupon = store_.find_coupon(tally.coupon_id);
    const std::int64_t total = coupon ? coupon->total_stock : 0;
    const std::int64_t taken = tally.remaining ? total - *tally.remaining : 0;
    const bool agree = successes == tally.winners && tally.winners == taken;
    consistent = consistent && agree;
    total_rows += successes;
    total_wins += tally.winners;
    total_taken += taken;
    if (successes == 0 && tally.winners == 0 && taken == 0 && failures == 0) continue;
    coupons.push_back({{"coupon_id", tally.coupon_id},
                       {"result_rows", successes},
                       {"successful_grabs", tally.winners},
                       {"stock_taken", taken},
                       {"failure_rows", failures},
                       {"consistent", agree}});
  }
  out["coupons_checked"] = tallies.size();
  out["totals"] = {{"result_rows", total_rows}, {"successful_grabs", total_wins}, {"stock_taken", total_taken}};
  out["consistent"] = consistent;
  out["coupons"] = std::move(coupons);
  return out;
}

}  // namespace stampede::server
