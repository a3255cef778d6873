// Value: the result of evaluating a scenario expression — null, a 64-bit integer, a double
// or a string. Small and copyable; strings use the small-string buffer for short values,
// so integer-heavy templates never allocate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stampede::scenarios {

struct Value {
  enum class Type : std::uint8_t { kNull, kInt, kReal, kString };
  Type type = Type::kNull;
  std::int64_t i = 0;
  double d = 0;
  std::string s;

  static Value of_int(std::int64_t v) {
    Value out;
    out.type = Type::kInt;
    out.i = v;
    return out;
  }
  static Value of_real(double v) {
    Value out;
    out.type = Type::kReal;
    out.d = v;
    return out;
  }
  static Value of_string(std::string v) {
    Value out;
    out.type = Type::kString;
    out.s = std::move(v);
    return out;
  }

  bool is_number() const { return type == Type::kInt || type == Type::kReal; }
  // Numeric views. Strings are parsed as numbers ("12" -> 12); anything unparsable and
  // null give 0. Reals truncate toward zero in as_int().
  double as_real() const;
  std::int64_t as_int() const;
};

// Appends the value as text for a template substitution: integers in decimal, reals in
// shortest round-trip form, strings verbatim, null as nothing.
void append_text(const Value& v, std::string& out);

// Appends the value as a JSON token: numbers bare, strings quoted and escaped, null as
// `null` (also for non-finite reals, which JSON cannot carry).
void append_json(const Value& v, std::string& out);

// Appends `text` escaped for the inside of a JSON string literal (no surrounding quotes).
void append_json_escaped(std::string_view text, std::string& out);

// Appends `text` percent-encoded for a URL query component (RFC 3986 unreserved kept).
void append_url_encoded(std::string_view text, std::string& out);

// Appends `text` in base64 (RFC 4648, with padding), as HTTP basic auth sends it.
void append_base64(std::string_view text, std::string& out);

// Captured JSON -> Value: integers and reals keep their type, booleans become 1/0, strings
// stay strings, null stays null, arrays and objects become their compact JSON text.
Value value_from_json(const nlohmann::json& j);

// For messages: 7, 0.5, "abc", null.
std::string describe(const Value& v);

}  // namespace stampede::scenarios
