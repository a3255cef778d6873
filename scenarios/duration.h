// Durations in scenario files: a JSON number of seconds (0.5) or a string with a unit —
// "250ms", "2s", "1.5m", "1h", "100us". Plain numeric strings ("3") mean seconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stampede::scenarios {

// Seconds, or nullopt for anything else (negative, non-finite, unknown unit, wrong type).
std::optional<double> parse_seconds(std::string_view text);
std::optional<double> parse_seconds(const nlohmann::json& value);

}  // namespace stampede::scenarios
