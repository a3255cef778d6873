// The compiled form of a user class: what ScenarioParser produces and UserSession runs.
// Internal to the scenarios library (the engine sees UserClassImpl only as an opaque
// pointer). Everything here is immutable once built and shared between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/data_source.h"
#include "scenarios/expression.h"
#include "scenarios/json_path.h"
#include "scenarios/scenario.h"
#include "scenarios/template.h"

namespace stampede::scenarios {

struct JsonCheck {
  enum class Kind { kExists, kEquals, kIn };
  JsonPath path;
  Kind kind = Kind::kExists;
  bool exists = true;                   // kExists
  nlohmann::json expected;              // kEquals
  std::vector<nlohmann::json> options;  // kIn
};

// A compiled regular expression with its source text (for messages).
struct Pattern {
  std::string source;
  std::shared_ptr<const std::regex> regex;
};

struct HeaderCheck {
  std::string name;
  enum class Kind { kPresent, kAbsent, kContains } kind = Kind::kPresent;
  std::string text;  // kContains
};

struct Check {
  std::vector<long> statuses;  // accepted statuses; empty = any status < 400
  std::vector<JsonCheck> json;
  std::vector<std::string> body_contains;
  std::vector<HeaderCheck> headers;
  std::vector<Pattern> regex;  // each must match somewhere in the body
};

struct Capture {
  enum class Kind { kJson, kRegex, kHeader, kCookie };
  std::string variable;
  int slot = -1;
  Kind kind = Kind::kJson;
  JsonPath path;     // kJson
  Pattern pattern;   // kRegex: the first group (or the whole match without groups)
  std::string name;  // kHeader / kCookie
};

struct HeaderTemplate {
  std::string name;
  StringTemplate value;
  std::string prefix;   // literal text before the value ("Basic ", "Bearer ")
  bool base64 = false;  // the rendered value is base64-encoded (basic auth)
};

struct FormField {
  std::string encoded_name;  // already URL-encoded
  StringTemplate value;      // URL-encoded at render time
};

// The boundary of every multipart body (a file holding it is refused at load).
inline constexpr std::string_view kMultipartBoundary = "stampede-form-boundary-7e3f9a1c5b";

// One part of a multipart/form-data body: a field (template) or a file (read at load).
struct MultipartPart {
  std::string name;
  StringTemplate value;                            // a field
  std::shared_ptr<const std::string> file;         // a file's content, or null for a field
  std::string filename;
  std::string content_type;
};

// `when`: a template that is true unless it renders empty, "0" or "false"; or two templates
// compared as text (== / !=), each trimmed and with surrounding quotes removed.
struct Condition {
  enum class Op { kTruthy, kEquals, kNotEquals };
  Op op = Op::kTruthy;
  StringTemplate left;
  StringTemplate right;
  bool holds(EvalContext& ctx) const;
};

struct QueryParam {
  std::string encoded_name;  // already URL-encoded
  StringTemplate value;      // URL-encoded at render time
};

struct Request {
  std::uint32_t endpoint_id = 0;
  std::string_view method;  // points at a static string: stable forever
  std::string name;
  StringTemplate path;
  std::vector<QueryParam> query;
  std::vector<HeaderTemplate> headers;  // defaults merged in; Content-Type added for json
  enum class BodyKind { kNone, kJson, kRaw, kForm, kMultipart };
  BodyKind body_kind = BodyKind::kNone;
  JsonTemplate json_body;
  StringTemplate raw_body;
  std::vector<FormField> form;
  std::vector<MultipartPart> multipart;
  std::chrono::milliseconds timeout{0};
  Check check;
  std::vector<Capture> captures;
  std::optional<Condition> when;
  bool follow_redirects = true;
  bool honour_retry_after = false;  // after a 429, wait its Retry-After before the next request

  bool needs_json() const {
    if (!check.json.empty()) return true;
    for (const auto& c : captures) {
      if (c.kind == Capture::Kind::kJson) return true;
    }
    return false;
  }
  bool needs_body() const {
    if (needs_json() || !check.body_contains.empty() || !check.regex.empty()) return true;
    for (const auto& c : captures) {
      if (c.kind == Capture::Kind::kRegex) return true;
    }
    return false;
  }
};

// A data row a user takes at its start: one slot per column ("account.user").
struct RecordBinding {
  std::string variable;
  std::string source_name;
  std::shared_ptr<const DataSource> source;
  std::vector<int> slots;  // one per source column, in column order
};

struct VarDef {
  std::string name;
  int slot = -1;
  Expr expr;
};

struct Task {
  double weight = 1;
  std::vector<VarDef> vars;       // evaluated when the task is chosen, in order
  std::vector<std::string> tags;  // the task's own tags (class tags apply too)
  std::vector<Request> steps;     // one request, or a sequence run in order
  std::optional<Condition> when;  // false: the task is skipped
};

class UserClassImpl {
 public:
  std::vector<RecordBinding> records;  // data rows taken once per user, before on_start
  std::vector<VarDef> on_start;  // evaluated once per user, in order
  std::vector<Request> start_requests;  // on_start "requests", sent before any task
  std::vector<Request> stop_requests;   // on_stop "requests", sent at a graceful stop
  bool stop_on_start_failure = true;    // on_start_failure: "stop" (default) or "continue"
  bool cookies = true;                  // a cookie jar per user
  std::vector<Task> tasks;
  std::vector<double> task_cdf;  // cumulative normalised weights, last = 1
  int slot_count = 0;
  int counter_count = 0;

  // Recomputes task_cdf from the tasks' weights (after filtering).
  void rebuild_cdf();
};

// Applies a request's checks and captures; see UserSession::check for the contract.
std::optional<std::string> apply_checks(const Request& request, const Response& response,
                                        std::vector<Value>& slots);

}  // namespace stampede::scenarios
