#include "generator/engine/arrival_driver.h"

namespace stampede::engine {
namespace {

// A class without tasks (none compiled) drops for no endpoint.
constexpr std::uint32_t kNoEndpoint = ~std::uint32_t{0};

std::uint64_t mix(std::uint64_t x) {  // SplitMix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

ArrivalDriver::ArrivalDriver(boost::asio::io_context& io, WorkerContext& ctx,
                             const std::vector<scenarios::UserClass>& classes, const ArrivalPlan& plan,
                             Users& users)
    : timer_(io),
      ctx_(ctx),
      classes_(classes),
      plan_(plan),
      users_(users),
      batch_(ArrivalSchedule(plan.curve ? plan.curve : std::make_shared<const RateCurve>(RateCurve::constant(plan.rate)),
                             plan.workers, plan.index, plan.poisson, mix(plan.seed ^ mix(plan.index + 1))),
             plan.start, plan.until),
      picker_(classes),
      task_rng_(mix(plan.seed ^ mix(0x7461736bULL + static_cast<std::uint64_t>(plan.index)))),
      idle_(classes.size()) {}

void ArrivalDriver::start() {
  if (classes_.empty() || plan_.rate <= 0) return;
  if (!batch_.pending()) return;  // a load shape or run too short for an arrival on this worker
  arm();
}

void ArrivalDriver::stop() {
  stopped_ = true;
  timer_.cancel();
  for (auto& stack : idle_) stack.clear();
}

void ArrivalDriver::iteration_done(VirtualUser& user) {
  if (stopped_) return;
  idle_[user.class_index()].push_back(&user);
}

void ArrivalDriver::arm() {
  // Absolute: a timer that fires late never moves the schedule.
  timer_.expires_at(batch_.wake_at());
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    on_due();
  });
}

void ArrivalDriver::on_due() {
  const Clock::time_point now = Clock::now();
  batch_.woke(now);
  for (int n = 0; n < kBatch && !stopped_; ++n) {
    const std::optional<Clock::time_point> due = batch_.take(now);
    if (!due) break;
    start_arrival(*due, now);
  }
  // None pending: the load shape's or the run's last arrival was started; no more timer.
  if (!stopped_ && batch_.pending()) arm();
}

void ArrivalDriver::start_arrival(Clock::time_point due, Clock::time_point now) {
  const auto lag = std::chrono::duration_cast<std::chrono::microseconds>(now - due).count();
  const std::size_t cls = picker_.next();
  // The task first, so that a dropped arrival still has the endpoint it would have hit.
  const std::optional<scenarios::TaskChoice> task = scenarios::choose_task(classes_[cls], task_rng_.uniform_real(0.0, 1.0));
  VirtualUser* user = nullptr;
  if (!idle_[cls].empty()) {
    user = idle_[cls].back();
    idle_[cls].pop_back();
  } else if (created_ < plan_.max_users) {
    const std::uint64_t seed = mix(plan_.seed ^ mix((static_cast<std::uint64_t>(plan_.index) << 32) + created_ + 1));
    users_.push_back(std::make_unique<VirtualUser>(ctx_, classes_[cls], seed, this));
    ++created_;
    user = users_.back().get();
    user->set_class_index(cls);
    user->start();
  }
  ctx_.recorder.record_arrival(lag < 0 ? 0 : static_cast<std::uint64_t>(lag), user == nullptr, cls,
                               task ? task->first_endpoint : kNoEndpoint);
  // Measured from its own due time, however late the wake-up that started it.
  if (user) user->run_iteration(due, task ? std::optional<std::size_t>(task->task) : std::nullopt);
}

}  // namespace stampede::engine
