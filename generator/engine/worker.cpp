#include "generator/engine/worker.h"

#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "generator/engine/arrival_driver.h"
#include "generator/engine/virtual_user.h"

namespace stampede::engine {
namespace asio = boost::asio;

struct Worker::State {
  explicit State(std::shared_ptr<WorkerShared> s)
      : shared(std::move(s)),
        bodies(shared->bodies),
        io(1),  // one thread runs it: lets Asio skip internal locking
        guard(asio::make_work_guard(io)),
        curl(io, shared->defaults.shared_connections ? http::CurlTransport::kSharedHandlesPerLane : 1),
        transport{io, curl, shared->defaults, &bodies},
        recorder(shared->scenario.endpoints().size()),
        ctx{transport, recorder} {}

  // Declared first, destroyed last: everything below may read it.
  const std::shared_ptr<WorkerShared> shared;
  // Before io: connections and the handlers io still holds give their body memory back to
  // it when they are destroyed.
  http::BodyAllowance bodies;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  http::CurlTransport curl;
  http::TransportContext transport;
  StatsRecorder recorder;
  WorkerContext ctx;
  std::vector<std::unique_ptr<VirtualUser>> users;  // spawn order
  // The open model's arrivals (after io: its timer goes first; users are only pointed to).
  std::unique_ptr<ArrivalDriver> arrivals;
  std::uint64_t connections_reported = 0;

  // Done users are destroyed here, never from inside their own callbacks.
  void sweep() {
    std::erase_if(users, [](const auto& u) { return u->destroyable(); });
  }
};

// Handlers capture the State, not the Worker: they run on the worker's thread, which owns
// the State until it ends (see start()).

Worker::Worker(std::shared_ptr<WorkerShared> shared) : state_(std::make_shared<State>(std::move(shared))) {}

Worker::~Worker() {
  if (thread_.joinable()) shutdown(Clock::now() + std::chrono::seconds(2));
}

void Worker::start() {
  std::promise<void> finished;
  finished_ = finished.get_future();
  thread_ = std::thread([state = state_, finished = std::move(finished)]() mutable {
    state->io.run();
    state->arrivals.reset();
    // Users (and their easy handles) go before the transport that owns the multi handle.
    state->users.clear();
    // The thread holds the last reference once shutdown() has let go of its own: the event
    // loop, the transports and whatever handlers are still queued are destroyed here, on
    // the thread whose end the caller waits for with a deadline.
    state.reset();
    finished.set_value();
  });
}

void Worker::spawn(std::size_t class_index, std::uint64_t seed) {
  asio::post(state_->io, [s = state_.get(), class_index, seed] {
    // No sweep here: it scans every user, and spawning 10k users would make it quadratic.
    // take() sweeps once a second.
    const scenarios::UserClass& cls = s->shared->scenario.user_classes().at(class_index);
    s->users.push_back(std::make_unique<VirtualUser>(s->ctx, cls, seed));
    s->users.back()->set_class_index(class_index);  // stop_latest_of_class finds it by this
    s->users.back()->start();
  });
}

void Worker::start_arrivals(const ArrivalPlan& plan) {
  asio::post(state_->io, [s = state_.get(), plan] {
    if (s->arrivals) return;
    s->arrivals = std::make_unique<ArrivalDriver>(s->io, s->ctx, s->shared->scenario.user_classes(), plan, s->users);
    s->arrivals->start();
  });
}

void Worker::stop_latest(int count) {
  asio::post(state_->io, [s = state_.get(), count] {
    int left = count;
    for (auto it = s->users.rbegin(); it != s->users.rend() && left > 0; ++it) {
      // A user stopped before and still finishing its request in flight counts once: two
      // stops in a row must stop two users.
      if ((*it)->stopping()) continue;
      (*it)->stop();
      --left;
    }
  });
}

void Worker::stop_latest_of_class(std::size_t class_index, int count) {
  asio::post(state_->io, [s = state_.get(), class_index, count] {
    int left = count;
    for (auto it = s->users.rbegin(); it != s->users.rend() && left > 0; ++it) {
      if ((*it)->stopping() || (*it)->class_index() != class_index) continue;
      (*it)->stop();
      --left;
    }
  });
}

void Worker::stop_all() {
  asio::post(state_->io, [s = state_.get()] {
    if (s->arrivals) s->arrivals->stop();
    for (auto& u : s->users) u->stop();
  });
}

void Worker::abandon_all() {
  asio::post(state_->io, [s = state_.get()] {
    if (s->arrivals) s->arrivals->stop();
    for (auto& u : s->users) u->abandon();
  });
}

std::future<Interval> Worker::take() {
  auto promise = std::make_shared<std::promise<Interval>>();
  std::future<Interval> future = promise->get_future();
  asio::post(state_->io, [s = state_.get(), promise] {
    Interval interval = s->recorder.take();
    const std::uint64_t connections = s->curl.connections_opened() + s->transport.native_connections_opened;
    interval.connections_opened = connections - s->connections_reported;
    s->connections_reported = connections;
    s->sweep();
    promise->set_value(std::move(interval));
  });
  return future;
}

int Worker::running_users() const {
  return state_ ? state_->ctx.running_users.load(std::memory_order_relaxed) : 0;
}

void Worker::end() {
  if (!state_) return;
  asio::post(state_->io, [s = state_.get()] {
    if (s->arrivals) s->arrivals->stop();
    for (auto& u : s->users) u->abandon();
    s->guard.reset();
    s->io.stop();
  });
  // From here the thread owns its state (see start()).
  state_.reset();
}

bool Worker::shutdown(Clock::time_point deadline) {
  end();
  return wait_ended(deadline);
}

bool Worker::wait_ended(Clock::time_point deadline) {
  if (!thread_.joinable()) return true;
  if (finished_.wait_until(deadline) == std::future_status::ready) {
    thread_.join();
    return true;
  }
  thread_.detach();
  return false;
}

}  // namespace stampede::engine
