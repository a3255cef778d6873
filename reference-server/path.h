// Splitting a request target into path segments and query parameters, without copies.
// Percent-decoding is not needed by this API (ids and numbers only), so none is done.
//
// The path is taken as sent, never normalised: every '/' separates two segments, so
// "//admin/reset" is the segments "", "admin", "reset" and "/health/" is "health", "",
// and neither matches a route (a proxy rule on "/admin" cannot be bypassed with an extra
// slash, a dot segment or a missing leading slash). A target that does not start with '/'
// (absolute-form "http://host/...", "*", or garbage) has no segments that match: it counts
// as kMaxSegments + 1 like an overlong path.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace stampede::server {

class PathView {
 public:
  static constexpr std::size_t kMaxSegments = 8;

  explicit PathView(std::string_view target) {
    const auto q = target.find('?');
    path_ = target.substr(0, q);
    if (q != std::string_view::npos) query_ = target.substr(q + 1);
    if (!path_.starts_with('/')) {
      count_ = kMaxSegments + 1;
      return;
    }
    // Each '/' starts a segment, empty ones included.
    for (std::size_t pos = 1; count_ <= kMaxSegments; ++count_) {
      auto end = path_.find('/', pos);
      if (end == std::string_view::npos) end = path_.size();
      if (count_ < kMaxSegments) segments_[count_] = path_.substr(pos, end - pos);
      if (end == path_.size()) {
        ++count_;
        break;
      }
      pos = end + 1;
    }
  }

  // More than kMaxSegments segments, or a path not starting with '/', count as
  // kMaxSegments + 1 (never matches a route).
  std::size_t size() const { return count_; }
  std::string_view operator[](std::size_t i) const { return i < kMaxSegments ? segments_[i] : ""; }
  std::string_view query() const { return query_; }

  // The raw value of query parameter `name` ("" when present without a value).
  std::optional<std::string_view> param(std::string_view name) const {
    std::string_view rest = query_;
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const auto pair = rest.substr(0, amp);
      const auto eq = pair.find('=');
      if (pair.substr(0, eq) == name) {
        return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      }
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
    return std::nullopt;
  }

 private:
  std::string_view path_;
  std::string_view query_;
  std::array<std::string_view, kMaxSegments> segments_{};
  std::size_t count_ = 0;
};

// A whole decimal integer (no sign prefix '+', no trailing characters). A number outside
// the int64 range (e.g. 9223372036854775808) is nullopt like any other non-integer, never
// a wrapped or clamped value.
inline std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace stampede::server
