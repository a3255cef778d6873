#include "generator/engine/user_control.h"

#include <utility>

namespace stampede::engine {

void UserControl::set_users(std::vector<int> per_class, double spawn_rate) {
  std::lock_guard lock(mutex_);
  targets_.per_class = std::move(per_class);
  targets_.spawn_rate = spawn_rate;
  ++targets_.generation;
}

void UserControl::finish(std::string reason) {
  std::lock_guard lock(mutex_);
  if (!finish_reason_) finish_reason_ = std::move(reason);
}

std::vector<results::HistoryPoint> UserControl::take_history() {
  std::lock_guard lock(mutex_);
  return std::exchange(history_, {});
}

std::vector<results::FailureStats> UserControl::take_failures() {
  std::lock_guard lock(mutex_);
  return std::exchange(failures_, {});
}

std::vector<int> UserControl::spawned() const {
  std::lock_guard lock(mutex_);
  return spawned_;
}

bool UserControl::all_published() const {
  std::lock_guard lock(mutex_);
  return all_published_;
}

void UserControl::mark_published() {
  std::lock_guard lock(mutex_);
  all_published_ = true;
}

UserControl::Targets UserControl::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

std::optional<std::string> UserControl::finish_reason() const {
  std::lock_guard lock(mutex_);
  return finish_reason_;
}

void UserControl::publish(results::HistoryPoint point, std::vector<results::FailureStats> failures) {
  std::lock_guard lock(mutex_);
  history_.push_back(std::move(point));
  for (auto& f : failures) failures_.push_back(std::move(f));
}

void UserControl::set_spawned(const std::vector<int>& per_class) {
  std::lock_guard lock(mutex_);
  spawned_ = per_class;
}

std::vector<results::FailureStats> failure_rows(const std::vector<Interval>& intervals,
                                                const std::vector<scenarios::Endpoint>& endpoints) {
  std::vector<results::FailureStats> rows;
  for (const Interval& in : intervals)
    for (const auto& [key, count] : in.failures) {
      if (key.first >= endpoints.size()) continue;
      rows.push_back({endpoints[key.first].method, endpoints[key.first].name, key.second, count});
    }
  return rows;
}

}  // namespace stampede::engine
