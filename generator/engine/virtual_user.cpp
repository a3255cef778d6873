#include "generator/engine/virtual_user.h"

#include <algorithm>
#include <cctype>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "generator/engine/retry_after.h"
#include "generator/http/redirect.h"
#include "scenarios/limits.h"

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
      timer_(std::make_unique<Timer>(ctx.transport.io)),
      origin_(http::CookieOrigin::from_base_url(ctx.transport.defaults.base_url)) {
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
  if (stopping_ || state_ == State::kDone) return;
  stopping_ = true;
  if (state_ == State::kWaiting) {
    timer_->timer.cancel();
    state_ = State::kIdle;
    begin_request();  // its on_stop requests, or done
  } else if (state_ == State::kIdle) {
    begin_request();
  }
}

void VirtualUser::abandon() {
  stopping_ = true;
  teardown_allowed_ = false;
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
    if (state_ == State::kWaiting) timer_->timer.cancel();
    finish();  // no on_stop requests: abandoning is immediate
  }
}

void VirtualUser::finish() {
  if (state_ == State::kDone) return;
  state_ = State::kDone;
  --ctx_.running_users;
}

void VirtualUser::begin_request() {
  if (stopping_ && !tearing_down_) {
    if (!teardown_allowed_ || session_.in_setup() || !session_.begin_teardown()) {
      finish();
      return;
    }
    tearing_down_ = true;
  }
  ref_ = {};
  if (tearing_down_) {
    ref_ = session_.next_teardown();
    if (!ref_) {
      finish();
      return;
    }
  } else if (session_.in_setup()) {
    ref_ = session_.next_setup();
  }
  if (!ref_ && !tearing_down_) {
    ref_ = next_task_ ? session_.start_task(*next_task_) : session_.next();
    next_task_.reset();
  }
  if (!session_.skipped_endpoints().empty()) {
    for (const std::uint32_t endpoint : session_.skipped_endpoints()) ctx_.recorder.record_skipped(endpoint);
    session_.clear_skipped_endpoints();
  }
  if (!ref_) {
    after_task(true);  // everything of the task was skipped by `when`
    return;
  }
  if (!task_open_) {
    task_started_ = Clock::now();
    task_open_ = true;
  }
  session_.render(ref_, request_);
  redirects_ = 0;
  sent_at_ = Clock::now();
  send_current();
}

void VirtualUser::send_current() {
  if (session_.cookies()) {
    // The rendered headers end with the jar's Cookie line, made afresh for each send
    // (a redirect's target may match other cookies).
    if (!request_.headers.empty() && request_.headers.back().starts_with("Cookie: ") && redirects_ > 0) {
      request_.headers.pop_back();
    }
    std::string line;
    jar_.append_header(origin_, request_.target, std::chrono::system_clock::now(), line);
    if (!line.empty()) request_.headers.push_back(std::move(line));
  }
  const auto timeout = request_.timeout.count() > 0 ? request_.timeout : ctx_.transport.defaults.request_timeout;
  state_ = State::kInFlight;
  // A body no check or capture reads is only counted, never kept (nor in the body budget).
  connection_->send(request_, timeout, session_.needs_body(ref_) ? http::BodyUse::kKeep : http::BodyUse::kCount);
}

