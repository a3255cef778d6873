// ScenarioParser, part 2: tasks, requests, checks and captures.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "scenarios/limits.h"
#include "scenarios/scenario_parser.h"
#include "scenarios/suggest.h"

namespace stampede::scenarios {

namespace {

constexpr std::string_view kMethods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

std::optional<std::string_view> canonical_method(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (std::string_view m : kMethods) {
    if (m == upper) return m;  // static storage: stable for the program's lifetime
  }
  return std::nullopt;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool is_header_name(std::string_view s) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
  });
}

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Every request object of a task: its "request", or each element of its "sequence".
template <typename F>
void for_each_request(const nlohmann::json& task, F&& f) {
  if (!task.is_object()) return;
  if (auto it = task.find("request"); it != task.end()) f(*it);
  if (auto it = task.find("sequence"); it != task.end() && it->is_array()) {
    for (const auto& r : *it) f(r);
  }
}

}  // namespace

void ScenarioParser::collect_request_captures(const json& request, ClassContext& cls) {
  if (!request.is_object() || !request.contains("capture") || !request["capture"].is_object()) return;
  for (const auto& [name, path] : request["capture"].items()) {
    if (!is_identifier(name) || cls.scope.find(name)) continue;  // bad names reported later
    cls.scope.add(name, cls.slot_count++);
    cls.user_names.push_back(name);
  }
}

void ScenarioParser::collect_captures(const json& tasks, ClassContext& cls) {
  for (const auto& task : tasks) {
    for_each_request(task, [&](const json& request) { collect_request_captures(request, cls); });
  }
}

std::optional<Task> ScenarioParser::parse_task(const json& value, const std::string& path,
                                               ClassContext& cls) {
  if (!expect_object(value, path)) return std::nullopt;
  check_keys(value, path, {"weight", "vars", "tags", "when", "request", "sequence"});
  const std::size_t before = problems_.size();
  Task task;
  if (value.contains("weight")) {
    if (auto w = number_field(value["weight"], path + "/weight", 0, false, kMaxWeight)) task.weight = *w;
  }
  if (value.contains("tags")) task.tags = tags_field(value["tags"], path + "/tags");
  Scope scope = cls.scope;
  if (value.contains("vars")) task.vars = parse_vars(value["vars"], path + "/vars", scope, cls, false);
  if (value.contains("when")) task.when = parse_condition(value["when"], path + "/when", scope, cls);

  const bool has_request = value.contains("request"), has_sequence = value.contains("sequence");
  if (has_request == has_sequence) {
    problem(path, has_request ? "a task has either \"request\" or \"sequence\", not both"
                              : "missing: a task needs \"request\" or \"sequence\"");
  } else if (has_request) {
    if (auto r = parse_request(value["request"], path + "/request", scope, cls)) {
      task.steps.push_back(std::move(*r));
    }
  } else {
    const json& seq = value["sequence"];
    if (!seq.is_array() || seq.empty()) {
      problem(path + "/sequence", "expected a non-empty array of requests");
    } else {
      for (std::size_t i = 0; i < seq.size(); ++i) {
        if (auto r = parse_request(seq[i], join_pointer(path + "/sequence", i), scope, cls)) {
          task.steps.push_back(std::move(*r));
        }
      }
    }
  }
  if (problems_.size() != before) return std::nullopt;
  return task;
}

std::optional<StringTemplate> ScenarioParser::compile_template(const json& value,
                                                               const std::string& path,
                                                               const Scope& scope,
                                                               ClassContext& cls) {
  std::string text;
  if (value.is_string()) {
    text = value.get<std::string>();
  } else if (value.is_number() || value.is_boolean()) {
    text = value.dump();
  } else {
    problem(path, "expected a string (may contain ${…}) or a number, got " + value.dump());
    return std::nullopt;
  }
  std::vector<ExprError> errors;
  StringTemplate t = StringTemplate::compile(text, scope, cls.state, errors);
  if (!errors.empty()) {
    expr_problems(path, errors);
    return std::nullopt;
  }
  return t;
}

