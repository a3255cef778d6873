// Sizes in bytes as people write them: the command line's memory limits (`stampede run
// --max-body 8MiB`).
//
//   size := number [ unit ]          "65536", "512k", "8MiB", "1.5GiB", "2g"
//   unit := B | k | K | KiB | m | M | MiB | g | G | GiB | t | T | TiB
//
// Every unit is binary (k = KiB = 1024 bytes, M = MiB = 1024², …), as nginx and Docker read
// "512k" and "1g". "KB", "MB", "GB" are refused: people mean both 1000 and 1024 by them, and
// no size should silently be 2.4 % off. A bare number is bytes; a fraction is rounded down
// to a whole byte ("1.5k" is 1536). Numbers follow units/number.h (no sign, no exponent).
//
// Errors: none thrown; nullopt for anything outside the grammar or above kMaxBytes. Pure and
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::units {

// The largest size parse_bytes accepts: 1 PiB (far beyond any memory limit, far below
// overflow).
inline constexpr std::uint64_t kMaxBytes = std::uint64_t{1} << 50;

std::optional<std::uint64_t> parse_bytes(std::string_view text);

// "64MiB", "1GiB", "1.5KiB", "100B": the largest unit the size has at least one of, with at
// most two decimals (trailing zeros dropped). Sizes that parse_bytes produces from its own
// output round-trip when they are whole in that unit. For messages and console output.
std::string format_bytes(std::uint64_t bytes);

}  // namespace stampede::units
