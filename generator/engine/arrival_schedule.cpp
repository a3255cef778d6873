#include "generator/engine/arrival_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace stampede::engine {

RateCurve RateCurve::constant(double rate) {
  RateCurve c;
  const double inf = std::numeric_limits<double>::infinity();
  c.segments_.push_back({0, inf, rate, rate, 0, inf});
  return c;
}

RateCurve::RateCurve(const scenarios::ArrivalShape& shape) {
  double from_s = 0, arrivals = 0;
  for (const scenarios::RateStage& st : shape.stages) {
    const double until_arrivals = arrivals + (st.from_rate + st.to_rate) / 2 * (st.until_s - from_s);
    segments_.push_back({from_s, st.until_s, st.from_rate, st.to_rate, arrivals, until_arrivals});
    from_s = st.until_s;
    arrivals = until_arrivals;
  }
}

double RateCurve::end_s() const { return segments_.empty() ? 0 : segments_.back().until_s; }

double RateCurve::arrivals_by(double t_s) const {
  for (const Segment& s : segments_) {
    if (t_s >= s.until_s) continue;
    const double tau = std::max(0.0, t_s - s.from_s);
    const double slope = s.until_s == s.from_s || std::isinf(s.until_s) ? 0 : (s.to_rate - s.from_rate) / (s.until_s - s.from_s);
    return s.from_arrivals + s.from_rate * tau + slope / 2 * tau * tau;
  }
  return segments_.empty() ? 0 : segments_.back().until_arrivals;
}

std::optional<double> RateCurve::time_of(double y, std::size_t& hint) const {
  if (hint >= segments_.size() || y < segments_[hint].from_arrivals) hint = 0;
  // The first segment whose end is past y (a pause has none of its own: skipped).
  while (hint < segments_.size() && !(segments_[hint].until_arrivals > y)) ++hint;
  if (hint == segments_.size()) return std::nullopt;
  const Segment& s = segments_[hint];
  const double c = y - s.from_arrivals;
  if (c <= 0) return s.from_s;
  // Λ(from + τ) - Λ(from) = b τ + a τ² = c, solved in the form that stays exact when a is 0
  // or tiny (no cancellation): τ = 2c / (b + sqrt(b² + 4ac)).
  const double d = s.until_s - s.from_s;
  const double a = std::isinf(d) ? 0 : (s.to_rate - s.from_rate) / (2 * d);
  const double b = s.from_rate;
  const double tau = 2 * c / (b + std::sqrt(std::max(0.0, b * b + 4 * a * c)));
  return s.from_s + std::clamp(tau, 0.0, d);
}

ArrivalSchedule::ArrivalSchedule(double rate, int workers, int index, bool poisson, std::uint64_t seed)
    : ArrivalSchedule(std::make_shared<const RateCurve>(RateCurve::constant(rate)), workers, index, poisson, seed) {}

ArrivalSchedule::ArrivalSchedule(std::shared_ptr<const RateCurve> curve, int workers, int index, bool poisson,
                                 std::uint64_t seed)
    : curve_(std::move(curve)), workers_(workers < 1 ? 1 : workers), index_(index), poisson_(poisson), rng_(seed) {}

std::chrono::nanoseconds ArrivalSchedule::next() {
  if (ended_) return kEnded;
  double y;
  if (poisson_) {
    // One of `workers` Poisson streams of rate 1/workers on the Λ axis.
    std::exponential_distribution<double> gap(1.0 / workers_);
    poisson_at_ += gap(rng_);
    y = poisson_at_;
  } else {
    y = static_cast<double>(taken_) * workers_ + index_;
  }
  const std::optional<double> at_s = curve_->time_of(y, hint_);
  if (!at_s) {
    ended_ = true;
    return kEnded;
  }
  ++taken_;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(*at_s * 1e9));
}

ArrivalBatcher::ArrivalBatcher(ArrivalSchedule schedule, Clock::time_point start,
                               std::optional<std::chrono::nanoseconds> until, std::chrono::nanoseconds window)
    : schedule_(std::move(schedule)), start_(start), until_(until), window_(window) {
  advance();
}

void ArrivalBatcher::advance() {
  const auto at = schedule_.next();
  pending_ = !schedule_.ended() && !(until_ && at >= *until_);
  if (pending_) next_due_ = start_ + at;
}

ArrivalBatcher::Clock::time_point ArrivalBatcher::wake_at() const {
  if (!last_wake_) return next_due_;
  return std::max(next_due_, *last_wake_ + window_);
}

std::optional<ArrivalBatcher::Clock::time_point> ArrivalBatcher::take(Clock::time_point now) {
  if (!pending_ || next_due_ > now) return std::nullopt;
  const Clock::time_point due = next_due_;
  advance();
  return due;
}

ClassPicker::ClassPicker(const std::vector<scenarios::UserClass>& classes) : counts_(classes.size(), 0) {
  double sum = 0;
  for (const auto& c : classes) sum += c.weight > 0 ? c.weight : 0;
  for (const auto& c : classes)
    shares_.push_back(sum > 0 ? (c.weight > 0 ? c.weight / sum : 0) : 1.0 / static_cast<double>(classes.size()));
}

std::size_t ClassPicker::next() {
  std::size_t best = 0;
  double best_deficit = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < shares_.size(); ++i) {
    if (shares_[i] <= 0) continue;
    const double deficit = shares_[i] * static_cast<double>(total_ + 1) - static_cast<double>(counts_[i]);
    if (deficit > best_deficit) {
      best_deficit = deficit;
      best = i;
    }
  }
  ++total_;
  if (!counts_.empty()) ++counts_[best];
  return best;
}

}  // namespace stampede::engine
