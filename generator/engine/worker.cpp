#include "generator/engine/worker.h"

#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "generator/engine/virtual_user.h"

namespace stampede::engine {
namespace asio = boost::asio;

struct Worker::State {
  State(const scenarios::Scenario& s, const http::RequestDefaults& d)
      : scenario(s),
        defaults(d),
        io(1),  // one thread runs it: lets Asio skip internal locking
        guard(asio::make_work_guard(io)),
        curl(io, d.shared_connections ? http::CurlTransport::kSharedHandlesPerLane : 1),
        transport{io, curl, defaults},
        recorder(s.endpoints().size()),
        ctx{transport, recorder} {}

  const scenarios::Scenario& scenario;
  const http::RequestDefaults& defaults;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  http::CurlTransport curl;
  http::TransportContext transport;
  StatsRecorder recorder;
  WorkerContext ctx;
  std::vector<std::unique_ptr<VirtualUser>> users;  // spawn order
  std::uint64_t connections_reported = 0;

  // Done users are destroyed here, never from inside their own callbacks.
  void sweep() {
    std::erase_if(users, [](const auto& u) { return u->destroyable(); });
  }
};

Worker::Worker(const scenarios::Scenario& scenario, const http::RequestDefaults& defaults)
    : state_(std::make_unique<State>(scenario, defaults)) {}

Worker::~Worker() { shutdown(); }

void Worker::start() {
  thread_ = std::thread([this] {
    state_->io.run();
    // Users (and their easy handles) go before the transport that owns the multi handle.
    state_->users.clear();
  });
}

void Worker::spawn(std::size_t class_index, std::uint64_t seed) {
  asio::post(state_->io, [this, class_index, seed] {
    State& s = *state_;
    // No sweep here: it scans every user, and spawning 10k users would make it quadratic.
    // take() sweeps once a second.
    const scenarios::UserClass& cls = s.scenario.user_classes().at(class_index);
    s.users.push_back(std::make_unique<VirtualUser>(s.ctx, cls, seed));
    s.users.back()->start();
  });
}

void Worker::stop_latest(int count) {
  asio::post(state_->io, [this, count] {
    State& s = *state_;
    int left = count;
    for (auto it = s.users.rbegin(); it != s.users.rend() && left > 0; ++it) {
      if ((*it)->done()) continue;
      (*it)->stop();
      --left;
    }
  });
}

void Worker::stop_all() {
  asio::post(state_->io, [this] {
    for (auto& u : state_->users) u->stop();
  });
}

void Worker::abandon_all() {
  asio::post(state_->io, [this] {
    for (auto& u : state_->users) u->abandon();
  });
}

std::future<Interval> Worker::take() {
  auto promise = std::make_shared<std::promise<Interval>>();
  std::future<Interval> future = promise->get_future();
  asio::post(state_->io, [this, promise] {
    State& s = *state_;
    Interval interval = s.recorder.take();
    const std::uint64_t connections = s.curl.connections_opened() + s.transport.native_connections_opened;
    interval.connections_opened = connections - s.connections_reported;
    s.connections_reported = connections;
    s.sweep();
    promise->set_value(std::move(interval));
  });
  return future;
}

int Worker::running_users() const {
  return state_->ctx.running_users.load(std::memory_order_relaxed);
}

void Worker::shutdown() {
  if (!thread_.joinable()) return;
  asio::post(state_->io, [this] {
    for (auto& u : state_->users) u->abandon();
    state_->guard.reset();
    state_->io.stop();
  });
  thread_.join();
}

}  // namespace stampede::engine
