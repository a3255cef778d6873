#include "scenarios/value.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace stampede::scenarios {

namespace {

bool parse_number(std::string_view text, double& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

void append_int(std::int64_t v, std::string& out) {
  char buf[24];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, ptr);
}

void append_real(double v, std::string& out) {
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, ptr);
}

}  // namespace

double Value::as_real() const {
  switch (type) {
    case Type::kInt: return static_cast<double>(i);
    case Type::kReal: return d;
    case Type::kString: {
      double parsed = 0;
      return parse_number(s, parsed) ? parsed : 0.0;
    }
    case Type::kNull: break;
  }
  return 0.0;
}

std::int64_t Value::as_int() const {
  if (type == Type::kInt) return i;
  if (type == Type::kString) {
    std::int64_t parsed = 0;
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, parsed);
    if (ec == std::errc{} && ptr == end) return parsed;
  }
  const double r = as_real();
  if (!std::isfinite(r)) return 0;
  if (r >= 9.2e18) return std::numeric_limits<std::int64_t>::max();
  if (r <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(r);
}

void append_text(const Value& v, std::string& out) {
  switch (v.type) {
    case Value::Type::kInt: append_int(v.i, out); break;
    case Value::Type::kReal: append_real(v.d, out); break;
    case Value::Type::kString: out += v.s; break;
    case Value::Type::kNull: break;
  }
}

void append_json(const Value& v, std::string& out) {
  switch (v.type) {
    case Value::Type::kInt: append_int(v.i, out); break;
    case Value::Type::kReal:
      if (std::isfinite(v.d)) {
        append_real(v.d, out);
      } else {
        out += "null";
      }
      break;
    case Value::Type::kString:
      out += '"';
      append_json_escaped(v.s, out);
      out += '"';
      break;
    case Value::Type::kNull: out += "null"; break;
  }
}

void append_json_escaped(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xf];
        } else {
          out += c;
        }
    }
  }
}

void append_base64(std::string_view text, std::string& out) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::size_t i = 0;
  for (; i + 3 <= text.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(text[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(text[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(text[i + 2]));
    out += kDigits[(n >> 18) & 63];
    out += kDigits[(n >> 12) & 63];
    out += kDigits[(n >> 6) & 63];
    out += kDigits[n & 63];
  }
  const std::size_t rest = text.size() - i;
  if (rest == 0) return;
  unsigned n = static_cast<unsigned>(static_cast<unsigned char>(text[i])) << 16;
  if (rest == 2) n |= static_cast<unsigned>(static_cast<unsigned char>(text[i + 1])) << 8;
  out += kDigits[(n >> 18) & 63];
  out += kDigits[(n >> 12) & 63];
  out += rest == 2 ? kDigits[(n >> 6) & 63] : '=';
  out += '=';
}

void append_url_encoded(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
}

Value value_from_json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::number_integer: return Value::of_int(j.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return Value::of_int(static_cast<std::int64_t>(u));
      }
      return Value::of_real(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float: return Value::of_real(j.get<double>());
    case nlohmann::json::value_t::boolean: return Value::of_int(j.get<bool>() ? 1 : 0);
    case nlohmann::json::value_t::string: return Value::of_string(j.get<std::string>());
    case nlohmann::json::value_t::null: return Value{};
    default: return Value::of_string(j.dump());
  }
}

std::string describe(const Value& v) {
  std::string out;
  append_json(v, out);
  return out;
}

}  // namespace stampede::scenarios
