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

// Why `token` can't be an admin token (too short, a character outside visible ASCII, which
// a header could not carry); nullopt when it can.
std::optional<std::string> check_admin_token(std::string_view token);

}  // namespace stampede::server
