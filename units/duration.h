// Durations as people write them, in one grammar for the whole project: the stampede
// command line, scenario files, CI thresholds and stampede-server's flags.
//
//   duration := part { part }          "30s", "1h30m", "1.5s", "250ms", "100us", "2d"
//   part     := number unit            number: digits with an optional '.' (no sign, no exponent)
//   unit     := us | ms | s | m | h | d
//
// A bare number ("90") has no unit; what it means is the caller's choice (BareNumber):
// seconds on the command line and in scenarios (as Locust reads -t 90), rejected where
// the old meaning was milliseconds (stampede-server's --time-bucket), so that no value
// silently changes meaning. Whitespace is not part of a duration; callers that allow
// "150 ms" join number and unit themselves (see seconds_per_unit).
//
// Errors: none thrown; nullopt for anything outside the grammar, negative, non-finite, or
// longer than kMaxDurationSeconds (1e9 s). Pure and thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace stampede::units {

// The longest duration anywhere (about 31.7 years); anything longer is not a duration.
inline constexpr double kMaxDurationSeconds = 1e9;

enum class BareNumber {
  kSeconds,   // "90" is 90 s
  kRejected,  // "90" is not a duration: a unit is required
};

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text,
                                                       BareNumber bare = BareNumber::kSeconds);

// The same, in seconds as a double (scenario files and result folders keep seconds).
std::optional<double> parse_seconds(std::string_view text, BareNumber bare = BareNumber::kSeconds);

// A JSON value that holds a duration: a number of seconds (0.5) or a string in the grammar
// above ("250ms"; a numeric string is seconds). nullopt for other types or bad values.
std::optional<double> seconds_from_json(const nlohmann::json& value);

// Seconds per unit for a unit of the grammar ("ms" -> 0.001); nullopt for anything else.
// For parsers that read the number and the unit as separate tokens ("over 10 s").
std::optional<double> seconds_per_unit(std::string_view unit);

// "1h02m03s", "2m05s", "4.2s", "350ms" — for console output.
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace stampede::units