void VirtualUser::store_cookies(const http::Exchange& exchange) {
  if (!session_.cookies() || exchange.headers == nullptr) return;
  const std::uint64_t invalid_before = jar_.invalid_cookies();
  for (const auto& [name, value] : *exchange.headers) {
    if (name.size() == 10 && (name[0] == 'S' || name[0] == 's') &&
        std::equal(name.begin(), name.end(), "set-cookie", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      jar_.store(value, origin_, request_.target, std::chrono::system_clock::now());
    }
  }
  if (jar_.invalid_cookies() != invalid_before) {
    ctx_.recorder.record_invalid_cookies(request_.endpoint_id, jar_.invalid_cookies() - invalid_before);
  }
}

void VirtualUser::after_task(bool sent_nothing) {
  task_open_ = false;
  if (stopping_) {
    begin_request();  // on_stop, or done
    return;
  }
  if (pool_) {
    if (retry_wait_.count() > 0) {
      // Honouring a 429's Retry-After: busy until it passes (arrivals meanwhile find
      // another user, or are dropped).
      wait_then([this] {
        state_ = State::kIdle;
        pool_->iteration_done(*this);
      }, std::exchange(retry_wait_, {}));
      return;
    }
    state_ = State::kIdle;
    pool_->iteration_done(*this);  // idle until its next iteration
    return;
  }
  auto wait = session_.wait_after(Clock::now() - task_started_);
  wait = std::max<std::chrono::nanoseconds>(wait, std::exchange(retry_wait_, {}));
  // A task skipped whole by `when` sent nothing: never spin on it.
  if (sent_nothing) wait = std::max<std::chrono::nanoseconds>(wait, std::chrono::milliseconds(100));
  if (wait.count() <= 0) {
    begin_request();
    return;
  }
  wait_then([this] { begin_request(); }, wait);
}

void VirtualUser::wait_then(std::function<void()> next, std::chrono::nanoseconds wait) {
  state_ = State::kWaiting;
  timer_->timer.expires_after(wait);
  wait_pending_ = true;
  timer_->timer.async_wait([this, next = std::move(next)](const boost::system::error_code& ec) {
    wait_pending_ = false;
    if (ec || state_ != State::kWaiting) return;  // stop() cancelled it and went on itself
    state_ = State::kIdle;
    next();
  });
}

void VirtualUser::next_step() {
  if (retry_wait_.count() > 0 && !stopping_) {
    wait_then([this] { begin_request(); }, std::exchange(retry_wait_, {}));
    return;
  }
  retry_wait_ = {};
  begin_request();
}

void VirtualUser::on_exchange_done(const http::Exchange& exchange) {
  store_cookies(exchange);  // redirects' Set-Cookie too
  if (exchange.error.empty() && request_.follow_redirects && http::is_redirect(exchange.status) &&
      exchange.headers != nullptr) {
    const std::string* location = nullptr;
    for (const auto& [name, value] : *exchange.headers) {
      if (name.size() == 8 && std::equal(name.begin(), name.end(), "location", [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        location = &value;
      }
    }
    if (location != nullptr && redirects_ < scenarios::kMaxRedirects) {
      std::optional<std::string> refused =
          http::follow_redirect(request_, exchange.status, *location, ctx_.transport.defaults.base_url);
      if (!refused) {
        ++redirects_;
        send_current();  // the same sample: latency from the first send
        return;
      }
      // Another origin (or an empty Location): a failure that says so, never load sent to a
      // host the run was not pointed at (docs/scenarios.md, "Redirects").
      record_outcome(exchange, std::move(refused));
      return;
    } else if (location != nullptr) {
      record_outcome(exchange, "too many redirects (more than " + std::to_string(scenarios::kMaxRedirects) + ")");
      return;
    }
  }
  record_outcome(exchange, std::nullopt);
}

void VirtualUser::record_outcome(const http::Exchange& exchange, std::optional<std::string> failure) {
  const std::uint64_t service_us = micros_since(sent_at_);
  const std::uint64_t latency_us = intended_ ? micros_since(*intended_) : service_us;
  intended_.reset();
  const std::uint32_t endpoint = request_.endpoint_id;
  state_ = State::kIdle;
  if (pool_) ctx_.recorder.record_service(endpoint, service_us);
  ctx_.recorder.record_exchange(endpoint, exchange);

  bool failed = true;
  if (!exchange.error.empty()) {
    ctx_.recorder.record(endpoint, latency_us, exchange.body_bytes, true);
    ctx_.recorder.record_failure(endpoint, exchange.error);
    ctx_.recorder.record_error_kind(exchange.error_kind);
  } else if (exchange.status == kTooManyRequests && !failure) {
    // Rate limited: its own outcome, neither checked nor failed (results/README.md, "rate
    // limited"); failed for what comes next (an on_start request that got 429 did not log in).
    ctx_.recorder.record(endpoint, latency_us, exchange.body_bytes, false);
    ctx_.recorder.record_rate_limited(endpoint);
    if (request_.honour_retry_after) retry_wait_ = retry_after_of(exchange.headers).value_or(std::chrono::seconds(0));
  } else {
    if (!failure) {
      scenarios::Response response;
      response.status = exchange.status;
      response.body = exchange.body;
      response.headers = exchange.headers;
      if (session_.cookies()) {
        response.cookie = [this](std::string_view name) { return jar_.value(name, std::chrono::system_clock::now()); };
      }
      failure = session_.check(ref_, response);
    }
    failed = failure.has_value();
    ctx_.recorder.record(endpoint, latency_us, exchange.body_bytes, failed);
    if (failure) ctx_.recorder.record_failure(endpoint, *failure);
    ctx_.recorder.record_shards(endpoint, *exchange.shards, latency_us,
                                pool_ ? std::optional<std::uint64_t>(service_us) : std::nullopt);
  }

  if (failed && session_.in_setup() && !tearing_down_) {
    // An on_start request failed: the rest of on_start is dropped; the class says whether
    // the user stops (without on_stop: it never logged in) or goes on to its tasks.
    if (session_.setup_failed()) {
      teardown_allowed_ = false;
      task_open_ = false;
      finish();
      return;
    }
  }
  if (tearing_down_) {
    begin_request();  // the next on_stop request, back to back
    return;
  }
  if (session_.in_setup()) {
    next_step();  // the next on_start request (after a Retry-After it honours)
    return;
  }
  if (stopping_) {
    task_open_ = false;
    begin_request();  // on_stop, or done
    return;
  }
  if (!session_.task_finished()) {
    next_step();
    return;
  }
  after_task(false);
}

}  // namespace stampede::engine
