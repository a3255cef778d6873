// A 429 answer's Retry-After, as a user that honours it reads it (scenario request key
// `honour_retry_after`, scenarios/README.md). Pure; no clock.
//
// Only delta-seconds are read ("Retry-After: 3"): what rate limiters send. An HTTP-date, an
// empty or malformed value, or no header reads as no wait (nullopt): the user goes on at its
// own pace. Values above kMaxRetryAfter are cut to it (a run's stop ends any wait anyway).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stampede::engine {

inline constexpr std::chrono::seconds kMaxRetryAfter{3600};

inline std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > 12) return std::nullopt;
  long long seconds = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::min(std::chrono::seconds(seconds), kMaxRetryAfter);
}

// The Retry-After of a response's header fields (name in any case), if one reads as above.
inline std::optional<std::chrono::seconds> retry_after_of(const std::vector<std::pair<std::string, std::string>>* headers) {
  if (headers == nullptr) return std::nullopt;
  constexpr std::string_view kName = "retry-after";
  for (const auto& [name, value] : *headers) {
    if (name.size() != kName.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) {
      const char c = name[i] >= 'A' && name[i] <= 'Z' ? static_cast<char>(name[i] - 'A' + 'a') : name[i];
      same = c == kName[i];
    }
    if (same) return parse_retry_after(value);
  }
  return std::nullopt;
}

}  // namespace stampede::engine
