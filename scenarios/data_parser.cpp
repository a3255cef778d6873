// ScenarioParser, part 4: data sources ("data"), the records users take from them
// (on_start "name": "next(source)"), on_start / on_stop requests and `when` conditions.
#include <cctype>
#include <regex>
#include <set>

#include "scenarios/scenario_parser.h"
#include "scenarios/suggest.h"

namespace stampede::scenarios {

namespace {

// "next(name)" with optional spaces: the source's name, else nullopt.
std::optional<std::string> next_call(const nlohmann::json& value) {
  if (!value.is_string()) return std::nullopt;
  static const std::regex kNext(R"(^\s*next\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$)");
  std::smatch m;
  const std::string& text = value.get_ref<const std::string&>();
  if (!std::regex_match(text, m, kNext)) return std::nullopt;
  return m[1].str();
}

// Where a top-level `==` / `!=` (outside ${…} and quotes) splits a condition, if anywhere.
std::optional<std::pair<std::size_t, bool>> comparison(std::string_view text) {
  int depth = 0;
  char quote = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (depth > 0) {
      if (c == '{') ++depth;
      if (c == '}') --depth;
      continue;
    }
    if (c == '$' && text[i + 1] == '{') {
      depth = 1;
      ++i;
      continue;
    }
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if ((c == '=' || c == '!') && text[i + 1] == '=') return std::make_pair(i, c == '=');
  }
  return std::nullopt;
}

}  // namespace

void ScenarioParser::parse_data(const json& value, const std::string& path) {
  if (!expect_object(value, path)) return;
  for (const auto& [name, spec] : value.items()) {
    const std::string dpath = join_pointer(path, name);
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
      problem(dpath, "data source names must be identifiers (letters, digits, '_'), got '" + name + "'");
      continue;
    }
    if (!expect_object(spec, dpath)) continue;
    check_keys(spec, dpath, {"csv", "json", "pick"});
    const bool csv = spec.contains("csv"), json_file = spec.contains("json");
    if (csv == json_file) {
      problem(dpath, csv ? "a data source has either \"csv\" or \"json\", not both"
                         : "missing: a data source needs \"csv\" or \"json\" (a file name)");
      continue;
    }
    DataSource::Pick pick = DataSource::Pick::kUnique;
    if (spec.contains("pick")) {
      const std::vector<std::string> picks = {"unique", "cycle", "random"};
      if (auto p = string_field(spec["pick"], dpath + "/pick")) {
        if (*p == "unique") {
          pick = DataSource::Pick::kUnique;
        } else if (*p == "cycle") {
          pick = DataSource::Pick::kCycle;
        } else if (*p == "random") {
          pick = DataSource::Pick::kRandom;
        } else {
          problem(dpath + "/pick", "expected \"unique\", \"cycle\" or \"random\", got \"" + *p + "\"" +
                                       did_you_mean(*p, picks));
          continue;
        }
      } else {
        continue;
      }
    }
    const std::string key = csv ? "csv" : "json";
    auto file = string_field(spec[key], dpath + "/" + key);
    if (!file) continue;
    const std::filesystem::path full = std::filesystem::path(*file).is_absolute() ? std::filesystem::path(*file)
                                                                                   : base_dir_ / *file;
    if (csv == (full.extension() == ".json")) {
      problem(dpath + "/" + key, csv ? "\"csv\" names a .json file (use \"json\": …)"
                                     : "a JSON data file's name must end in .json, got \"" + *file + "\"");
      continue;
    }
    std::string error;
    std::optional<DataSource> source = DataSource::load(full, error);
    if (!source) {
      problem(dpath + "/" + key, error);
      broken_data_.insert(name);
      continue;
    }
    source->pick = pick;
    data_[name] = std::make_shared<DataSource>(*source);
  }
}

nlohmann::json ScenarioParser::parse_records(const json& on_start, const json& whole_class, const std::string& path,
                                             ClassContext& cls, std::vector<RecordBinding>& out) {
  json rest = json::object();
  for (const auto& [name, value] : on_start.items()) {
    if (name == "requests") continue;
    auto source_name = next_call(value);
    if (!source_name) {
      rest[name] = value;
      continue;
    }
    const std::string vpath = join_pointer(path, name);
    auto it = data_.find(*source_name);
    if (it == data_.end()) {
      if (!broken_data_.contains(*source_name)) {
        std::vector<std::string> names;
        for (const auto& [n, s] : data_) names.push_back(n);
        problem(vpath, "undefined data source '" + *source_name + "'" +
                           (names.empty() ? std::string(" (the scenario has no \"data\")") : did_you_mean(*source_name, names)));
      }
      // The record's fields stay defined (as the class uses them), so their uses do not
      // cascade into "undefined variable" noise.
      const std::regex field("\\b" + name + "\\.([A-Za-z_][A-Za-z0-9_]*)");
      const std::string text = whole_class.dump();
      std::set<std::string> fields;
      for (auto m = std::sregex_iterator(text.begin(), text.end(), field); m != std::sregex_iterator(); ++m) {
        fields.insert((*m)[1].str());
      }
      for (const auto& f : fields) {
        if (!cls.scope.find(name + "." + f)) cls.scope.add(name + "." + f, cls.slot_count++);
      }
      continue;
    }
    RecordBinding b;
    b.variable = name;
    b.source_name = *source_name;
    b.source = it->second;
    for (const auto& column : it->second->columns()) {
      const int slot = cls.slot_count++;
      cls.scope.add(name + "." + column, slot);
      cls.user_names.push_back(name + "." + column);
      b.slots.push_back(slot);
    }
    out.push_back(std::move(b));
  }
  return rest;
}

std::vector<Request> ScenarioParser::parse_hook_requests(const json& hook, const std::string& path,
                                                         ClassContext& cls) {
  std::vector<Request> out;
  const std::string rpath = path + "/requests";
  const json& requests = hook["requests"];
  if (!requests.is_array() || requests.empty()) {
    problem(rpath, "expected a non-empty array of requests");
    return out;
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (auto r = parse_request(requests[i], join_pointer(rpath, i), cls.scope, cls)) out.push_back(std::move(*r));
  }
  return out;
}

std::optional<Condition> ScenarioParser::parse_condition(const json& value, const std::string& path,
                                                         const Scope& scope, ClassContext& cls) {
  auto text = string_field(value, path);
  if (!text) return std::nullopt;
  Condition c;
  std::vector<ExprError> errors;
  if (auto split = comparison(*text)) {
    c.op = split->second ? Condition::Op::kEquals : Condition::Op::kNotEquals;
    c.left = StringTemplate::compile(text->substr(0, split->first), scope, cls.state, errors);
    std::vector<ExprError> right_errors;
    c.right = StringTemplate::compile(text->substr(split->first + 2), scope, cls.state, right_errors);
    for (auto& e : right_errors) {
      e.message += " (right of " + std::string(split->second ? "==" : "!=") + ")";
      errors.push_back(std::move(e));
    }
  } else {
    c.left = StringTemplate::compile(*text, scope, cls.state, errors);
  }
  if (!errors.empty()) {
    expr_problems(path, errors);
    return std::nullopt;
  }
  return c;
}

}  // namespace stampede::scenarios