std::optional<Request> ScenarioParser::parse_request(const json& value, const std::string& path,
                                                     const Scope& scope, ClassContext& cls) {
  if (!expect_object(value, path)) return std::nullopt;
  check_keys(value, path, {"name", "method", "path", "query", "headers", "json", "body", "form",
                           "multipart", "auth", "check", "capture", "timeout", "when",
                           "follow_redirects", "honour_retry_after"});
  const std::size_t before = problems_.size();
  Request r;
  r.method = "GET";
  if (value.contains("method")) {
    if (auto text = string_field(value["method"], path + "/method")) {
      if (auto m = canonical_method(*text)) {
        r.method = *m;
      } else {
        problem(path + "/method", "expected an HTTP method (GET, POST, PUT, DELETE, PATCH, HEAD, "
                                  "OPTIONS), got \"" + *text + "\"");
      }
    }
  }
  if (!value.contains("path")) {
    problem(path + "/path", "missing: a request needs a \"path\" like \"/api/items/${id}\"");
  } else if (auto text = string_field(value["path"], path + "/path")) {
    if (text->front() != '/') {
      problem(path + "/path", "expected a path starting with '/', got \"" + *text + "\"");
    } else if (auto t = compile_template(value["path"], path + "/path", scope, cls)) {
      r.path = std::move(*t);
    }
  }
  r.name = r.path.source();
  if (value.contains("name")) {
    if (auto name = string_field(value["name"], path + "/name")) r.name = *name;
  }
  if (value.contains("query") && expect_object(value["query"], path + "/query")) {
    for (const auto& [key, v] : value["query"].items()) {
      if (auto t = compile_template(v, join_pointer(path + "/query", key), scope, cls)) {
        QueryParam q;
        append_url_encoded(key, q.encoded_name);
        q.value = std::move(*t);
        r.query.push_back(std::move(q));
      }
    }
  }
  // Default headers first; a request header of the same name (any case) replaces one.
  std::vector<std::pair<std::string, StringTemplate>> headers;
  for (const auto& [name, text] : default_headers_) {
    std::vector<ExprError> ignored;  // validated once in parse_defaults
    headers.emplace_back(name, StringTemplate::compile(text, Scope{}, cls.state, ignored));
  }
  if (value.contains("headers") && expect_object(value["headers"], path + "/headers")) {
    for (const auto& [name, v] : value["headers"].items()) {
      const std::string hpath = join_pointer(path + "/headers", name);
      if (!is_header_name(name)) {
        problem(hpath, "invalid header name '" + name + "'");
        continue;
      }
      auto t = compile_template(v, hpath, scope, cls);
      if (!t) continue;
      // Named again for the lambda: clang 15 (the fuzz build) cannot capture a structured binding.
      std::erase_if(headers, [&header = name](const auto& h) { return iequals(h.first, header); });
      headers.emplace_back(name, std::move(*t));
    }
  }
  const int bodies = static_cast<int>(value.contains("json")) + static_cast<int>(value.contains("body")) +
                     static_cast<int>(value.contains("form")) + static_cast<int>(value.contains("multipart"));
  auto add_content_type = [&](std::string_view type) {
    const bool has_type = std::any_of(headers.begin(), headers.end(),
                                      [](const auto& h) { return iequals(h.first, "Content-Type"); });
    if (has_type) return;
    std::vector<ExprError> none;
    headers.emplace_back("Content-Type", StringTemplate::compile(type, Scope{}, cls.state, none));
  };
  if (bodies == 2 && value.contains("json") && value.contains("body")) {
    problem(path, "a request has either \"json\" or \"body\", not both");
  } else if (bodies > 1) {
    problem(path, "a request has at most one of \"json\", \"body\", \"form\" or \"multipart\"");
  } else if (value.contains("form")) {
    parse_form(value["form"], path + "/form", scope, cls, r);
    add_content_type("application/x-www-form-urlencoded");
  } else if (value.contains("multipart")) {
    parse_multipart(value["multipart"], path + "/multipart", scope, cls, r);
    add_content_type("multipart/form-data; boundary=" + std::string(kMultipartBoundary));
  } else if (value.contains("json")) {
    r.body_kind = Request::BodyKind::kJson;
    r.json_body = JsonTemplate::compile(value["json"], scope, cls.state,
                                        [&](const std::string& suffix, const ExprError& e) {
                                          problem(path + "/json" + suffix, e.message);
                                        });
    const bool has_type = std::any_of(headers.begin(), headers.end(),
                                      [](const auto& h) { return iequals(h.first, "Content-Type"); });
    if (!has_type) {
      std::vector<ExprError> none;
      headers.emplace_back("Content-Type", StringTemplate::compile("application/json", Scope{}, cls.state, none));
    }
  } else if (value.contains("body")) {
    if (string_field(value["body"], path + "/body", true)) {
      if (auto t = compile_template(value["body"], path + "/body", scope, cls)) {
        r.body_kind = Request::BodyKind::kRaw;
        r.raw_body = std::move(*t);
      }
    }
  }
  for (auto& [name, t] : headers) r.headers.push_back({name, std::move(t), "", false});
  if (value.contains("auth")) {
    std::vector<HeaderTemplate> auth;
    parse_auth(value["auth"], path + "/auth", scope, cls, auth);
    const bool explicit_header = std::any_of(r.headers.begin(), r.headers.end(),
                                             [](const auto& h) { return iequals(h.name, "Authorization"); });
    if (explicit_header && !auth.empty()) {
      problem(path + "/auth", "the request has an Authorization header too (keep one of them)");
    }
    for (auto& h : auth) r.headers.push_back(std::move(h));
  }
  if (value.contains("when")) r.when = parse_condition(value["when"], path + "/when", scope, cls);
  if (value.contains("follow_redirects")) {
    if (!value["follow_redirects"].is_boolean()) {
      problem(path + "/follow_redirects", "expected true or false, got " + value["follow_redirects"].dump());
    } else {
      r.follow_redirects = value["follow_redirects"].get<bool>();
    }
  }
  if (value.contains("honour_retry_after")) {
    if (!value["honour_retry_after"].is_boolean()) {
      problem(path + "/honour_retry_after", "expected true or false, got " + value["honour_retry_after"].dump());
    } else {
      r.honour_retry_after = value["honour_retry_after"].get<bool>();
    }
  }

  std::optional<double> timeout_s = default_timeout_s_;
  if (value.contains("timeout")) timeout_s = duration_field(value["timeout"], path + "/timeout", false);
  if (timeout_s) {
    r.timeout = std::chrono::milliseconds(std::max<long long>(1, std::llround(*timeout_s * 1000)));
  }
  if (value.contains("check")) parse_check(value["check"], path + "/check", r.check);
  if (value.contains("capture")) parse_captures(value["capture"], path + "/capture", cls, r.captures);
  if (problems_.size() != before) return std::nullopt;
  r.endpoint_id = endpoint_id(r.method, r.name);
  return r;
}

