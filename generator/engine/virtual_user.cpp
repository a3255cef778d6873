#include "generator/engine/virtual_user.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stampede::engine {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct VirtualUser::Timer {
  explicit Timer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
};

namespace {

std::uint64_t micros_since(Clock::time_point start) {
  auto d = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return d.count() < 0 ? 0 : static_cast<std::uint64_t>(d.count());
}

}  // namespace

VirtualUser::VirtualUser(WorkerContext& ctx, const scenarios::UserClass& user_class,
                         std::uint64_t seed, IterationPool* pool)
    : ctx_(ctx),
      pool_(pool),
      session_(user_class, scenarios::Rng(seed)),
      connection_(http::make_connection(ctx.transport, *this)),
      timer_(std::make_unique<Timer>(ctx.transport.io)) {
  request_.headers.reserve(4);
}

VirtualUser::~VirtualUser() = default;

void VirtualUser::start() {
  ++ctx_.running_users;
  if (!pool_) begin_request();
}

void VirtualUser::run_iteration(Clock::time_point intended, std::optional<std::size_t> task) {
  if (!idle()) return;
  intended_ = intended;
  next_task_ = task;
  begin_request();
}

void VirtualUser::stop() {
  stopping_ = true;
  if (state_ == State::kWaiting) {
    timer_->timer.cancel();
    finish();
  } else if (state_ == State::kIdle) {
    finish();
  }
}

void VirtualUser::abandon() {
  stopping_ = true;
  if (state_ == State::kInFlight) {
    connection_->abort();
    // A request sent and never answered is a failure, like a timeout: its latency is a
    // lower bound (the time it had been waiting). Dropping it would let a target that
    // accepts connections and never replies look like a clean run.
    const std::uint32_t endpoint = request_.endpoint_id;
    const std::uint64_t service_us = micros_since(sent_at_);
    ctx_.recorder.record(endpoint, intended_ ? micros_since(*intended_) : service_us, 0, true);
    if (pool_) ctx_.recorder.record_service(endpoint, service_us);
    ctx_.recorder.record_failure(endpoint, kAbandonedError);
    finish();
  } else {
    stop();
  }
}

void VirtualUser::finish() {
  if (state_ == State::kDone) return;
  state_ = State::kDone;
  --ctx_.running_users;
}

void VirtualUser::begin_request() {
  if (stopping_) {
    finish();
    return;
  }
  ref_ = next_task_ ? session_.start_task(*next_task_) : session_.next();
  next_task_.reset();
  if (!task_open_) {
    task_started_ = Clock::now();
    task_open_ = true;
  }
  session_.render(ref_, request_);
  const auto timeout = request_.timeout.count() > 0 ? request_.timeout : ctx_.transport.defaults.request_timeout;
  state_ = State::kInFlight;
  sent_at_ = Clock::now();
  // A body no check or capture reads is only counted, never kept (nor in the body budget).
  connection_->send(request_, timeout, session_.needs_body(ref_) ? http::BodyUse::kKeep : http::BodyUse::kCount);
}

void VirtualUser::on_exchange_done(const http::Exchange& exchange) {
  const std::uint64_t service_us = micros_since(sent_at_);
  const std::uint64_t latency_us = intended_ ? micros_since(*intended_) : service_us;
  intended_.reset();
  const std::uint32_t endpoint = request_.endpoint_id;
  state_ = State::kIdle;
  if (pool_) ctx_.recorder.record_service(endpoint, service_us);
  ctx_.recorder.record_exchange(endpoint, exchange);

  if (!exchange.error.empty()) {
    ctx_.recorder.record(endpoint, latency_us, exchange.body_bytes, true);
    ctx_.recorder.record_failure(endpoint, exchange.error);
    ctx_.recorder.record_error_kind(exchange.error_kind);
  } else {
    std::optional<std::string> failure = session_.check(ref_, exchange.status, exchange.body);
    ctx_.recorder.record(endpoint, latency_us, exchange.body_bytes, failure.has_value());
    if (failure) ctx_.recorder.record_failure(endpoint, *failure);
    ctx_.recorder.record_shards(endpoint, *exchange.shards, latency_us,
                                pool_ ? std::optional<std::uint64_t>(service_us) : std::nullopt);
  }

  if (stopping_) {
    finish();
    return;
  }
  if (!session_.task_finished()) {
    begin_request();
    return;
  }
  task_open_ = false;
  if (pool_) {
    pool_->iteration_done(*this);  // idle until its next iteration
    return;
  }
  const auto wait = session_.wait_after(Clock::now() - task_started_);
  if (wait.count() <= 0) {
    begin_request();
    return;
  }
  state_ = State::kWaiting;
  timer_->timer.expires_after(wait);
  wait_pending_ = true;
  timer_->timer.async_wait([this](const boost::system::error_code& ec) {
    wait_pending_ = false;
    if (ec || state_ != State::kWaiting) return;
    state_ = State::kIdle;
    begin_request();
  });
}

}  // namespace stampede::engine
