#include "units/number.h"

#include <charconv>
#include <cmath>

namespace stampede::units {

std::optional<double> take_number(std::string_view& text) {
  std::size_t n = 0;
  while (n < text.size() && ((text[n] >= '0' && text[n] <= '9') || text[n] == '.')) ++n;
  if (n == 0) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc() || end != text.data() + n || !std::isfinite(value)) return std::nullopt;
  text.remove_prefix(n);
  return value;
}

std::optional<double> parse_count(std::string_view text) {
  std::optional<double> value = take_number(text);
  if (!value) return std::nullopt;
  double scale = 1;
  if (text == "k" || text == "K") {
    scale = 1e3;
  } else if (text == "M" || text == "m") {
    scale = 1e6;
  } else if (!text.empty()) {
    return std::nullopt;
  }
  return *value * scale;
}

}  // namespace stampede::units
