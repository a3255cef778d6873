// A backend started as a child process for the lab: `stampede-server …` with its stdout and
// stderr in a log file, the port it chose read from its "listening on http://HOST:PORT" line,
// and a graceful stop (SIGTERM, then SIGKILL after a timeout) of exactly the PID started.
//
// The child gets its own process group, so a Ctrl-C at the terminal reaches the lab (which
// still wants to ask the server for its counters) and not the server; it is also asked to
// receive SIGTERM if the lab dies (PR_SET_PDEATHSIG), so it never outlives the lab.
//
// Errors: start() and wait_until_listening() throw ServerProcessError whose message names
// the log file (and quotes its last lines when the server died). Not thread-safe: one owner.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

namespace stampede::lab {

class ServerProcessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ServerProcess {
 public:
  // Starts `program args…` with stdin from /dev/null and stdout/stderr appended to `log`
  // (its folder is created). `environment` ("NAME=value") is added to the environment the
  // child inherits, replacing a variable of the same name: the way to hand it a secret that
  // must not show in the process list. With `stderr_log`, stderr goes there instead (the lab
  // quotes a server's own complaint about its flags from it). Throws when the program is not
  // executable or fork fails.
  ServerProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                const std::filesystem::path& log, const std::vector<std::string>& environment = {},
                const std::filesystem::path& stderr_log = {});
  ~ServerProcess();  // stop() with the default timeout
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Waits for the "listening on http://HOST:PORT" line and returns "http://HOST:PORT".
  // Throws when the process exits first or the line does not come within `timeout`.
  std::string wait_until_listening(std::chrono::milliseconds timeout);

  // True while the child has not exited (reaps it when it has).
  bool running();
  // Its exit status as text ("exit code 2", "killed by signal 9"), "" while running.
  std::string exit_description() const { return exit_description_; }

  // SIGTERM, wait up to `grace`, then SIGKILL and wait. Idempotent. Returns true when it
  // stopped within the grace period.
  bool stop(std::chrono::milliseconds grace = std::chrono::seconds(15));

  pid_t pid() const { return pid_; }
  const std::filesystem::path& log() const { return log_; }
  // The last `lines` lines of the log (for error messages).
  std::string log_tail(int lines = 8) const;

 private:
  void reap(int status);

  pid_t pid_ = -1;
  bool exited_ = false;
  std::string exit_description_;
  std::filesystem::path log_;
};

// "http://127.0.0.1:8123" from a server log holding "... listening on http://127.0.0.1:8123\n";
// "" when there is no complete such line yet. Pure.
std::string find_listening_url(const std::string& log_text);

}  // namespace stampede::lab
