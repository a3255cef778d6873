// The admin token a server makes for itself when none is given (admin_guard.h says what it
// protects), and the file it leaves it in for the user who started it.
//
// Errors: both functions throw AdminTokenError naming what failed (the file, errno's text).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stampede::server {

class AdminTokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The file name inside the data folder: <data>/admin-token.
inline constexpr const char* kAdminTokenFile = "admin-token";
// Bytes of randomness in a generated token (it is written as twice as many hex digits).
inline constexpr std::size_t kAdminTokenBytes = 32;
// Shortest token --admin-token accepts.
inline constexpr std::size_t kMinAdminTokenLength = 16;

// kAdminTokenBytes from the kernel's CSPRNG (getrandom(2)) as lower-case hex.
std::string generate_admin_token();

// Writes `token` and a newline to `file` readable by its owner only (0600), atomically: a
// temporary file in the same folder (created 0600, never readable by others even for a
// moment) is written, synced and renamed over `file`. Creates the folder when missing.
void write_admin_token_file(const std::filesystem::path& file, std::string_view token);

// Where a server's admin token came from.
enum class AdminTokenSource { flag, environment, config_file, generated };
// "--admin-token", "STAMPEDE_SERVER_ADMIN_TOKEN", "config file (admin_token)", "generated".
std::string_view to_string(AdminTokenSource source);

// The token a server starts with, where it came from, and what became of the token file.
struct AdminTokenChoice {
  std::string token;
  AdminTokenSource source = AdminTokenSource::generated;
  std::filesystem::path file;  // <data>/admin-token
  enum class File {
    written,        // generated: the new token is in `file`
    removed_stale,  // given: `file` held another token (an earlier start's) and was removed
    kept_same,      // given: `file` holds this very token and was left alone
    none,           // given: there was no `file`
  } file_state = File::none;
};

// With a `given` token (from `given_source`), `<data_dir>/admin-token` left by an earlier
// start that generated one would name a token this server refuses: it is removed (a file
// holding the given token stays). Without one (`given` empty), a new token is generated and
// written there (write_admin_token_file). Throws AdminTokenError when the file cannot be
// written or removed.
AdminTokenChoice choose_admin_token(const std::string& given, AdminTokenSource given_source,
                                    const std::filesystem::path& data_dir);

// What a server says at start about its token (never the token itself), e.g. "admin token
// written to /d/admin-token (mode 0600); send it as Authorization: Bearer <token>".
std::string describe(const AdminTokenChoice& choice);

// Why `token` can't be an admin token (too short, a character outside visible ASCII, which
// a header could not carry); nullopt when it can.
std::optional<std::string> check_admin_token(std::string_view token);

}  // namespace stampede::server
