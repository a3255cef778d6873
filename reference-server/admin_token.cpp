#include "reference-server/admin_token.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace stampede::server {

namespace {

std::string errno_text(int error) { return std::strerror(error); }

// Closes the descriptor and removes the temporary file unless released.
class TempFile {
 public:
  TempFile(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }
  void keep() { kept_ = true; }

 private:
  std::filesystem::path path_;
  int fd_;
  bool kept_ = false;
};

}  // namespace

std::string generate_admin_token() {
  std::array<unsigned char, kAdminTokenBytes> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw AdminTokenError("cannot make an admin token: getrandom: " + errno_text(errno));
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(2 * bytes.size());
  for (unsigned char b : bytes) {
    token.push_back(kHex[b >> 4]);
    token.push_back(kHex[b & 0xf]);
  }
  return token;
}

void write_admin_token_file(const std::filesystem::path& file, std::string_view token) {
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw AdminTokenError("cannot create " + folder.string() + " for the admin token: " + ec.message());

  std::filesystem::path temp = file;
  temp += ".tmp-" + std::to_string(::getpid());
  ::unlink(temp.c_str());  // a leftover of an earlier process with the same pid
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw AdminTokenError("cannot write " + temp.string() + ": " + errno_text(errno));
  TempFile guard(temp, fd);
  if (::fchmod(fd, 0600) != 0) {  // the umask may have taken the owner's bits too
    throw AdminTokenError("cannot set the mode of " + temp.string() + ": " + errno_text(errno));
  }
  const std::string content = std::string(token) + "\n";
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw AdminTokenError("cannot write " + temp.string() + ": " + errno_text(errno));
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) throw AdminTokenError("cannot sync " + temp.string() + ": " + errno_text(errno));
  if (guard.close() != 0) throw AdminTokenError("cannot write " + temp.string() + ": " + errno_text(errno));
  if (::rename(temp.c_str(), file.c_str()) != 0) {
    throw AdminTokenError("cannot replace " + file.string() + ": " + errno_text(errno));
  }
  guard.keep();
}

std::optional<std::string> check_admin_token(std::string_view token) {
  if (token.size() < kMinAdminTokenLength) {
    return "expected at least " + std::to_string(kMinAdminTokenLength) + " characters, got " +
           std::to_string(token.size());
  }
  for (char c : token) {
    if (c < '!' || c > '~') return "expected visible ASCII characters only (no spaces or control characters)";
  }
  return std::nullopt;
}

}  // namespace stampede::server
