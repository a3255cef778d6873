#include "generator/engine/spawn_plan.h"

#include <cmath>
#include <limits>

namespace stampede::engine {

SpawnPlan::SpawnPlan(const std::vector<scenarios::UserClass>& classes)
    : classes_(classes), counts_(classes.size(), 0) {}

std::size_t SpawnPlan::next(int total) {
  if (total != cached_total_) {
    targets_ = scenarios::distribute_users(classes_, total);
    cached_total_ = total;
  }
  int spawned = 0;
  for (int c : counts_) spawned += c;
  std::size_t best = classes_.size();
  double best_deficit = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    if (counts_[i] >= targets_[i]) continue;
    // Share of the next (spawned + 1) users this class should have, minus what it has.
    double share = total > 0 ? static_cast<double>(targets_[i]) / total : 0;
    double deficit = share * (spawned + 1) - counts_[i];
    // fixed_count classes are filled first, like Locust.
    if (classes_[i].fixed_count) deficit += 1e9;
    if (deficit > best_deficit) {
      best_deficit = deficit;
      best = i;
    }
  }
  if (best < classes_.size()) ++counts_[best];
  return best;
}

void SpawnPlan::removed(std::size_t class_index) {
  if (class_index < counts_.size() && counts_[class_index] > 0) --counts_[class_index];
}

int users_due(double elapsed_s, double rate, int from, int to) {
  if (to <= from) return to;
  if (rate <= 0 || !std::isfinite(rate)) return to;
  double due = from + std::floor(std::max(0.0, elapsed_s) * rate + 1e-9);
  // The first user of a ramp starts at once (Locust spawns one immediately).
  if (due < from + 1) due = from + 1;
  return due >= to ? to : static_cast<int>(due);
}

}  // namespace stampede::engine
