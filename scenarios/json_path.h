// JsonPath: the small path language of checks and captures — "a.b[0].c", "[2].id",
// "items[0][1]". Keys are separated by '.', array indices are [N] (N >= 0). Compiled once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace stampede::scenarios {

class JsonPath {
 public:
  // nullopt on a malformed path, with `error` set ("empty key at column 3", …).
  static std::optional<JsonPath> parse(std::string_view text, std::string& error);

  // The addressed element, or nullptr when any step is missing or of the wrong kind.
  const nlohmann::json* find(const nlohmann::json& doc) const;

  const std::string& text() const { return text_; }

 private:
  std::vector<std::variant<std::string, std::size_t>> steps_;
  std::string text_;
};

}  // namespace stampede::scenarios
