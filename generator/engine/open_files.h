// The process's open-files limit (RLIMIT_NOFILE). A run of N users needs a connection per
// user at most, plus a few descriptors for the result files; a default soft limit of 1024
// would make the users beyond it fail to connect. Like Locust, the
// engine raises the soft limit as far as the hard limit allows before it starts.
#pragma once

#include <cstdint>

namespace stampede::engine {

struct OpenFilesLimit {
  std::uint64_t soft = 0;  // after raising
  std::uint64_t hard = 0;
};

// Raises the soft limit to min(hard, wanted) if it is lower; never lowers it. Returns the
// limits in effect afterwards (both 0 if they cannot be read).
OpenFilesLimit raise_open_files_limit(std::uint64_t wanted);

// Descriptors a run of `users` users needs: `per_user` each for their connections (the
// native transport's socket: 1; libcurl's own connection per user adds its multi handle's
// wake-up socket pair: 3; shared connections: at most 1), plus the result files, the
// workers' event loops and slack.
constexpr std::uint64_t open_files_needed(std::uint64_t users, int threads, std::uint64_t per_user) {
  return users * per_user + 16 * static_cast<std::uint64_t>(threads > 0 ? threads : 1) + 64;
}

}  // namespace stampede::engine
