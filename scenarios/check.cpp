// Response checks and captures. Runs once per completed response on the worker thread;
// the body is parsed only when the request has JSON checks or captures.
#include <algorithm>
#include <cctype>
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

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

const std::string* find_header(const Response& response, std::string_view name) {
  if (response.headers == nullptr) return nullptr;
  for (const auto& [n, v] : *response.headers) {
    if (iequals(n, name)) return &v;
  }
  return nullptr;
}

std::optional<std::string> check_header(const HeaderCheck& c, const Response& response) {
  const std::string* value = find_header(response, c.name);
  switch (c.kind) {
    case HeaderCheck::Kind::kPresent:
      if (value == nullptr) return "header " + c.name + ": missing";
      return std::nullopt;
    case HeaderCheck::Kind::kAbsent:
      if (value != nullptr) return "header " + c.name + ": expected to be absent, got \"" + *value + "\"";
      return std::nullopt;
    case HeaderCheck::Kind::kContains:
      if (value == nullptr) return "header " + c.name + ": missing (expected it to contain \"" + c.text + "\")";
      if (value->find(c.text) == std::string::npos) {
        return "header " + c.name + ": expected it to contain \"" + c.text + "\", got \"" + *value + "\"";
      }
      return std::nullopt;
  }
  return std::nullopt;
}

// The first group of the first match (the whole match when the pattern has no group).
std::optional<std::string> regex_capture(const Pattern& p, std::string_view body) {
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(body.begin(), body.end(), m, *p.regex)) return std::nullopt;
  return m.size() > 1 ? m[1].str() : m[0].str();
}

// A non-JSON capture's value, or nullopt when the response has none.
std::optional<Value> capture_value(const Capture& c, const Response& response) {
  switch (c.kind) {
    case Capture::Kind::kJson: return std::nullopt;
    case Capture::Kind::kRegex:
      if (auto text = regex_capture(c.pattern, response.body)) return Value::of_string(std::move(*text));
      return std::nullopt;
    case Capture::Kind::kHeader:
      if (const std::string* v = find_header(response, c.name)) return Value::of_string(*v);
      return std::nullopt;
    case Capture::Kind::kCookie:
      if (response.cookie) {
        if (auto v = response.cookie(c.name)) return Value::of_string(std::move(*v));
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::string capture_missing(const Capture& c) {
  switch (c.kind) {
    case Capture::Kind::kJson: return c.path.text() + " not found in response";
    case Capture::Kind::kRegex: return "regex /" + c.pattern.source + "/ does not match the response";
    case Capture::Kind::kHeader: return "no header " + c.name + " in the response";
    case Capture::Kind::kCookie: return "no cookie " + c.name + " after the response";
  }
  return "not found";
}

}  // namespace

std::optional<std::string> apply_checks(const Request& request, const Response& response,
                                        std::vector<Value>& slots) {
  const long status = response.status;
  const std::string_view body = response.body;
  const auto& statuses = request.check.statuses;
  if (statuses.empty()) {
    if (status >= 400) return "HTTP " + std::to_string(status);
  } else {
    bool ok = false;
    for (long s : statuses) ok = ok || s == status;
    if (!ok) return "expected status " + status_expectation(statuses) + ", got " + std::to_string(status);
  }
  for (const auto& text : request.check.body_contains) {
    if (body.find(text) == std::string_view::npos) return "body does not contain \"" + text + "\"";
  }
  for (const auto& h : request.check.headers) {
    if (auto failure = check_header(h, response)) return failure;
  }
  for (const auto& p : request.check.regex) {
    if (!std::regex_search(body.begin(), body.end(), *p.regex)) return "body does not match /" + p.source + "/";
  }
  // Captures are all-or-nothing so a half-updated user never sends mixed state.
  std::vector<std::pair<int, Value>> other;
  for (const auto& capture : request.captures) {
    if (capture.kind == Capture::Kind::kJson) continue;
    auto v = capture_value(capture, response);
    if (!v) return "capture '" + capture.variable + "': " + capture_missing(capture);
    other.emplace_back(capture.slot, std::move(*v));
  }
  auto store_other = [&] {
    for (auto& [slot, v] : other) slots[static_cast<std::size_t>(slot)] = std::move(v);
  };
  if (!request.needs_json()) {
    store_other();
    return std::nullopt;
  }

  // Printing or capturing a value recurses once per level; refuse what would not fit.
  if (json_text_nested_deeper_than(body, kMaxJsonDepth)) {
    return "response JSON is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  }
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return "response is not JSON";
  for (const auto& c : request.check.json) {
    if (auto failure = check_json(c, doc)) return failure;
  }
  for (const auto& capture : request.captures) {
    if (capture.kind != Capture::Kind::kJson) continue;
    if (capture.path.find(doc) == nullptr) {
      return "capture '" + capture.variable + "': " + capture.path.text() + " not found in response";
    }
  }
  for (const auto& capture : request.captures) {
    if (capture.kind != Capture::Kind::kJson) continue;
    slots[static_cast<std::size_t>(capture.slot)] = value_from_json(*capture.path.find(doc));
  }
  store_other();
  return std::nullopt;
}

}  // namespace stampede::scenarios
