#include "generator/engine/arrival_schedule.h"

#include <cmath>
#include <limits>

namespace stampede::engine {

ArrivalSchedule::ArrivalSchedule(double rate, int workers, int index, bool poisson, std::uint64_t seed)
    : rate_(rate), workers_(workers < 1 ? 1 : workers), index_(index), poisson_(poisson), rng_(seed) {}

std::chrono::nanoseconds ArrivalSchedule::next() {
  double at_s;
  if (poisson_) {
    std::exponential_distribution<double> gap(rate_ / workers_);
    poisson_at_s_ += gap(rng_);
    at_s = poisson_at_s_;
  } else {
    const double k = static_cast<double>(taken_) * workers_ + index_;
    at_s = k / rate_;
  }
  ++taken_;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(at_s * 1e9));
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
