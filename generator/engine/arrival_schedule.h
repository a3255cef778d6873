// The open model's schedule for one worker (docs/open-model.md): of one global schedule of
// `rate` arrivals per second, worker `index` of `workers` owns every workers-th arrival,
// phase-shifted by index/rate, so the workers together produce `rate` per second spread
// evenly, with no lock between them. Poisson: each worker draws exponential gaps of mean
// workers/rate from its own seeded generator (T Poisson streams of rate R/T make one of
// rate R). And ClassPicker: which user class an arrival goes to, by weight.
//
// Pure: offsets are from the run's start; the caller adds them to its clock. Not
// thread-safe (one per worker).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "scenarios/scenario.h"

namespace stampede::engine {

// One worker's part of the run's schedule.
struct ArrivalPlan {
  double rate = 0;  // the whole run's arrivals per second
  int workers = 1;  // workers sharing the schedule
  int index = 0;    // this worker's place among them
  bool poisson = false;
  std::uint64_t seed = 0;
  int max_users = 1;  // this worker's share of --max-users (>= 1)
  std::chrono::steady_clock::time_point start;
};

class ArrivalSchedule {
 public:
  ArrivalSchedule(double rate, int workers, int index, bool poisson, std::uint64_t seed);

  // The offset from the start of this worker's next arrival; each call advances by one.
  // Even: computed from the arrival's number (never by adding gaps), so rounding never
  // accumulates into rate loss.
  std::chrono::nanoseconds next();
  std::uint64_t taken() const { return taken_; }

 private:
  double rate_;
  int workers_;
  int index_;
  bool poisson_;
  std::mt19937_64 rng_;
  double poisson_at_s_ = 0;
  std::uint64_t taken_ = 0;
};

// Chooses the class of each arrival so that after n arrivals every class has had its
// weight's share of them as closely as possible (the class furthest below its share
// goes next). Deterministic. Weights <= 0 everywhere: equal shares. fixed_count is a
// closed-model notion and is ignored here.
class ClassPicker {
 public:
  explicit ClassPicker(const std::vector<scenarios::UserClass>& classes);
  std::size_t next();

 private:
  std::vector<double> shares_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
};

}  // namespace stampede::engine
