// Test helper: Debian's real Locust master (/usr/bin/locust, python3-locust 2.12.1) as a
// child process on 127.0.0.1, headless, with a --csv prefix; killed by its PID when the
// test ends if it has not exited by itself. And readers of what it writes.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace stampede::locust::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A Locust master started with posix_spawn; killed by its PID if still there at the end.
class Master {
 public:
  // `locust -f dir/master.py --master --headless -u users -r 100 -t run_time --expect-workers 1`
  Master(const fs::path& dir, std::uint16_t port, const std::string& run_time, int users = 4) {
    const std::string log = (dir / "master.log").string();
    std::vector<std::string> args{"/usr/bin/locust", "-f", (dir / "master.py").string(), "--master", "--headless",
                                  "-u", std::to_string(users), "-r", "100", "-t", run_time, "--expect-workers", "1",
                                  "--master-bind-host", "127.0.0.1", "--master-bind-port", std::to_string(port),
                                  "--csv", (dir / "m").string(), "--only-summary", "--loglevel", "INFO",
                                  "--logfile", log};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, (dir / "master.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Master() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool started() const { return pid_ > 0; }
  // SIGKILL now (a master that dies without a word), and reaped.
  void kill() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      exited_ = true;
    }
  }
  // Waits up to `bound` for the master to exit by itself; its exit status, or -1.
  int wait(std::chrono::seconds bound) {
    const auto until = Clock::now() + bound;
    while (Clock::now() < until) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(100ms);
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
};

struct CsvRow {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
};

// m_stats.csv: Type,Name,Request Count,Failure Count,... -> (type, name) -> counts.
inline std::map<std::pair<std::string, std::string>, CsvRow> read_stats_csv(const fs::path& file) {
  std::map<std::pair<std::string, std::string>, CsvRow> rows;
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (cells.size() < 4) continue;
    rows[{cells[0], cells[1]}] = {std::stoull(cells[2]), std::stoull(cells[3])};
  }
  return rows;
}

inline std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace stampede::locust::testing
