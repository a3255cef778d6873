// run.json contents for the "engine gone" tests: a RunInfo naming an engine process on
// this host, and the id of a process that has certainly exited.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "results/run_result.h"

namespace stampede::gui::testing {

// A child that exited and was reaped: no process has its id until the kernel wraps around
// the whole pid space.
inline pid_t reaped_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

inline std::string this_host() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// What the engine writes at start: status "running", this host, its pid.
inline results::RunInfo engine_info(pid_t pid, const std::string& status = "running") {
  results::RunInfo info;
  info.started_unix_ms = 1795000000000;
  info.status = status;
  info.label = "engine";
  info.hostname = this_host();
  info.pid = pid;
  return info;
}

}  // namespace stampede::gui::testing