void ScenarioParser::parse_check(const json& value, const std::string& path, Check& out) {
  if (!expect_object(value, path)) return;
  check_keys(value, path, {"status", "json", "body_contains", "header", "regex"});
  if (value.contains("body_contains")) {
    const json& b = value["body_contains"];
    const std::string bpath = path + "/body_contains";
    if (b.is_array()) {
      if (b.empty()) problem(bpath, "expected a string or a non-empty array of strings");
      for (std::size_t i = 0; i < b.size(); ++i) {
        if (auto text = string_field(b[i], join_pointer(bpath, i))) out.body_contains.push_back(*text);
      }
    } else if (auto text = string_field(b, bpath)) {
      out.body_contains.push_back(*text);
    }
  }
  if (value.contains("header") && expect_object(value["header"], path + "/header")) {
    for (const auto& [name, v] : value["header"].items()) {
      const std::string hpath = join_pointer(path + "/header", name);
      HeaderCheck h;
      h.name = name;
      if (v.is_boolean()) {
        h.kind = v.get<bool>() ? HeaderCheck::Kind::kPresent : HeaderCheck::Kind::kAbsent;
      } else if (v.is_string()) {
        h.kind = HeaderCheck::Kind::kContains;
        h.text = v.get<std::string>();
      } else {
        problem(hpath, "expected true (present), false (absent) or a string the value contains, got " + v.dump());
        continue;
      }
      out.headers.push_back(std::move(h));
    }
  }
  if (value.contains("regex")) {
    const json& rx = value["regex"];
    const std::string rpath = path + "/regex";
    if (rx.is_array()) {
      if (rx.empty()) problem(rpath, "expected a regex string or a non-empty array of them");
      for (std::size_t i = 0; i < rx.size(); ++i) {
        if (auto p = compile_regex(rx[i], join_pointer(rpath, i))) out.regex.push_back(std::move(*p));
      }
    } else if (auto p = compile_regex(rx, rpath)) {
      out.regex.push_back(std::move(*p));
    }
  }
  if (value.contains("status")) {
    const json& s = value["status"];
    const std::string spath = path + "/status";
    if (s.is_array()) {
      if (s.empty()) problem(spath, "expected a status code or a non-empty array of them");
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (auto code = int_field(s[i], join_pointer(spath, i), 100, 599)) out.statuses.push_back(*code);
      }
    } else if (auto code = int_field(s, spath, 100, 599)) {
      out.statuses.push_back(*code);
    }
  }
  if (!value.contains("json")) return;
  const json& checks = value["json"];
  const std::string jpath = path + "/json";
  if (!checks.is_array()) {
    problem(jpath, "expected an array of {\"path\": …, \"exists\" | \"equals\" | \"in\": …}");
    return;
  }
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const std::string cpath = join_pointer(jpath, i);
    const json& c = checks[i];
    if (!expect_object(c, cpath)) continue;
    check_keys(c, cpath, {"path", "exists", "equals", "in"});
    JsonCheck jc;
    bool ok = true;
    if (!c.contains("path")) {
      problem(cpath + "/path", "missing: a JSON check needs a \"path\" like \"data.items[0].id\"");
      ok = false;
    } else if (auto text = string_field(c["path"], cpath + "/path")) {
      std::string error;
      if (auto p = JsonPath::parse(*text, error)) {
        jc.path = std::move(*p);
      } else {
        problem(cpath + "/path", "bad JSON path \"" + *text + "\": " + error);
        ok = false;
      }
    } else {
      ok = false;
    }
    const int predicates = static_cast<int>(c.contains("exists")) + static_cast<int>(c.contains("equals")) +
                           static_cast<int>(c.contains("in"));
    if (predicates != 1) {
      problem(cpath, "expected exactly one of \"exists\", \"equals\" or \"in\"");
      continue;
    }
    if (c.contains("exists")) {
      jc.kind = JsonCheck::Kind::kExists;
      if (!c["exists"].is_boolean()) {
        problem(cpath + "/exists", "expected true or false, got " + c["exists"].dump());
        ok = false;
      } else {
        jc.exists = c["exists"].get<bool>();
      }
    } else if (c.contains("equals")) {
      jc.kind = JsonCheck::Kind::kEquals;
      jc.expected = c["equals"];
    } else {
      jc.kind = JsonCheck::Kind::kIn;
      if (!c["in"].is_array() || c["in"].empty()) {
        problem(cpath + "/in", "expected a non-empty array of accepted values, got " + c["in"].dump());
        ok = false;
      } else {
        jc.options.assign(c["in"].begin(), c["in"].end());
      }
    }
    if (ok) out.json.push_back(std::move(jc));
  }
}

