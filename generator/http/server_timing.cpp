#include "generator/http/server_timing.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace stampede::http {
namespace {

constexpr std::string_view kShardPrefix = "shard-";
constexpr std::string_view kServerPrefix = "srv-";

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

// `<prefix><n>` with 0 <= n <= max, digits only.
bool parse_index(std::string_view name, std::string_view prefix, int max, int& index) {
  if (name.size() <= prefix.size() || !iequals(name.substr(0, prefix.size()), prefix)) return false;
  std::string_view digits = name.substr(prefix.size());
  if (digits.front() < '0' || digits.front() > '9') return false;  // from_chars takes a '-'
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  return ec == std::errc() && end == digits.data() + digits.size() && index >= 0 && index <= max;
}

std::string_view unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return value;
}

// The value of the metric's first parameter `key` (params = what follows the name);
// nullopt when it has none.
std::optional<std::string_view> first_param(std::string_view params, std::string_view key) {
  while (!params.empty()) {
    std::string_view param = trim(next_element(params, ';'));
    auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(trim(param.substr(0, eq)), key)) return trim(param.substr(eq + 1));
  }
  return std::nullopt;
}

bool parse_duration_ms(std::string_view value, double& ms) {
  value = unquote(value);
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), ms);
  return ec == std::errc() && end == value.data() + value.size() && std::isfinite(ms) && ms >= 0;
}

}  // namespace

void parse_server_timing(std::string_view header_value, std::vector<ShardTiming>& shards, ServerTimingNotes& notes) {
  std::string_view metrics = header_value;
  while (!metrics.empty()) {
    std::string_view metric = next_element(metrics, ',');
    std::string_view name = trim(next_element(metric, ';'));
    int index = 0;
    if (parse_index(name, kShardPrefix, kMaxShardIndex, index)) {
      double dur_ms = 0;
      // The spec says the first dur wins; a malformed one leaves 0.
      if (const auto dur = first_param(metric, "dur")) {
        double parsed = 0;
        if (parse_duration_ms(*dur, parsed)) dur_ms = parsed;
      }
      shards.push_back({index, static_cast<std::uint64_t>(std::llround(dur_ms * 1000.0))});
    } else if (parse_index(name, kServerPrefix, kMaxServerIndex, index)) {
      if (notes.server < 0) notes.server = index;
    } else if (notes.cache == CacheOutcome::kNone && iequals(name, "cache")) {
      if (const auto desc = first_param(metric, "desc")) {
        const std::string_view outcome = unquote(*desc);
        if (iequals(outcome, "hit")) notes.cache = CacheOutcome::kHit;
        else if (iequals(outcome, "miss")) notes.cache = CacheOutcome::kMiss;
      }
    }
  }
}

void parse_shard_timings(std::string_view header_value, std::vector<ShardTiming>& out) {
  ServerTimingNotes ignored;
  parse_server_timing(header_value, out, ignored);
}

}  // namespace stampede::http
