#include "units/bytes.h"

#include <cmath>
#include <cstdio>

#include "units/number.h"

namespace stampede::units {
namespace {

struct ByteUnit {
  std::string_view name;
  std::uint64_t bytes;
};
// Whole-text matches only, so the order does not matter.
constexpr ByteUnit kUnits[] = {
    {"B", 1},
    {"k", std::uint64_t{1} << 10}, {"K", std::uint64_t{1} << 10}, {"KiB", std::uint64_t{1} << 10},
    {"m", std::uint64_t{1} << 20}, {"M", std::uint64_t{1} << 20}, {"MiB", std::uint64_t{1} << 20},
    {"g", std::uint64_t{1} << 30}, {"G", std::uint64_t{1} << 30}, {"GiB", std::uint64_t{1} << 30},
    {"t", std::uint64_t{1} << 40}, {"T", std::uint64_t{1} << 40}, {"TiB", std::uint64_t{1} << 40},
};

}  // namespace

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  std::optional<double> value = take_number(text);
  if (!value) return std::nullopt;
  std::uint64_t scale = 0;
  if (text.empty()) scale = 1;
  for (const ByteUnit& unit : kUnits)
    if (text == unit.name) scale = unit.bytes;
  if (scale == 0) return std::nullopt;
  const double bytes = std::floor(*value * static_cast<double>(scale));
  if (!std::isfinite(bytes) || bytes > static_cast<double>(kMaxBytes)) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr ByteUnit kShown[] = {{"TiB", std::uint64_t{1} << 40},
                                        {"GiB", std::uint64_t{1} << 30},
                                        {"MiB", std::uint64_t{1} << 20},
                                        {"KiB", std::uint64_t{1} << 10}};
  for (const ByteUnit& unit : kShown) {
    if (bytes < unit.bytes) continue;
    if (bytes % unit.bytes == 0) return std::to_string(bytes / unit.bytes) + std::string(unit.name);
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", static_cast<double>(bytes) / static_cast<double>(unit.bytes));
    std::string number = text;
    while (number.back() == '0') number.pop_back();
    if (number.back() == '.') number.pop_back();
    return number + std::string(unit.name);
  }
  return std::to_string(bytes) + "B";
}

}  // namespace stampede::units
