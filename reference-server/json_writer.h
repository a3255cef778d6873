// A small append-only JSON writer for the hot responses (grab, result lists): one string,
// no intermediate tree, no per-field allocations. Keys and string values are escaped.
// Not for general use: nesting depth is limited to kMaxDepth (deeper nesting is a bug and
// is clamped, producing valid but flattened commas).
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace stampede::server {

class JsonWriter {
 public:
  static constexpr int kMaxDepth = 8;

  explicit JsonWriter(std::size_t reserve = 256) { out_.reserve(reserve); }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view name) {
    separate();
    quoted(name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& value(std::int64_t number) {
    separate();
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    (void)ec;
    out_.append(buffer, end);
    return *this;
  }
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(double number) {
    separate();
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%.17g", number);
    out_.append(buffer, static_cast<std::size_t>(n));
    return *this;
  }
  JsonWriter& value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    return *this;
  }
  JsonWriter& value(std::string_view text) {
    separate();
    quoted(text);
    return *this;
  }
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }

  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char bracket) {
    separate();
    out_ += bracket;
    if (depth_ < kMaxDepth - 1) ++depth_;
    first_[static_cast<std::size_t>(depth_)] = true;
    return *this;
  }
  JsonWriter& close(char bracket) {
    out_ += bracket;
    if (depth_ > 0) --depth_;
    return *this;
  }
  // Writes the comma between elements (not after a key).
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    auto& first = first_[static_cast<std::size_t>(depth_)];
    if (!first) out_ += ',';
    first = false;
  }
  void quoted(std::string_view text) {
    out_ += '"';
    for (char c : text) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out_ += buffer;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  std::string out_;
  std::array<bool, kMaxDepth> first_{true};
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace stampede::server
