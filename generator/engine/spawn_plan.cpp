#include "generator/engine/spawn_plan.h"

#include <algorithm>
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
  return pick(targets_, total);
}

std::size_t SpawnPlan::next_toward(const std::vector<int>& per_class) {
  std::vector<int> targets(classes_.size(), 0);
  int total = 0;
  for (std::size_t i = 0; i < classes_.size() && i < per_class.size(); ++i) {
    targets[i] = std::max(0, per_class[i]);
    total += targets[i];
  }
  return pick(targets, total);
}

std::size_t SpawnPlan::over(const std::vector<int>& per_class) const {
  std::size_t worst = classes_.size();
  int most = 0;
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    const int allowed = i < per_class.size() ? std::max(0, per_class[i]) : 0;
    if (counts_[i] - allowed > most) {
      most = counts_[i] - allowed;
      worst = i;
    }
  }
  return worst;
}

std::size_t SpawnPlan::pick(const std::vector<int>& targets, int total) {
  int spawned = 0;
  for (int c : counts_) spawned += c;
  std::size_t best = classes_.size();
  double best_deficit = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    if (counts_[i] >= targets[i]) continue;
    // Share of the next (spawned + 1) users this class should have, minus what it has.
    double share = total > 0 ? static_cast<double>(targets[i]) / total : 0;
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
