// Response checks and captures. Runs once per completed response on the worker thread;
// the body is parsed only when the request has JSON checks or captures.
#include <string>

#include "scenarios/compiled.h"
#include "scenarios/json_limits.h"
#include "scenarios/limits.h"

namespace stampede::scenarios {

namespace {

std::string join_dumps(const std::vector<nlohmann::json>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += values[i].dump();
  }
  return out + "]";
}

std::string status_expectation(const std::vector<long>& statuses) {
  if (statuses.size() == 1) return std::to_string(statuses[0]);
  std::string out = "one of [";
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(statuses[i]);
  }
  return out + "]";
}

std::optional<std::string> check_json(const JsonCheck& c, const nlohmann::json& doc) {
  const nlohmann::json* found = c.path.find(doc);
  switch (c.kind) {
    case JsonCheck::Kind::kExists:
      if (c.exists && found == nullptr) return c.path.text() + ": missing";
      if (!c.exists && found != nullptr) {
        return c.path.text() + ": expected to be absent, got " + found->dump();
      }
      return std::nullopt;
    case JsonCheck::Kind::kEquals:
      if (found == nullptr) return c.path.text() + ": missing (expected " + c.expected.dump() + ")";
      if (*found != c.expected) {
        return c.path.text() + ": expected " + c.expected.dump() + ", got " + found->dump();
      }
      return std::nullopt;
    case JsonCheck::Kind::kIn:
      if (found == nullptr) {
        return c.path.text() + ": missing (expected one of " + join_dumps(c.options) + ")";
      }
      for (const auto& option : c.options) {
        if (*found == option) return std::nullopt;
      }
      return c.path.text() + ": expected one of " + join_dumps(c.options) + ", got " + found->dump();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> apply_checks(const Request& request, long status,
                                        std::string_view body, std::vector<Value>& slots) {
  const auto& statuses = request.check.statuses;
  if (statuses.empty()) {
    if (status >= 400) return "HTTP " + std::to_string(status);
  } else {
    bool ok = false;
    for (long s : statuses) ok = ok || s == status;
    if (!ok) return "expected status " + status_expectation(statuses) + ", got " + std::to_string(status);
  }
  if (!request.needs_json()) return std::nullopt;

  // Printing or capturing a value recurses once per level; refuse what would not fit.
  if (json_text_nested_deeper_than(body, kMaxJsonDepth)) {
    return "response JSON is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  }
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return "response is not JSON";
  for (const auto& c : request.check.json) {
    if (auto failure = check_json(c, doc)) return failure;
  }
  // Captures are all-or-nothing so a half-updated user never sends mixed state.
  for (const auto& capture : request.captures) {
    if (capture.path.find(doc) == nullptr) {
      return "capture '" + capture.variable + "': " + capture.path.text() + " not found in response";
    }
  }
  for (const auto& capture : request.captures) {
    slots[static_cast<std::size_t>(capture.slot)] = value_from_json(*capture.path.find(doc));
  }
  return std::nullopt;
}

}  // namespace stampede::scenarios
