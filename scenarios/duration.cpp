#include "scenarios/duration.h"

#include <charconv>
#include <cmath>

namespace stampede::scenarios {

std::optional<double> parse_seconds(std::string_view text) {
  double number = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc{} || ptr == text.data()) return std::nullopt;
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1;
  } else if (unit == "ms") {
    scale = 1e-3;
  } else if (unit == "us") {
    scale = 1e-6;
  } else if (unit == "m") {
    scale = 60;
  } else if (unit == "h") {
    scale = 3600;
  } else {
    return std::nullopt;
  }
  const double seconds = number * scale;
  if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
  return seconds;
}

std::optional<double> parse_seconds(const nlohmann::json& value) {
  if (value.is_number()) {
    const double seconds = value.get<double>();
    if (!std::isfinite(seconds) || seconds < 0) return std::nullopt;
    return seconds;
  }
  if (value.is_string()) return parse_seconds(std::string_view(value.get_ref<const std::string&>()));
  return std::nullopt;
}

}  // namespace stampede::scenarios
