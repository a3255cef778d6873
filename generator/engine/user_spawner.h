// UserSpawner: the closed model's users over the run's workers, for the control loop. Users
// are started toward a target — a total in the scenario's mix (`stampede run`, a load
// shape's stage) or a count per class (`stampede worker`, a Locust master's spawn) — each on
// the next worker in turn, and stopped gracefully when the target drops: the newest first,
// of any class for a total, of the class above its count for per-class targets.
//
// Seeds: the k-th running user gets a seed mixed from the run's seed and k, so a run with
// --seed repeats.
// Thread-safety: the control thread only (like WorkerPool).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "generator/engine/spawn_plan.h"
#include "generator/engine/worker_pool.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

class UserSpawner {
 public:
  UserSpawner(const std::vector<scenarios::UserClass>& classes, std::uint64_t seed);

  // Starts users until `due` run (at most `total`, in the mix of `total` users); stops the
  // newest users beyond `total`.
  void toward_total(WorkerPool& workers, int due, int total);
  // Stops users of classes above their count in `per_class`, newest first; then starts
  // users until `due` run, each of the class furthest below its share of `per_class`.
  void toward_classes(WorkerPool& workers, int due, const std::vector<int>& per_class);

  int spawned() const { return static_cast<int>(order_.size()); }
  // Users started and not stopped, per class (indexed like the classes).
  const std::vector<int>& counts() const { return plan_.counts(); }

 private:
  void start(WorkerPool& workers, std::size_t class_index);

  SpawnPlan plan_;
  std::uint64_t seed_;
  std::vector<std::pair<std::size_t, std::size_t>> order_;  // (worker, class), spawn order
};

// SplitMix64's finaliser: spreads a run's seed over its users.
std::uint64_t mix_seed(std::uint64_t x);

}  // namespace stampede::engine
