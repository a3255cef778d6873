// The open model's schedule over a rate that changes (a scenario's arrival_rate load shape):
// arrival k due at Λ⁻¹(k) where Λ is the integral of the piecewise-linear rate; ramps, steps,
// holds, pauses, the per-worker split and Poisson on the Λ axis; the batcher that starts
// the arrivals of one timer wake-up. Pure arithmetic: no clock (the batcher's is simulated).
#include "generator/engine/arrival_schedule.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

namespace stampede::engine {
namespace {

// Stages as (duration s, from rate, to rate).
std::shared_ptr<const RateCurve> curve(std::initializer_list<std::array<double, 3>> stages) {
  scenarios::ArrivalShape shape;
  double until = 0;
  for (const auto& [d, from, to] : stages) shape.stages.push_back({until += d, from, to});
  return std::make_shared<const RateCurve>(shape);
}

// Every due time (seconds) of one worker's schedule until it ends.
std::vector<double> due_times(const std::shared_ptr<const RateCurve>& c, int workers = 1, int index = 0,
                              bool poisson = false, std::uint64_t seed = 1) {
  ArrivalSchedule s(c, workers, index, poisson, seed);
  std::vector<double> out;
  for (;;) {
    const auto at = s.next();
    if (s.ended()) {
      EXPECT_EQ(at, ArrivalSchedule::kEnded);
      break;
    }
    out.push_back(static_cast<double>(at.count()) / 1e9);
    if (out.size() > 1'000'000) {
      ADD_FAILURE() << "the schedule does not end";
      break;
    }
  }
  EXPECT_EQ(s.next(), ArrivalSchedule::kEnded) << "ended stays ended";
  return out;
}

// Ramp 0 -> 100/s over 10 s: Λ(t) = 5 t², so 500 arrivals, arrival k at sqrt(k / 5).
TEST(RateCurveSchedule, RampFromZeroIsSqrtSpaced) {
  const auto c = curve({{10, 0, 100}});
  EXPECT_DOUBLE_EQ(c->arrivals_by(10), 500);
  EXPECT_DOUBLE_EQ(c->arrivals_by(5), 125);
  const auto t = due_times(c);
  ASSERT_EQ(t.size(), 500u);
  EXPECT_EQ(t[0], 0.0) << "on a ramp from 0, arrival 0 is due at once";
  for (std::size_t k : {1u, 5u, 125u, 320u, 499u})
    EXPECT_NEAR(t[k], std::sqrt(static_cast<double>(k) / 5), 1e-9) << "arrival " << k;
  EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
  EXPECT_LT(t.back(), 10.0);
  // Half of the arrivals come in the last 2.93 s (Λ = 250 at sqrt(50) = 7.07 s, where arrival
  // 250 is due).
  EXPECT_EQ(std::count_if(t.begin(), t.end(), [](double x) { return x < std::sqrt(50.0) - 1e-6; }), 250);
}

TEST(RateCurveSchedule, RampDownEndsBeforeTheEnd) {
  const auto c = curve({{10, 100, 0}});  // Λ(t) = 100 t - 5 t²
  const auto t = due_times(c);
  ASSERT_EQ(t.size(), 500u);
  for (std::size_t k = 0; k < t.size(); k += 37)
    EXPECT_NEAR(c->arrivals_by(t[k]), static_cast<double>(k), 1e-6) << "arrival " << k;
  EXPECT_LT(t.back(), 10.0);
  EXPECT_GT(t.back(), 9.0) << "the last gap is long: the rate is near 0";
}

TEST(RateCurveSchedule, HoldIsTheConstantSchedule) {
  const auto t = due_times(curve({{4, 50, 50}}));
  ASSERT_EQ(t.size(), 200u);
  ArrivalSchedule constant(50, 1, 0, false, 1);
  for (std::size_t k = 0; k < t.size(); ++k)
    EXPECT_NEAR(t[k], static_cast<double>(constant.next().count()) / 1e9, 1e-9) << "arrival " << k;
}

TEST(RateCurveSchedule, StepChangesTheSpacingAtOnce) {
  const auto t = due_times(curve({{2, 10, 10}, {1, 100, 100}}));
  ASSERT_EQ(t.size(), 120u);  // 20 + 100
  EXPECT_NEAR(t[19], 1.9, 1e-9);
  EXPECT_NEAR(t[20], 2.0, 1e-9);
  EXPECT_NEAR(t[21], 2.01, 1e-9);
  EXPECT_NEAR(t[119], 2.99, 1e-9);
}

TEST(RateCurveSchedule, APauseHasNoArrivals) {
  const auto t = due_times(curve({{1, 10, 10}, {1, 0, 0}, {1, 10, 10}}));
  ASSERT_EQ(t.size(), 20u);
  EXPECT_NEAR(t[9], 0.9, 1e-9);
  EXPECT_NEAR(t[10], 2.0, 1e-9) << "the next arrival waits for the rate to rise again";
  EXPECT_NEAR(t[19], 2.9, 1e-9);
}

TEST(RateCurveSchedule, APauseFirstDelaysTheFirstArrival) {
  const auto t = due_times(curve({{3, 0, 0}, {2, 0, 10}}));  // Λ = 10 after the ramp
  ASSERT_EQ(t.size(), 10u);
  EXPECT_NEAR(t[0], 3.0, 1e-9);
  EXPECT_NEAR(t[1], 3 + std::sqrt(1 / 2.5), 1e-9);
}

TEST(RateCurveSchedule, AFractionalTotalStartsItsCeiling) {
  EXPECT_EQ(due_times(curve({{3, 0, 1}})).size(), 2u);  // Λ(end) = 1.5
  EXPECT_EQ(due_times(curve({{2, 0, 1}})).size(), 1u);  // Λ(end) = 1: arrival 1 would be due at the end
}

TEST(RateCurveSchedule, WorkersTogetherMakeTheOneSchedule) {
  const auto c = curve({{5, 0, 60}, {2, 60, 60}, {1, 0, 0}, {3, 200, 20}});
  const auto one = due_times(c);
  for (int workers : {2, 3, 7}) {
    std::vector<double> all;
    for (int w = 0; w < workers; ++w) {
      const auto part = due_times(c, workers, w);
      for (std::size_t i = 0; i < part.size(); ++i)
        EXPECT_NEAR(part[i], one[i * static_cast<std::size_t>(workers) + static_cast<std::size_t>(w)], 1e-12)
            << "worker " << w << " of " << workers << " owns every " << workers << "th arrival";
      all.insert(all.end(), part.begin(), part.end());
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all.size(), one.size()) << workers << " workers";
  }
}

// Poisson on the Λ axis: over a ramp 0 -> 1000/s in 10 s (Λ = 5000), about 5000 arrivals
// (sd ~71), about 1250 of them in the first 5 s (sd ~35); the same seed gives the same times.
TEST(RateCurveSchedule, PoissonFollowsTheRampAndIsSeeded) {
  const auto c = curve({{10, 0, 1000}});
  std::vector<double> all;
  for (int w = 0; w < 2; ++w) {
    const auto part = due_times(c, 2, w, true, 11 + static_cast<std::uint64_t>(w));
    EXPECT_EQ(part, due_times(c, 2, w, true, 11 + static_cast<std::uint64_t>(w)));
    EXPECT_NE(part, due_times(c, 2, w, true, 99));
    EXPECT_TRUE(std::is_sorted(part.begin(), part.end()));
    all.insert(all.end(), part.begin(), part.end());
  }
  EXPECT_NEAR(static_cast<double>(all.size()), 5000, 400);
  const auto first_half = std::count_if(all.begin(), all.end(), [](double x) { return x < 5; });
  EXPECT_NEAR(static_cast<double>(first_half), 1250, 200);
  EXPECT_LT(*std::max_element(all.begin(), all.end()), 10.0);
}

TEST(RateCurveSchedule, AConstantRateNeverEnds) {
  const RateCurve c = RateCurve::constant(20);
  EXPECT_TRUE(std::isinf(c.end_s()));
  EXPECT_DOUBLE_EQ(c.arrivals_by(3), 60);
  std::size_t hint = 0;
  EXPECT_NEAR(*c.time_of(1e9, hint), 5e7, 1e-6);
  ArrivalSchedule s(20, 1, 0, false, 1);
  for (int k = 0; k < 1000; ++k) s.next();
  EXPECT_FALSE(s.ended());
}

// The wake-ups of one worker's timer, simulated with a clock of our own: each wake-up comes
// `late` after the time the batcher asked for. Returns the due times started, in order, and
// checks that no arrival started before its due time nor more than `bound` after it.
struct Woken {
  std::vector<ArrivalBatcher::Clock::time_point> started;
  int wakeups = 0;
};
Woken wake_through(ArrivalBatcher& batch, std::chrono::nanoseconds late, std::chrono::nanoseconds bound) {
  Woken w;
  while (batch.pending() && w.started.size() < 1'000'000) {
    const auto now = batch.wake_at() + late;
    batch.woke(now);
    ++w.wakeups;
    while (const auto due = batch.take(now)) {
      EXPECT_LE(*due, now) << "arrival " << w.started.size() << " started before it was due";
      EXPECT_LE(now - *due, bound) << "arrival " << w.started.size();
      w.started.push_back(*due);
    }
  }
  return w;
}

// 10,000/s for 1 s: every arrival keeps its own due time (the schedule's, to the
// nanosecond), none is started early, none more than the window (plus the timer's
// lateness) late, and the 10,000 arrivals take 2,000 wake-ups (5 per 0.5 ms), not 10,000.
TEST(ArrivalBatcher, AWakeUpStartsTheArrivalsOfItsWindowEachWithItsOwnDueTime) {
  using namespace std::chrono_literals;
  const ArrivalBatcher::Clock::time_point start{1h};
  ArrivalBatcher batch(ArrivalSchedule(10'000, 1, 0, false, 1), start, 1s);
  const Woken w = wake_through(batch, 20us, ArrivalBatcher::kWindow + 20us);
  ASSERT_EQ(w.started.size(), 10'000u) << "R x T arrivals, the last due before the end";
  ArrivalSchedule truth(10'000, 1, 0, false, 1);
  for (std::size_t k = 0; k < w.started.size(); ++k)
    ASSERT_EQ(w.started[k], start + truth.next()) << "arrival " << k << " lost its intended time";
  EXPECT_LE(w.wakeups, 2'001);
  EXPECT_GE(w.wakeups, 1'800);
}

// Arrivals further apart than the window wake the timer at their own due time: one wake-up
// each, no lag added (100/s, and a Poisson schedule whose close arrivals share a wake-up).
TEST(ArrivalBatcher, ArrivalsFurtherApartThanTheWindowWakeAtTheirDueTime) {
  using namespace std::chrono_literals;
  const ArrivalBatcher::Clock::time_point start{1h};
  ArrivalBatcher even(ArrivalSchedule(100, 1, 0, false, 1), start, 2s);
  const Woken w = wake_through(even, 0ns, 0ns);
  EXPECT_EQ(w.started.size(), 200u);
  EXPECT_EQ(w.wakeups, 200);

  ArrivalBatcher poisson(ArrivalSchedule(1'000, 2, 1, true, 5), start, 2s);
  const Woken p = wake_through(poisson, 0ns, ArrivalBatcher::kWindow);
  ArrivalSchedule truth(1'000, 2, 1, true, 5);
  std::size_t k = 0;
  for (auto at = truth.next(); at < 2s; at = truth.next(), ++k) {
    ASSERT_LT(k, p.started.size());
    EXPECT_EQ(p.started[k], start + at) << "arrival " << k;
  }
  EXPECT_EQ(p.started.size(), k);
  EXPECT_LT(p.wakeups, static_cast<int>(k)) << "some Poisson arrivals fall within one window";
}

// A timer that fires far late (the generator out of CPU) starts everything due by then in
// one wake-up, each arrival still with its own due time.
TEST(ArrivalBatcher, ALateWakeUpStartsEverythingDueByThen) {
  using namespace std::chrono_literals;
  const ArrivalBatcher::Clock::time_point start{1h};
  ArrivalBatcher batch(ArrivalSchedule(1'000, 1, 0, false, 1), start, std::nullopt);
  ASSERT_TRUE(batch.pending());
  EXPECT_EQ(batch.wake_at(), start);
  const auto now = start + 50ms + 300us;
  batch.woke(now);
  std::vector<ArrivalBatcher::Clock::time_point> started;
  while (const auto due = batch.take(now)) started.push_back(*due);
  ASSERT_EQ(started.size(), 51u);
  for (std::size_t k = 0; k < started.size(); ++k) EXPECT_EQ(started[k], start + std::chrono::milliseconds(k));
  EXPECT_EQ(batch.next_due(), start + 51ms);
  EXPECT_EQ(batch.wake_at(), start + 51ms) << "the next arrival is more than a window after the wake-up";
}

}  // namespace
}  // namespace stampede::engine
