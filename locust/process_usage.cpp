#include "locust/process_usage.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace stampede::locust {
namespace {

// utime + stime of this process, seconds (fields 14 and 15 of /proc/self/stat; the command
// name in field 2 may hold spaces, so count from its closing parenthesis).
double process_cpu_s() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(utime + stime) / static_cast<double>(ticks) : 0;
}

}  // namespace

ProcessUsage::ProcessUsage() : last_cpu_s_(process_cpu_s()), last_at_(std::chrono::steady_clock::now()) {}

double ProcessUsage::cpu_percent() {
  const double cpu_s = process_cpu_s();
  const auto now = std::chrono::steady_clock::now();
  const double wall_s = std::chrono::duration<double>(now - last_at_).count();
  const double percent = wall_s > 0 ? 100.0 * (cpu_s - last_cpu_s_) / wall_s : 0;
  last_cpu_s_ = cpu_s;
  last_at_ = now;
  return percent < 0 ? 0 : percent;
}

std::uint64_t ProcessUsage::resident_bytes() {
  std::ifstream in("/proc/self/statm");
  unsigned long long size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace stampede::locust
