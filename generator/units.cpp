#include "generator/units.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace stampede::generator {
namespace {

bool read_number(std::string_view& text, double& value) {
  std::size_t n = 0;
  while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.')) ++n;
  if (n == 0) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc() || end != text.data() + n) return false;
  text.remove_prefix(n);
  return true;
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_s = 0;
  bool any_unit = false;
  while (!text.empty()) {
    double value = 0;
    if (!read_number(text, value)) return std::nullopt;
    double scale = 0;
    if (text.starts_with("ms")) {
      scale = 1e-3, text.remove_prefix(2);
    } else if (text.starts_with("us")) {
      scale = 1e-6, text.remove_prefix(2);
    } else if (text.starts_with("h")) {
      scale = 3600, text.remove_prefix(1);
    } else if (text.starts_with("m")) {
      scale = 60, text.remove_prefix(1);
    } else if (text.starts_with("s")) {
      scale = 1, text.remove_prefix(1);
    } else if (text.empty() && !any_unit) {
      scale = 1;  // a bare number is seconds
    } else {
      return std::nullopt;
    }
    any_unit = true;
    total_s += value * scale;
  }
  if (!std::isfinite(total_s) || total_s < 0 || total_s > 1e9) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(total_s * 1e9)));
}

std::optional<double> parse_count(std::string_view text) {
  double value = 0;
  if (!read_number(text, value)) return std::nullopt;
  double scale = 1;
  if (text == "k" || text == "K") {
    scale = 1e3;
  } else if (text == "M" || text == "m") {
    scale = 1e6;
  } else if (!text.empty()) {
    return std::nullopt;
  }
  return value * scale;
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

}  // namespace stampede::generator
