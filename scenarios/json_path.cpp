#include "scenarios/json_path.h"

#include <cctype>

namespace stampede::scenarios {

std::optional<JsonPath> JsonPath::parse(std::string_view text, std::string& error) {
  JsonPath path;
  path.text_ = std::string(text);
  auto fail = [&](std::size_t at, const std::string& what) {
    error = what + " at column " + std::to_string(at + 1);
    return std::nullopt;
  };
  if (text.empty()) {
    error = "empty path";
    return std::nullopt;
  }
  std::size_t i = 0;
  bool expect_key = text[0] != '[';
  while (i < text.size()) {
    if (expect_key) {
      const std::size_t start = i;
      while (i < text.size() && text[i] != '.' && text[i] != '[' && text[i] != ']') ++i;
      if (i == start) return fail(start, "empty key");
      path.steps_.emplace_back(std::string(text.substr(start, i - start)));
      expect_key = false;
      continue;
    }
    if (text[i] == '.') {
      ++i;
      if (i >= text.size()) return fail(i - 1, "path ends with '.'");
      expect_key = true;
      continue;
    }
    if (text[i] == '[') {
      const std::size_t start = ++i;
      std::size_t index = 0;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        index = index * 10 + static_cast<std::size_t>(text[i] - '0');
        if (index > 1'000'000'000) return fail(start, "array index too large");
        ++i;
      }
      if (i == start || i >= text.size() || text[i] != ']') {
        return fail(start, "expected an array index like [0]");
      }
      ++i;
      path.steps_.emplace_back(index);
      continue;
    }
    return fail(i, std::string("unexpected '") + text[i] + "'");
  }
  return path;
}

const nlohmann::json* JsonPath::find(const nlohmann::json& doc) const {
  const nlohmann::json* at = &doc;
  for (const auto& step : steps_) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (!at->is_object()) return nullptr;
      auto it = at->find(*key);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (!at->is_array() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    }
  }
  return at;
}

}  // namespace stampede::scenarios
