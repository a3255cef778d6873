// The process's open-files limit (RLIMIT_NOFILE). Every user keeps its own connection, so
// a run of N users needs about N descriptors plus a few for the result files; a default
// soft limit of 1024 would make the users beyond it fail to connect. Like Locust, the
// engine raises the soft limit as far as the hard limit allows before it starts.
#pragma once

#include <cstdint>

namespace stampede::generator {

struct OpenFilesLimit {
  std::uint64_t soft = 0;  // after raising
  std::uint64_t hard = 0;
};

// Raises the soft limit to min(hard, wanted) if it is lower; never lowers it. Returns the
// limits in effect afterwards (both 0 if they cannot be read).
OpenFilesLimit raise_open_files_limit(std::uint64_t wanted);

// Descriptors a run of `users` users needs: one connection each, plus the result files,
// the workers' event loops and slack.
constexpr std::uint64_t open_files_needed(std::uint64_t users, int threads) {
  return users + 16 * static_cast<std::uint64_t>(threads > 0 ? threads : 1) + 64;
}

}  // namespace stampede::generator
