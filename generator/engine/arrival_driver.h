// ArrivalDriver: the open model on one worker thread (docs/open-model.md). One steady_timer
// set to an absolute time: the due time of the worker's next arrival (ArrivalSchedule), or
// for arrivals closer together than ArrivalBatcher::kWindow the end of that window after
// the last wake-up, each wake-up starting every arrival due by then; each due
// arrival picks a class by weight (ClassPicker) and that class's task by the task weights
// (scenarios::choose_task), then takes an idle user of that class or creates one while the
// worker's share of --max-users allows, and runs the task on it; with no free user the
// arrival is dropped, counted for its class and for the endpoint of its task's first
// request. Every arrival is recorded with its lag (how late it was started after its due
// time).
//
// Lives on (and is only touched from) its worker's thread; destroyed before the
// io_context it uses.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "generator/engine/arrival_schedule.h"
#include "generator/engine/virtual_user.h"

namespace stampede::engine {

class ArrivalDriver final : public IterationPool {
 public:
  using Clock = std::chrono::steady_clock;
  using Users = std::vector<std::unique_ptr<VirtualUser>>;

  // Users it creates go into `users` (the worker's, which destroys them).
  ArrivalDriver(boost::asio::io_context& io, WorkerContext& ctx,
                const std::vector<scenarios::UserClass>& classes, const ArrivalPlan& plan, Users& users);
  ArrivalDriver(const ArrivalDriver&) = delete;
  ArrivalDriver& operator=(const ArrivalDriver&) = delete;

  void start();
  // No more arrivals; the idle users are forgotten (the worker stops them).
  void stop();
  void iteration_done(VirtualUser& user) override;

 private:
  void arm();
  void on_due();
  // One arrival, due at `due`, started at `now`.
  void start_arrival(Clock::time_point due, Clock::time_point now);

  // Arrivals handled in one timer handler at most before the loop gets a turn (a worker far
  // behind still answers its commands).
  static constexpr int kBatch = 4'096;

  boost::asio::steady_timer timer_;
  WorkerContext& ctx_;
  const std::vector<scenarios::UserClass>& classes_;
  ArrivalPlan plan_;
  Users& users_;
  ArrivalBatcher batch_;  // the schedule: when to wake, what is due
  ClassPicker picker_;
  scenarios::Rng task_rng_;  // draws each arrival's task
  std::vector<std::vector<VirtualUser*>> idle_;  // per class
  int created_ = 0;
  bool stopped_ = false;
};

}  // namespace stampede::engine
