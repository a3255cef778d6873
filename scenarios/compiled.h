// The compiled form of a user class: what ScenarioParser produces and UserSession runs.
// Internal to the scenarios library (the engine sees UserClassImpl only as an opaque
// pointer). Everything here is immutable once built and shared between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

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

struct Check {
  std::vector<long> statuses;  // accepted statuses; empty = any status < 400
  std::vector<JsonCheck> json;
};

struct Capture {
  std::string variable;
  int slot = -1;
  JsonPath path;
};

struct HeaderTemplate {
  std::string name;
  StringTemplate value;
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
  enum class BodyKind { kNone, kJson, kRaw };
  BodyKind body_kind = BodyKind::kNone;
  JsonTemplate json_body;
  StringTemplate raw_body;
  std::chrono::milliseconds timeout{0};
  Check check;
  std::vector<Capture> captures;

  bool needs_json() const { return !check.json.empty() || !captures.empty(); }
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
};

class UserClassImpl {
 public:
  std::vector<VarDef> on_start;  // evaluated once per user, in order
  std::vector<Task> tasks;
  std::vector<double> task_cdf;  // cumulative normalised weights, last = 1
  int slot_count = 0;
  int counter_count = 0;

  // Recomputes task_cdf from the tasks' weights (after filtering).
  void rebuild_cdf();
};

// Applies a request's checks and captures; see UserSession::check for the contract.
std::optional<std::string> apply_checks(const Request& request, long status,
                                        std::string_view body, std::vector<Value>& slots);

}  // namespace stampede::scenarios
