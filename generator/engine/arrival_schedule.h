// The open model's schedule for one worker (docs/open-model.md). The run's rate over time is
// a RateCurve (a constant --arrival-rate, or a scenario's arrival_rate load shape: piecewise
// linear); its integral Λ(t) counts the arrivals due by t, and arrival k (k = 0, 1, …) of
// the one global schedule is due at Λ⁻¹(k) (even), or at Λ⁻¹ of the k-th point of a
// unit-rate Poisson stream on the Λ axis (poisson). Worker `index` of `workers` owns the
// arrivals k ≡ index (mod workers), so the workers together produce the curve's rate spread
// evenly, with no lock between them; for Poisson each worker draws gaps of mean `workers` on
// the Λ axis from its own seeded generator (T Poisson streams of rate 1/T make one of rate
// 1). And ClassPicker: which user class an arrival goes to, by weight.
//
// Pure: offsets are from the run's start; the caller adds them to its clock. A RateCurve is
// immutable (shared read-only by the workers); an ArrivalSchedule is not thread-safe (one
// per worker).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "scenarios/scenario.h"

namespace stampede::engine {

// Arrivals per second over time, piecewise linear, with its integral Λ(t) = ∫₀ᵗ rate.
// Arrival y is due at Λ⁻¹(y) = inf{t : Λ(t) > y}: with a constant rate R at y / R; on a ramp
// from 0, arrival 0 is due at once; after a pause (rate 0) the next arrival is due where the
// rate rises above 0 again. A curve from a load shape ends with its last stage: it starts
// ceil(Λ(end)) arrivals.
class RateCurve {
 public:
  static RateCurve constant(double rate);  // for ever
  explicit RateCurve(const scenarios::ArrivalShape& shape);

  // Λ(t): the arrivals due by t seconds (as a real); Λ(end) after the end.
  double arrivals_by(double t_s) const;
  // Λ⁻¹(y) in seconds; std::nullopt when the curve ends before Λ passes y. `hint` is a
  // segment index the caller keeps between calls with growing y (start it at 0): amortised
  // O(1) per arrival.
  std::optional<double> time_of(double y, std::size_t& hint) const;
  double end_s() const;  // +infinity for a constant rate

 private:
  struct Segment {
    double from_s, until_s;        // [from_s, until_s)
    double from_rate, to_rate;     // linear between them
    double from_arrivals, until_arrivals;  // Λ at from_s and at until_s
  };
  RateCurve() = default;
  std::vector<Segment> segments_;
};

// One worker's part of the run's schedule.
struct ArrivalPlan {
  double rate = 0;  // the whole run's arrivals per second (with a curve: its highest rate)
  // The rate over time (a scenario's arrival_rate shape); nullptr: `rate` throughout.
  std::shared_ptr<const RateCurve> curve;
  int workers = 1;  // workers sharing the schedule
  int index = 0;    // this worker's place among them
  bool poisson = false;
  std::uint64_t seed = 0;
  int max_users = 1;  // this worker's share of --max-users (>= 1)
  std::chrono::steady_clock::time_point start;
  // The run's length (-t): an arrival due at or after it is not started (R × T arrivals in
  // T seconds, not one more at the very end); nullopt: until stopped.
  std::optional<std::chrono::nanoseconds> until;
};

class ArrivalSchedule {
 public:
  // A constant rate (arrivals per second, > 0), for ever.
  ArrivalSchedule(double rate, int workers, int index, bool poisson, std::uint64_t seed);
  // The rate over time of `curve` (not null).
  ArrivalSchedule(std::shared_ptr<const RateCurve> curve, int workers, int index, bool poisson,
                  std::uint64_t seed);

  // The offset from the start of this worker's next arrival; each call advances by one.
  // Even: computed from the arrival's number (never by adding gaps), so rounding never
  // accumulates into rate loss. Once the curve has ended, kEnded (and ended() is true):
  // check ended() before adding it to a time point.
  std::chrono::nanoseconds next();
  bool ended() const { return ended_; }
  std::uint64_t taken() const { return taken_; }
  static constexpr std::chrono::nanoseconds kEnded = std::chrono::nanoseconds::max();

 private:
  std::shared_ptr<const RateCurve> curve_;
  int workers_;
  int index_;
  bool poisson_;
  std::mt19937_64 rng_;
  double poisson_at_ = 0;  // on the Λ axis
  std::size_t hint_ = 0;
  std::uint64_t taken_ = 0;
  bool ended_ = false;
};

// When a worker's arrival timer wakes, and which arrivals a wake-up starts. A wake-up
// starts every arrival due by then, in order; the next one is at the next arrival's due time,
// but never sooner than `window` after the last wake-up, so arrivals closer together than
// the window (above ~2,000/s per worker with the default) are started in groups from one
// wake-up instead of one timer expiry each (a timer re-armed and an epoll wake-up per
// arrival cost more CPU than the request). Nothing is started early: an arrival is started
// at or after its due time, at most `window` late (plus the timer's own lateness), and it
// keeps its own due time, from which its latency is measured (the coordinated-omission
// correction) and its lag recorded. Pure: the caller passes the clock's readings.
class ArrivalBatcher {
 public:
  using Clock = std::chrono::steady_clock;
  // 0.5 ms: at 10,000/s five arrivals per wake-up; a lag of at most half a millisecond,
  // small against a loopback round trip's spread and far under the 10 ms "late" mark.
  static constexpr std::chrono::microseconds kWindow{500};

  // The arrivals of `schedule` from `start`, those due at or after start + until not taken.
  ArrivalBatcher(ArrivalSchedule schedule, Clock::time_point start, std::optional<std::chrono::nanoseconds> until,
                 std::chrono::nanoseconds window = kWindow);

  // An arrival is left to start.
  bool pending() const { return pending_; }
  Clock::time_point next_due() const { return next_due_; }
  // When to wake next (pending() only).
  Clock::time_point wake_at() const;
  // A wake-up at `now`: call before take().
  void woke(Clock::time_point now) { last_wake_ = now; }
  // The due time of the next arrival if it is due at or before `now` (and moves on to the
  // one after); nullopt otherwise, or when none is left.
  std::optional<Clock::time_point> take(Clock::time_point now);

 private:
  void advance();

  ArrivalSchedule schedule_;
  Clock::time_point start_;
  std::optional<std::chrono::nanoseconds> until_;
  std::chrono::nanoseconds window_;
  Clock::time_point next_due_;
  std::optional<Clock::time_point> last_wake_;
  bool pending_ = false;
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
