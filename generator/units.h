// Human units on the command line: durations like "30s", "5m", "1h30m", "250ms", "90"
// (plain numbers are seconds) and counts like "1000", "1k", "2.5k", "1M".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::generator {

// std::nullopt when the text is not a valid non-negative duration.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);
std::optional<double> parse_count(std::string_view text);

// "1h02m03s", "4.2s", "350ms" — for console output.
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace stampede::generator
