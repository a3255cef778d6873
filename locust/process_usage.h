// process_usage: what a worker's heartbeat tells the master about its process: CPU use
// since the last sample (percent of one core, like psutil's cpu_percent that Locust
// sends) and resident memory (bytes), read from /proc/self.
//
// Thread-safety: none; one owner. Never throws: an unreadable /proc gives 0.
#pragma once

#include <chrono>
#include <cstdint>

namespace stampede::locust {

class ProcessUsage {
 public:
  ProcessUsage();
  // CPU percent since the previous call (or construction).
  double cpu_percent();
  static std::uint64_t resident_bytes();

 private:
  double last_cpu_s_ = 0;
  std::chrono::steady_clock::time_point last_at_;
};

}  // namespace stampede::locust
