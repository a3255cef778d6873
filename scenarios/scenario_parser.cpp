// ScenarioParser, part 1: the document, defaults, user classes and variables. Requests,
// checks and captures are in request_parser.cpp; wait times and load shapes in
// timing_parser.cpp.
#include "scenarios/scenario_parser.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "units/duration.h"
#include "scenarios/limits.h"
#include "scenarios/suggest.h"

namespace stampede::scenarios {

namespace {

constexpr int kFormatVersion = 1;

std::string type_name(const nlohmann::json& v) {
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

std::string join_pointer(const std::string& path, std::string_view key) {
  return path + "/" + pointer_token(key);
}
std::string join_pointer(const std::string& path, std::size_t index) {
  return path + "/" + std::to_string(index);
}

// --- problems ---------------------------------------------------------------------------

void ScenarioParser::problem(const std::string& path, std::string message) {
  problems_.push_back({file_, path, std::move(message)});
}

void ScenarioParser::expr_problems(const std::string& path, const std::vector<ExprError>& errors) {
  for (const auto& e : errors) problem(path, e.message);
}

bool ScenarioParser::check_keys(const json& obj, const std::string& path,
                                std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  bool ok = true;
  for (const auto& [key, value] : obj.items()) {
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    problem(join_pointer(path, key), "unknown key '" + key + "'" + did_you_mean(key, names));
    ok = false;
  }
  return ok;
}

bool ScenarioParser::expect_object(const json& value, const std::string& path) {
  if (value.is_object()) return true;
  problem(path, "expected an object, got " + type_name(value));
  return false;
}

// --- typed fields -----------------------------------------------------------------------

std::optional<std::string> ScenarioParser::string_field(const json& value, const std::string& path,
                                                        bool allow_empty) {
  if (!value.is_string()) {
    problem(path, "expected a string, got " + type_name(value));
    return std::nullopt;
  }
  if (!allow_empty && value.get_ref<const std::string&>().empty()) {
    problem(path, "expected a non-empty string");
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<double> ScenarioParser::number_field(const json& value, const std::string& path,
                                                   double min, bool min_exclusive, double max) {
  auto text = [](double bound) {
    return bound == std::floor(bound) && std::fabs(bound) < 1e15 ? std::to_string(static_cast<long long>(bound))
                                                                  : json(bound).dump();
  };
  const std::string lower = std::string(min_exclusive ? "> " : ">= ") + text(min);
  if (!value.is_number() || !std::isfinite(value.get<double>())) {
    problem(path, "expected a number " + lower + ", got " + value.dump());
    return std::nullopt;
  }
  const double v = value.get<double>();
  if (v < min || (min_exclusive && v == min)) {
    problem(path, "expected a number " + lower + ", got " + value.dump());
    return std::nullopt;
  }
  if (v > max) {
    problem(path, "expected a number <= " + text(max) + " (the limit), got " + value.dump());
    return std::nullopt;
  }
  return v;
}

std::optional<long> ScenarioParser::int_field(const json& value, const std::string& path, long min,
                                              long max) {
  const std::string range = "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  // Unsigned values past the range of long long would wrap when read as one.
  if (!value.is_number_integer() ||
      (value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(max))) {
    problem(path, "expected " + range + ", got " + value.dump());
    return std::nullopt;
  }
  const auto v = value.get<long long>();
  if (v < min || v > max) {
    problem(path, "expected " + range + ", got " + value.dump());
    return std::nullopt;
  }
  return static_cast<long>(v);
}

std::optional<double> ScenarioParser::duration_field(const json& value, const std::string& path,
                                                     bool allow_zero) {
  auto seconds = units::seconds_from_json(value);
  if (!seconds || (!allow_zero && *seconds == 0)) {
    problem(path, std::string("expected a duration") + (allow_zero ? "" : " > 0") +
                      " (seconds as a number, or a string like \"250ms\", \"2s\", \"5m\"), got " +
                      value.dump());
    return std::nullopt;
  }
  return seconds;
}

std::vector<std::string> ScenarioParser::tags_field(const json& value, const std::string& path) {
  std::vector<std::string> tags;
  if (!value.is_array()) {
    problem(path, "expected an array of tag strings, got " + type_name(value));
    return tags;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (auto tag = string_field(value[i], join_pointer(path, i))) tags.push_back(*tag);
  }
  return tags;
}

// --- document ---------------------------------------------------------------------------

Scenario ScenarioParser::parse(const json& doc) {
  Scenario out;
  out.source_ = doc;
  if (!doc.is_object()) {
    problem("", "expected a JSON object at the top level, got " + type_name(doc));
    throw ScenarioError(problems_);
  }
  check_keys(doc, "", {"stampede_scenario", "name", "description", "defaults", "data", "user_classes",
                       "load_shape", "thresholds"});
  if (!doc.contains("stampede_scenario")) {
    problem("/stampede_scenario", "missing: expected \"stampede_scenario\": 1 (the format version)");
  } else if (doc["stampede_scenario"] != kFormatVersion) {
    problem("/stampede_scenario", "unsupported format version " + doc["stampede_scenario"].dump() +
                                      " (this build reads version 1)");
  }
  out.name_ = std::filesystem::path(file_).stem().string();
  if (doc.contains("name")) {
    if (auto name = string_field(doc["name"], "/name")) out.name_ = *name;
  }
  if (doc.contains("description")) string_field(doc["description"], "/description", true);
  if (doc.contains("defaults")) parse_defaults(doc["defaults"], "/defaults");
  if (doc.contains("data")) parse_data(doc["data"], "/data");

  if (!doc.contains("user_classes")) {
    problem("/user_classes", "missing: expected an array of user classes");
  } else if (const json& classes = doc["user_classes"]; !classes.is_array() || classes.empty()) {
    problem("/user_classes", "expected a non-empty array of user classes, got " +
                                 (classes.is_array() ? std::string("an empty array") : type_name(classes)));
  } else {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < classes.size(); ++i) {
      const std::string path = join_pointer("/user_classes", i);
      auto cls = parse_class(classes[i], path);
      if (!cls) continue;
      if (!seen.insert(cls->name).second) {
        problem(path + "/name", "duplicate user class name '" + cls->name + "'");
      }
      out.classes_.push_back(std::move(*cls));
    }
    double weight_sum = 0;
    bool any_weighted = false;
    for (const auto& cls : out.classes_) {
      if (cls.fixed_count) continue;
      any_weighted = true;
      weight_sum += cls.weight;
    }
    if (any_weighted && out.classes_.size() == classes.size() && !(weight_sum > 0)) {
      problem("/user_classes", "user class weights must sum to > 0");
    }
  }
  if (doc.contains("load_shape")) parse_load_shape(doc["load_shape"], "/load_shape", out);
  if (doc.contains("thresholds")) {
    const json& t = doc["thresholds"];
    if (!t.is_array()) {
      problem("/thresholds", "expected an array of strings, got " + type_name(t));
    } else {
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (auto s = string_field(t[i], join_pointer("/thresholds", i))) out.thresholds_.push_back(*s);
      }
    }
  }
  if (!problems_.empty()) throw ScenarioError(problems_);
  out.endpoints_ = endpoints_;
  return out;
}

void ScenarioParser::parse_defaults(const json& value, const std::string& path) {
  if (!expect_object(value, path)) return;
  check_keys(value, path, {"timeout", "headers"});
  if (value.contains("timeout")) default_timeout_s_ = duration_field(value["timeout"], path + "/timeout", false);
  if (value.contains("headers")) {
    const std::string hpath = path + "/headers";
    default_headers_path_ = hpath;
    if (!expect_object(value["headers"], hpath)) return;
    for (const auto& [name, v] : value["headers"].items()) {
      auto text = string_field(v, join_pointer(hpath, name), true);
      if (!text) continue;
      // Defaults are shared by every class, so they may use functions but no variables.
      std::vector<ExprError> errors;
      CompileState state;
      StringTemplate::compile(*text, Scope{}, state, errors);
      expr_problems(join_pointer(hpath, name), errors);
      if (errors.empty()) default_headers_.emplace_back(name, *text);
    }
  }
}

// --- user classes -----------------------------------------------------------------------

std::optional<UserClass> ScenarioParser::parse_class(const json& value, const std::string& path) {
  if (!expect_object(value, path)) return std::nullopt;
  check_keys(value, path, {"name", "weight", "fixed_count", "wait_time", "on_start", "on_start_failure",
                           "on_stop", "cookies", "tags", "tasks"});
  const std::size_t problems_before = problems_.size();
  UserClass cls;
  if (!value.contains("name")) {
    problem(path + "/name", "missing: every user class needs a name");
  } else if (auto name = string_field(value["name"], path + "/name")) {
    cls.name = *name;
  }
  if (value.contains("weight")) {
    if (auto w = number_field(value["weight"], path + "/weight", 0, false, kMaxWeight)) cls.weight = *w;
  }
  if (value.contains("fixed_count")) {
    if (auto n = int_field(value["fixed_count"], path + "/fixed_count", 0, 10'000'000)) {
      cls.fixed_count = static_cast<int>(*n);
    }
  }
  if (value.contains("wait_time")) {
    if (auto w = parse_wait(value["wait_time"], path + "/wait_time")) cls.wait = *w;
  }
  if (value.contains("tags")) cls.tags = tags_field(value["tags"], path + "/tags");

  auto impl = std::make_shared<UserClassImpl>();
  ClassContext ctx;
  if (value.contains("cookies")) {
    if (value["cookies"].is_boolean()) {
      impl->cookies = value["cookies"].get<bool>();
    } else {
      problem(path + "/cookies", "expected true or false, got " + value["cookies"].dump());
    }
  }
  if (value.contains("on_start_failure")) {
    if (auto f = string_field(value["on_start_failure"], path + "/on_start_failure")) {
      if (*f == "stop" || *f == "continue") {
        impl->stop_on_start_failure = *f == "stop";
      } else {
        problem(path + "/on_start_failure", "expected \"stop\" or \"continue\", got \"" + *f + "\"" +
                                                did_you_mean(*f, {"stop", "continue"}));
      }
    }
  }
  const bool start_requests = value.contains("on_start") && value["on_start"].is_object() &&
                              value["on_start"].contains("requests");
  if (value.contains("on_start") && expect_object(value["on_start"], path + "/on_start")) {
    const json vars = parse_records(value["on_start"], value, path + "/on_start", ctx, impl->records);
    impl->on_start = parse_vars(vars, path + "/on_start", ctx.scope, ctx, true);
  }
  if (value.contains("on_stop") && expect_object(value["on_stop"], path + "/on_stop")) {
    check_keys(value["on_stop"], path + "/on_stop", {"requests"});
  }
  // Captures anywhere in the class (on_start, tasks, on_stop) are user variables.
  for (const char* hook : {"on_start", "on_stop"}) {
    if (!value.contains(hook) || !value[hook].is_object() || !value[hook].contains("requests")) continue;
    if (!value[hook]["requests"].is_array()) continue;
    for (const auto& r : value[hook]["requests"]) collect_request_captures(r, ctx);
  }
  const json* tasks = value.contains("tasks") ? &value["tasks"] : nullptr;
  if (tasks == nullptr) {
    problem(path + "/tasks", "missing: expected a non-empty array of tasks");
  } else if (!tasks->is_array() || tasks->empty()) {
    problem(path + "/tasks", "expected a non-empty array of tasks, got " +
                                 (tasks->is_array() ? std::string("an empty array") : type_name(*tasks)));
  } else {
    collect_captures(*tasks, ctx);
    double total = 0;
    for (std::size_t i = 0; i < tasks->size(); ++i) {
      auto task = parse_task((*tasks)[i], join_pointer(path + "/tasks", i), ctx);
      if (!task) continue;
      total += task->weight;
      impl->tasks.push_back(std::move(*task));
    }
    if (impl->tasks.size() == tasks->size() && !(total > 0)) {
      problem(path + "/tasks", "task weights must sum to > 0");
    }
  }
  if (start_requests) impl->start_requests = parse_hook_requests(value["on_start"], path + "/on_start", ctx);
  if (value.contains("on_stop") && value["on_stop"].is_object() && value["on_stop"].contains("requests")) {
    impl->stop_requests = parse_hook_requests(value["on_stop"], path + "/on_stop", ctx);
  }
  if (problems_.size() != problems_before) return std::nullopt;
  impl->slot_count = ctx.slot_count;
  impl->counter_count = ctx.state.next_counter;
  impl->rebuild_cdf();
  cls.impl = std::move(impl);
  return cls;
}

// Variables are compiled with every name of the block in scope, then ordered by their
// dependencies (JSON objects carry no key order); a cycle is a problem.
std::vector<VarDef> ScenarioParser::parse_vars(const json& value, const std::string& path,
                                               Scope& scope, ClassContext& cls, bool user_level) {
  std::vector<VarDef> defs;
  if (!expect_object(value, path)) return defs;
  Scope inner = scope;
  std::map<int, std::size_t> slot_to_def;
  std::vector<std::pair<std::string, const json*>> items;
  for (const auto& [name, expr] : value.items()) {
    const std::string vpath = join_pointer(path, name);
    if (!is_identifier(name)) {
      problem(vpath, "variable names must be identifiers (letters, digits, '_'), got '" + name + "'");
      continue;
    }
    if (!user_level && scope.find(name)) {
      problem(vpath, "variable '" + name + "' is already a user variable (on_start or capture)");
      continue;
    }
    VarDef def;
    def.name = name;
    def.slot = cls.slot_count++;
    slot_to_def[def.slot] = defs.size();
    inner.add(name, def.slot);
    defs.push_back(std::move(def));
    items.emplace_back(name, &expr);
  }
  bool ok = true;
  for (std::size_t i = 0; i < defs.size(); ++i) {
    const std::string vpath = join_pointer(path, defs[i].name);
    const json& expr = *items[i].second;
    std::vector<ExprError> errors;
    if (expr.is_string()) {
      defs[i].expr = Expr::compile(expr.get_ref<const std::string&>(), 1, inner, cls.state, errors);
    } else if (expr.is_number()) {
      defs[i].expr = Expr::compile(expr.dump(), 1, inner, cls.state, errors);
    } else {
      problem(vpath, "expected an expression string like \"uniform(1, 100)\" or a number, got " +
                         type_name(expr));
      ok = false;
      continue;
    }
    expr_problems(vpath, errors);
    ok = ok && errors.empty();
  }
  // Names stay defined even when their expression is bad, so uses elsewhere do not
  // cascade into "undefined variable" noise.
  for (const auto& d : defs) {
    if (user_level) cls.user_names.push_back(d.name);
  }
  scope = inner;
  if (!ok) return {};
  // Topological order (depth-first); a cycle is reported once, with its path.
  std::vector<int> state(defs.size(), 0);  // 0 new, 1 visiting, 2 done
  std::vector<std::size_t> stack;
  std::vector<VarDef> ordered;
  std::function<bool(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] == 2) return true;
    if (state[i] == 1) {
      std::string cycle;
      auto from = std::find(stack.begin(), stack.end(), i);
      for (auto it = from; it != stack.end(); ++it) cycle += defs[*it].name + " -> ";
      problem(join_pointer(path, defs[i].name), "circular definition: " + cycle + defs[i].name);
      return false;
    }
    state[i] = 1;
    stack.push_back(i);
    for (int slot : defs[i].expr.referenced_slots()) {
      auto it = slot_to_def.find(slot);
      if (it != slot_to_def.end() && !visit(it->second)) return false;
    }
    stack.pop_back();
    state[i] = 2;
    ordered.push_back(defs[i]);
    return true;
  };
  for (std::size_t i = 0; i < defs.size(); ++i) {
    if (!visit(i)) return {};
  }
  return ordered;
}

}  // namespace stampede::scenarios
