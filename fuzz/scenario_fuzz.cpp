// Scenario files: the bytes as the text of a scenario file, through what
// `stampede-scenario-check --render` does with it (Scenario::load reads the file and calls
// parse_text): validate, and for a valid scenario preview a few requests of every class,
// split users over the classes and follow the load shape. Every problem must come out as
// a ScenarioError; anything else (a crash, another exception, a sanitizer report) is a bug.
//
// A load_shape in its arrival_rate form (arrival_shape(), the open model) is also followed
// the way a run follows it: the rate at points of every stage, the arrivals it starts, the
// engine's RateCurve and two workers' ArrivalSchedules (even and Poisson) and the class of
// each arrival. What the validator let through must hold up there: rates within [0, peak],
// arrivals due inside the shape and in order, ceil(Λ(end)) arrivals in all when the shape
// is short; a broken promise aborts (a finding).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>
#include <vector>

#include "generator/engine/arrival_schedule.h"
#include "scenarios/limits.h"
#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace {

using namespace stampede::scenarios;
using stampede::engine::ArrivalSchedule;
using stampede::engine::ClassPicker;
using stampede::engine::RateCurve;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "arrival_rate shape: %s\n", what);
  std::abort();
}

// Each worker takes at most this many arrivals: bounded work per input, whatever the rate.
constexpr int kArrivalsPerWorker = 64;

// One worker's first arrivals: inside [0, end], in order (a microsecond of rounding allowed).
// Returns how many it took before its schedule ended (kArrivalsPerWorker + 1: not ended).
int follow_schedule(ArrivalSchedule schedule, double end_s) {
  const auto end = std::chrono::nanoseconds(static_cast<std::int64_t>(end_s * 1e9));
  const auto slack = std::chrono::microseconds(1);
  std::chrono::nanoseconds last{0};
  for (int i = 0; i < kArrivalsPerWorker; ++i) {
    const std::chrono::nanoseconds at = schedule.next();
    if (schedule.ended()) {
      require(at == ArrivalSchedule::kEnded, "an ended schedule must answer kEnded");
      require(schedule.next() == ArrivalSchedule::kEnded, "a schedule must stay ended");
      return i;
    }
    require(at.count() >= 0, "an arrival due before the start");
    require(at <= end + slack, "an arrival due after the shape's end");
    require(at + slack >= last, "arrivals out of order");
    last = at;
  }
  return kArrivalsPerWorker + 1;
}

void follow_arrival_shape(const Scenario& scenario, const ArrivalShape& shape) {
  require(!shape.stages.empty(), "no stage");
  double from_s = 0;
  for (const RateStage& st : shape.stages) {
    require(st.until_s > from_s, "a stage that does not last");
    require(st.from_rate >= 0 && st.to_rate >= 0, "a negative rate");
    from_s = st.until_s;
  }
  const double end = shape.end_s();
  require(end == shape.stages.back().until_s && end <= kMaxArrivalShapeSeconds, "end_s");
  const double peak = shape.peak_rate();
  require(peak > 0 && peak <= kMaxArrivalRatePerSecond, "peak_rate outside (0, the limit]");
  const double expected = shape.expected_arrivals();
  require(std::isfinite(expected) && expected >= 1, "expected_arrivals below 1 passed the validator");

  // The rate at the start, a third and the middle of a stage, and just before its end; of
  // every stage, or of about 64 spread over a long shape (Λ costs a pass over the stages).
  std::vector<double> points;
  const std::size_t step = std::max<std::size_t>(1, shape.stages.size() / 64);
  for (std::size_t i = 0; i < shape.stages.size(); i += step) {
    const double from = i == 0 ? 0 : shape.stages[i - 1].until_s, until = shape.stages[i].until_s;
    for (double f : {0.0, 1.0 / 3, 0.5}) points.push_back(from + (until - from) * f);
    points.push_back(std::nextafter(until, from));
  }
  for (double t : points) {
    const auto rate = shape.rate_at(t);
    require(rate.has_value(), "no rate inside the shape");
    require(*rate >= 0 && *rate <= peak * (1 + 1e-12), "a rate outside [0, peak_rate]");
  }
  require(!shape.rate_at(end).has_value() && !shape.rate_at(end + 1).has_value(), "a rate after the end");
  require(!shape.rate_at(-1).has_value(), "a rate before the start");

  // The engine's curve: Λ grows, and reaches the shape's expected arrivals at its end.
  const auto curve = std::make_shared<const RateCurve>(shape);
  require(curve->end_s() == end, "RateCurve::end_s differs from the shape's");
  double before = 0;
  for (double t : points) {
    const double by = curve->arrivals_by(t);
    require(by + 1e-9 * expected >= before, "Λ decreases");
    before = by;
  }
  require(std::abs(curve->arrivals_by(end) - expected) <= 1e-9 * expected, "Λ(end) differs from expected_arrivals");

  // Two workers share the schedule, as two threads of a run do.
  const int even = follow_schedule(ArrivalSchedule(curve, 2, 0, false, 1), end) +
                   follow_schedule(ArrivalSchedule(curve, 2, 1, false, 1), end);
  if (even <= 2 * kArrivalsPerWorker)  // both ended: the whole schedule was taken
    require(static_cast<double>(even) == std::ceil(expected), "an even schedule starts other than ceil(Λ(end)) arrivals");
  (void)follow_schedule(ArrivalSchedule(curve, 2, 0, true, 7), end);
  (void)follow_schedule(ArrivalSchedule(curve, 2, 1, true, 8), end);

  ClassPicker picker(scenario.user_classes());
  for (int i = 0; i < 16; ++i) require(picker.next() < scenario.user_classes().size(), "a class that does not exist");
}

void preview(const Scenario& scenario) {
  std::uint64_t seed = 1;
  for (const UserClass& cls : scenario.user_classes()) {
    UserSession session(cls, Rng(seed++));
    RenderedRequest out;
    for (int i = 0; i < 4; ++i) {
      const RequestRef ref = session.next();
      session.render(ref, out);
      // The engine's answer to a request that got a small JSON body back.
      (void)session.check(ref, 200, R"({"grab_status":1,"coupon_id":7,"coupons":[{"coupon_id":3}]})");
      (void)session.task_finished();
      (void)session.wait_after(std::chrono::milliseconds(5));
    }
  }
  (void)distribute_users(scenario.user_classes(), 100);
  if (const auto& shape = scenario.load_shape()) {
    for (double t : {0.0, 1.0, 59.5, 3600.0}) (void)shape->at(t);
  }
  if (const auto& arrivals = scenario.arrival_shape()) {
    require(!scenario.load_shape().has_value(), "both load_shape forms at once");
    follow_arrival_shape(scenario, *arrivals);
  }
  (void)scenario.filtered({}, {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    preview(Scenario::parse_text(text, "fuzz.json"));
  } catch (const ScenarioError&) {
    // The validator's answer to bad input: expected.
  }
  return 0;
}
