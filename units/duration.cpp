#include "units/duration.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "units/number.h"

namespace stampede::units {
namespace {

struct UnitScale {
  std::string_view name;
  double seconds;
};
// Two-letter units first, so "ms" is not read as "m" followed by "s".
constexpr UnitScale kUnits[] = {{"us", 1e-6}, {"ms", 1e-3}, {"s", 1},
                                {"m", 60},    {"h", 3600},  {"d", 86400}};

std::optional<double> take_unit(std::string_view& text) {
  for (const UnitScale& u : kUnits) {
    if (text.starts_with(u.name)) {
      text.remove_prefix(u.name.size());
      return u.seconds;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> parse_seconds(std::string_view text, BareNumber bare) {
  if (text.empty()) return std::nullopt;
  double total_s = 0;
  bool first = true;
  while (!text.empty()) {
    std::optional<double> value = take_number(text);
    if (!value) return std::nullopt;
    std::optional<double> scale = take_unit(text);
    if (!scale) {
      // Only a whole text that is one bare number may lack a unit.
      if (!(first && text.empty() && bare == BareNumber::kSeconds)) return std::nullopt;
      scale = 1;
    }
    total_s += *value * *scale;
    first = false;
  }
  if (!std::isfinite(total_s) || total_s < 0 || total_s > kMaxDurationSeconds) return std::nullopt;
  return total_s;
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text, BareNumber bare) {
  std::optional<double> s = parse_seconds(text, bare);
  if (!s) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(*s * 1e9)));
}

std::optional<double> seconds_from_json(const nlohmann::json& value) {
  if (value.is_number()) {
    const double seconds = value.get<double>();
    if (!std::isfinite(seconds) || seconds < 0 || seconds > kMaxDurationSeconds) return std::nullopt;
    return seconds;
  }
  if (value.is_string()) return parse_seconds(std::string_view(value.get_ref<const std::string&>()));
  return std::nullopt;
}

std::optional<double> seconds_per_unit(std::string_view unit) {
  for (const UnitScale& u : kUnits)
    if (unit == u.name) return u.seconds;
  return std::nullopt;
}

std::string format_duration(std::chrono::nanoseconds d) {
  double s = std::chrono::duration<double>(d).count();
  char buf[64];
  if (s < 1) {
    std::snprintf(buf, sizeof buf, "%.0fms", s * 1e3);
  } else if (s < 60) {
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  } else {
    auto total = static_cast<long long>(s);
    long long h = total / 3600, m = (total % 3600) / 60, sec = total % 60;
    if (h > 0)
      std::snprintf(buf, sizeof buf, "%lldh%02lldm%02llds", h, m, sec);
    else
      std::snprintf(buf, sizeof buf, "%lldm%02llds", m, sec);
  }
  return buf;
}

}  // namespace stampede::units
