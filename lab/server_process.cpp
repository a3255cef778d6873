#include "lab/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <string_view>
#include <fstream>
#include <sstream>
#include <thread>

namespace stampede::lab {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// This process's environment with `extra` ("NAME=value") added, replacing same names.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  const auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    bool replaced = false;
    for (const auto& x : extra) replaced = replaced || name_of(x) == name_of(entry);
    if (!replaced) out.emplace_back(entry);
  }
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

}  // namespace

std::string find_listening_url(const std::string& log_text) {
  static constexpr std::string_view kMarker = "listening on ";
  std::size_t at = log_text.find(kMarker);
  if (at == std::string::npos) return "";
  std::size_t begin = at + kMarker.size();
  std::size_t end = log_text.find('\n', begin);
  if (end == std::string::npos) return "";  // the line is not complete yet
  std::string url = log_text.substr(begin, end - begin);
  while (!url.empty() && (url.back() == '\r' || url.back() == ' ')) url.pop_back();
  if (!url.starts_with("http://") || url.rfind(':') <= 5) return "";
  return url;
}

ServerProcess::ServerProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                             const std::filesystem::path& log, const std::vector<std::string>& environment,
                             const std::filesystem::path& stderr_log)
    : log_(log) {
  if (::access(program.c_str(), X_OK) != 0)
    throw ServerProcessError("cannot run " + program.string() + ": " + std::strerror(errno));
  if (log.has_parent_path()) std::filesystem::create_directories(log.parent_path());
  int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw ServerProcessError("cannot write " + log.string() + ": " + std::strerror(errno));
  int err_fd = log_fd;
  if (!stderr_log.empty()) {
    err_fd = ::open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (err_fd < 0) {
      const int e = errno;
      ::close(log_fd);
      throw ServerProcessError("cannot write " + stderr_log.string() + ": " + std::strerror(e));
    }
  }
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);

  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<std::string> storage;
  storage.push_back(program.string());
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = child_environment(environment);
  std::vector<char*> envp;
  for (auto& s : env_storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) {
    int e = errno;
    ::close(log_fd);
    if (err_fd != log_fd) ::close(err_fd);
    if (null_fd >= 0) ::close(null_fd);
    throw ServerProcessError(std::string("fork failed: ") + std::strerror(e));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the lab died before prctl took effect
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    // The parent ignores SIGPIPE and may block signals; the server expects defaults.
    ::signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    const char msg[] = "stampede lab: exec of the server failed\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  pid_ = pid;
  ::close(log_fd);
  if (err_fd != log_fd) ::close(err_fd);
  if (null_fd >= 0) ::close(null_fd);
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::reap(int status) {
  exited_ = true;
  exit_description_ = describe_status(status);
}

bool ServerProcess::running() {
  if (pid_ <= 0 || exited_) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reap(status);
    return false;
  }
  return true;
}

std::string ServerProcess::wait_until_listening(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string url = find_listening_url(read_text(log_));
    if (!url.empty()) return url;
    if (!running())
      throw ServerProcessError("the server exited (" + exit_description_ + ") before listening; its log " +
                               log_.string() + " ends with:\n" + log_tail());
    if (std::chrono::steady_clock::now() >= deadline)
      throw ServerProcessError("the server did not say where it listens within " +
                               std::to_string(timeout.count() / 1000) + " s; see " + log_.string() +
                               ", which ends with:\n" + log_tail());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool ServerProcess::stop(std::chrono::milliseconds grace) {
  if (!running()) return true;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  if (::waitpid(pid_, &status, 0) == pid_) reap(status);
  return false;
}

std::string ServerProcess::log_tail(int lines) const {
  std::istringstream in(read_text(log_));
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "  | " + l + "\n";
  return out.empty() ? "  | (empty)\n" : out;
}

}  // namespace stampede::lab
