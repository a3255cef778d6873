#include "generator/http/server_timing.h"

#include <charconv>
#include <cmath>

namespace stampede::http {
namespace {

constexpr std::string_view kShardPrefix = "shard-";

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Splits the next element off `rest` at `sep`, honouring quoted strings (a comma or
// semicolon inside quotes does not split).
std::string_view next_element(std::string_view& rest, char sep) {
  bool quoted = false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    char c = rest[i];
    if (quoted && c == '\\') {
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == sep) {
      std::string_view element = rest.substr(0, i);
      rest.remove_prefix(i + 1);
      return element;
    }
  }
  std::string_view element = rest;
  rest = {};
  return element;
}

bool parse_shard_index(std::string_view name, int& shard) {
  if (name.size() <= kShardPrefix.size() || !iequals(name.substr(0, kShardPrefix.size()), kShardPrefix))
    return false;
  std::string_view digits = name.substr(kShardPrefix.size());
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), shard);
  return ec == std::errc() && end == digits.data() + digits.size() && shard >= 0 &&
         shard <= kMaxShardIndex;
}

bool parse_duration_ms(std::string_view value, double& ms) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
  return ec == std::errc() && end == value.data() + value.size() && std::isfinite(ms) && ms >= 0;
}

}  // namespace

void parse_shard_timings(std::string_view header_value, std::vector<ShardTiming>& out) {
  std::string_view metrics = header_value;
  while (!metrics.empty()) {
    std::string_view metric = next_element(metrics, ',');
    std::string_view name = trim(next_element(metric, ';'));
    int shard = 0;
    if (!parse_shard_index(name, shard)) continue;
    double dur_ms = 0;
    while (!metric.empty()) {
      std::string_view param = trim(next_element(metric, ';'));
      auto eq = param.find('=');
      if (eq == std::string_view::npos) continue;
      if (!iequals(trim(param.substr(0, eq)), "dur")) continue;
      double parsed = 0;
      // The spec says the first dur wins; a malformed one leaves 0.
      if (parse_duration_ms(trim(param.substr(eq + 1)), parsed)) dur_ms = parsed;
      break;
    }
    out.push_back({shard, static_cast<std::uint64_t>(std::llround(dur_ms * 1000.0))});
  }
}

}  // namespace stampede::http
