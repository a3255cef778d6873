#include "reference-server/admin_token.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

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

std::string_view to_string(AdminTokenSource source) {
  switch (source) {
    case AdminTokenSource::flag: return "--admin-token";
    case AdminTokenSource::environment: return "STAMPEDE_SERVER_ADMIN_TOKEN";
    case AdminTokenSource::config_file: return "config file (admin_token)";
    case AdminTokenSource::generated: break;
  }
  return "generated";
}

AdminTokenChoice choose_admin_token(const std::string& given, AdminTokenSource given_source,
                                    const std::filesystem::path& data_dir) {
  AdminTokenChoice choice;
  choice.file = data_dir / kAdminTokenFile;
  if (given.empty()) {
    choice.token = generate_admin_token();
    choice.source = AdminTokenSource::generated;
    write_admin_token_file(choice.file, choice.token);
    choice.file_state = AdminTokenChoice::File::written;
    return choice;
  }
  choice.token = given;
  choice.source = given_source;
  std::ifstream in(choice.file);
  std::string stored;
  if (in && std::getline(in, stored) && stored == given) {
    choice.file_state = AdminTokenChoice::File::kept_same;
    return choice;
  }
  in.close();
  if (::unlink(choice.file.c_str()) == 0) {
    choice.file_state = AdminTokenChoice::File::removed_stale;
  } else if (errno != ENOENT) {
    throw AdminTokenError("cannot remove " + choice.file.string() +
                          ", which holds another admin token than the one given by " +
                          std::string(to_string(given_source)) + ": " +
                          errno_text(errno));
  }
  return choice;
}

std::string describe(const AdminTokenChoice& choice) {
  using File = AdminTokenChoice::File;
  const std::string file = choice.file.string();
  const std::string source(to_string(choice.source));
  switch (choice.file_state) {
    case File::written:
      return "admin token written to " + file + " (mode 0600); send it as Authorization: Bearer <token>";
    case File::removed_stale:
      return "admin endpoints need the token given by " + source + " (Authorization: Bearer ...); removed " +
             file + ", which held another token (an earlier start's)";
    case File::kept_same:
      return "admin endpoints need the token given by " + source +
             " (Authorization: Bearer ...), the one in " + file;
    case File::none:
      break;
  }
  return "admin endpoints need the token given by " + source + " (Authorization: Bearer ...)";
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
