#include "generator/engine/user_spawner.h"

#include <iterator>

namespace stampede::engine {

std::uint64_t mix_seed(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

UserSpawner::UserSpawner(const std::vector<scenarios::UserClass>& classes, std::uint64_t seed)
    : plan_(classes), seed_(seed) {}

void UserSpawner::start(WorkerPool& workers, std::size_t class_index) {
  // The k-th running user goes to worker k mod n: a ramp-down stops the newest, so the
  // workers stay even.
  const std::size_t worker = order_.size() % workers.size();
  workers[worker].spawn(class_index, mix_seed(seed_ ^ mix_seed(order_.size() + 1)));
  order_.push_back({worker, class_index});
}

void UserSpawner::toward_total(WorkerPool& workers, int due, int total) {
  const std::size_t none = counts().size();
  while (spawned() < due) {
    const std::size_t cls = plan_.next(total);
    if (cls >= none) break;
    start(workers, cls);
  }
  while (spawned() > total) {
    auto [worker, cls] = order_.back();
    order_.pop_back();
    workers[worker].stop_latest(1);
    plan_.removed(cls);
  }
}

void UserSpawner::toward_classes(WorkerPool& workers, int due, const std::vector<int>& per_class) {
  const std::size_t none = counts().size();
  // Stops first: a class that lost users makes room for one that gained them.
  for (std::size_t cls = plan_.over(per_class); cls < none; cls = plan_.over(per_class)) {
    for (auto it = order_.rbegin(); it != order_.rend(); ++it) {
      if (it->second != cls) continue;
      workers[it->first].stop_latest_of_class(cls, 1);
      order_.erase(std::next(it).base());
      break;
    }
    plan_.removed(cls);
  }
  while (spawned() < due) {
    const std::size_t cls = plan_.next_toward(per_class);
    if (cls >= none) break;
    start(workers, cls);
  }
}

}  // namespace stampede::engine
