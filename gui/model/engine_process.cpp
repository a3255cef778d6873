#include "gui/model/engine_process.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace stampede::gui {

bool engine_gone(const results::RunInfo& info) {
  if (info.status != "running" || !info.pid) return false;
  const std::int64_t id = *info.pid;
  if (id <= 0 || id != static_cast<pid_t>(id)) return false;
  char host[256] = {};
  if (info.hostname.empty() || ::gethostname(host, sizeof host - 1) != 0 || info.hostname != host) return false;
  return ::kill(static_cast<pid_t>(id), 0) == -1 && errno == ESRCH;
}

}  // namespace stampede::gui
