// Spawn planning for the closed model: which user class the next user belongs to, and
// how many users should be running at a given moment of a ramp. Pure: time is a parameter.
// Two kinds of target: a total that the scenario's weights and fixed counts distribute
// (`stampede run`), or a count per class set from outside (a Locust master's spawn message,
// `stampede worker`).
#pragma once

#include <cstddef>
#include <vector>

#include "scenarios/scenario.h"

namespace stampede::engine {

// Chooses classes so that at every step the running mix is as close as possible to the
// final mix for `total` users (fixed_count classes first, then weights): user k goes to the
// class furthest below its share of k+1 users. Deterministic.
class SpawnPlan {
 public:
  explicit SpawnPlan(const std::vector<scenarios::UserClass>& classes);

  // Class index of the next user to spawn when the target is `total` users. Returns
  // classes.size() when every class already has its share (can't spawn more).
  std::size_t next(int total);
  // Class index of the next user toward `per_class` users of each class (indexed like the
  // classes): the class furthest below its share of the next user, fixed_count classes
  // first. Returns classes.size() when every class has its count.
  std::size_t next_toward(const std::vector<int>& per_class);
  // A class that has more users than `per_class` allows (the one furthest above), or
  // classes.size() when none has.
  std::size_t over(const std::vector<int>& per_class) const;
  // A user of `class_index` was stopped (ramp-down).
  void removed(std::size_t class_index);

  const std::vector<int>& counts() const { return counts_; }

 private:
  std::size_t pick(const std::vector<int>& targets, int total);

  const std::vector<scenarios::UserClass>& classes_;
  std::vector<int> counts_;
  int cached_total_ = -1;
  std::vector<int> targets_;
};

// Users that should be running `elapsed_s` seconds after a ramp began with `from` users
// towards `to` users at `rate` users/second (rate <= 0 means all at once).
int users_due(double elapsed_s, double rate, int from, int to);

}  // namespace stampede::engine