void ScenarioParser::parse_captures(const json& value, const std::string& path,
                                    const ClassContext& cls, std::vector<Capture>& out) {
  if (!expect_object(value, path)) return;
  for (const auto& [name, p] : value.items()) {
    const std::string cpath = join_pointer(path, name);
    if (!is_identifier(name)) {
      problem(cpath, "capture names must be identifiers (letters, digits, '_'), got '" + name + "'");
      continue;
    }
    Capture capture;
    capture.variable = name;
    capture.slot = *cls.scope.find(name);
    const json* json_path = &p;
    std::string jpath = cpath;
    if (p.is_object()) {
      if (!check_keys(p, cpath, {"json", "regex", "header", "cookie"})) continue;
      if (p.size() != 1) {
        problem(cpath, "expected exactly one of \"json\", \"regex\", \"header\" or \"cookie\"");
        continue;
      }
      if (p.contains("regex")) {
        auto pattern = compile_regex(p["regex"], cpath + "/regex");
        if (!pattern) continue;
        capture.kind = Capture::Kind::kRegex;
        capture.pattern = std::move(*pattern);
        out.push_back(std::move(capture));
        continue;
      }
      if (p.contains("header") || p.contains("cookie")) {
        const bool header = p.contains("header");
        auto text = string_field(header ? p["header"] : p["cookie"], cpath + (header ? "/header" : "/cookie"));
        if (!text) continue;
        capture.kind = header ? Capture::Kind::kHeader : Capture::Kind::kCookie;
        capture.name = *text;
        out.push_back(std::move(capture));
        continue;
      }
      json_path = &p["json"];
      jpath = cpath + "/json";
    }
    auto text = string_field(*json_path, jpath);
    if (!text) continue;
    std::string error;
    auto parsed = JsonPath::parse(*text, error);
    if (!parsed) {
      problem(jpath, "bad JSON path \"" + *text + "\": " + error);
      continue;
    }
    capture.path = std::move(*parsed);
    out.push_back(std::move(capture));
  }
}

std::optional<Pattern> ScenarioParser::compile_regex(const json& value, const std::string& path) {
  auto text = string_field(value, path);
  if (!text) return std::nullopt;
  try {
    return Pattern{*text, std::make_shared<const std::regex>(*text, std::regex::ECMAScript)};
  } catch (const std::regex_error& e) {
    problem(path, "invalid regex /" + *text + "/: " + e.what());
    return std::nullopt;
  }
}

std::uint32_t ScenarioParser::endpoint_id(std::string_view method, const std::string& name) {
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (endpoints_[i].method == method && endpoints_[i].name == name) return static_cast<std::uint32_t>(i);
  }
  endpoints_.push_back({std::string(method), name});
  return static_cast<std::uint32_t>(endpoints_.size() - 1);
}

}  // namespace stampede::scenarios
