// ScenarioParser, part 5: form and multipart bodies, auth helpers.
#include <fstream>
#include <sstream>

#include "scenarios/limits.h"
#include "scenarios/scenario_parser.h"

namespace stampede::scenarios {

void ScenarioParser::parse_form(const json& value, const std::string& path, const Scope& scope,
                                ClassContext& cls, Request& r) {
  if (!expect_object(value, path)) return;
  r.body_kind = Request::BodyKind::kForm;
  for (const auto& [key, v] : value.items()) {
    if (auto t = compile_template(v, join_pointer(path, key), scope, cls)) {
      FormField f;
      append_url_encoded(key, f.encoded_name);
      f.value = std::move(*t);
      r.form.push_back(std::move(f));
    }
  }
}

// {"fields": {name: template}, "files": {name: "path" | {"path", "filename", "content_type"}}}
void ScenarioParser::parse_multipart(const json& value, const std::string& path, const Scope& scope,
                                     ClassContext& cls, Request& r) {
  if (!expect_object(value, path)) return;
  check_keys(value, path, {"fields", "files"});
  r.body_kind = Request::BodyKind::kMultipart;
  auto quoted_name_ok = [&](const std::string& name, const std::string& npath) {
    if (name.find_first_of("\"\r\n") == std::string::npos) return true;
    problem(npath, "a multipart name may not contain '\"' or a line break");
    return false;
  };
  if (value.contains("fields") && expect_object(value["fields"], path + "/fields")) {
    for (const auto& [name, v] : value["fields"].items()) {
      const std::string fpath = join_pointer(path + "/fields", name);
      if (!quoted_name_ok(name, fpath)) continue;
      if (auto t = compile_template(v, fpath, scope, cls)) {
        MultipartPart part;
        part.name = name;
        part.value = std::move(*t);
        r.multipart.push_back(std::move(part));
      }
    }
  }
  if (value.contains("files") && expect_object(value["files"], path + "/files")) {
    for (const auto& [name, spec] : value["files"].items()) {
      const std::string fpath = join_pointer(path + "/files", name);
      if (!quoted_name_ok(name, fpath)) continue;
      MultipartPart part;
      part.name = name;
      part.content_type = "application/octet-stream";
      std::optional<std::string> file;
      std::string file_path = fpath;
      if (spec.is_string()) {
        file = string_field(spec, fpath);
      } else if (expect_object(spec, fpath)) {
        check_keys(spec, fpath, {"path", "filename", "content_type"});
        file_path = fpath + "/path";
        if (!spec.contains("path")) {
          problem(file_path, "missing: a multipart file needs a \"path\"");
        } else {
          file = string_field(spec["path"], file_path);
        }
        if (spec.contains("filename")) {
          if (auto f = string_field(spec["filename"], fpath + "/filename")) {
            if (quoted_name_ok(*f, fpath + "/filename")) part.filename = *f;
          }
        }
        if (spec.contains("content_type")) {
          if (auto t = string_field(spec["content_type"], fpath + "/content_type")) {
            if (t->find_first_of("\r\n") != std::string::npos) {
              problem(fpath + "/content_type", "a content type may not contain a line break");
            } else {
              part.content_type = *t;
            }
          }
        }
      }
      if (!file) continue;
      const std::filesystem::path full = std::filesystem::path(*file).is_absolute() ? std::filesystem::path(*file)
                                                                                     : base_dir_ / *file;
      if (part.filename.empty()) part.filename = full.filename().string();
      std::error_code ec;
      if (!std::filesystem::is_regular_file(full, ec)) {
        problem(file_path, "cannot read multipart file " + full.string() + ": " +
                               (std::filesystem::exists(full, ec) ? "not a regular file" : "no such file"));
        continue;
      }
      if (std::filesystem::file_size(full, ec) > kMaxMultipartFileBytes) {
        problem(file_path, "multipart file " + full.string() + " is larger than " +
                               std::to_string(kMaxMultipartFileBytes >> 20) + " MiB (the limit)");
        continue;
      }
      std::ifstream in(full, std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      if (!in) {
        problem(file_path, "cannot read multipart file " + full.string());
        continue;
      }
      std::string bytes = content.str();
      if (bytes.find(kMultipartBoundary) != std::string::npos) {
        problem(file_path, "multipart file " + full.string() + " contains the body's boundary text");
        continue;
      }
      part.file = std::make_shared<const std::string>(std::move(bytes));
      r.multipart.push_back(std::move(part));
    }
  }
}

// {"basic": [user, password]} or {"bearer": token}, each a template.
void ScenarioParser::parse_auth(const json& value, const std::string& path, const Scope& scope,
                                ClassContext& cls, std::vector<HeaderTemplate>& auth) {
  if (!expect_object(value, path)) return;
  if (!check_keys(value, path, {"basic", "bearer"})) return;
  if (value.size() != 1) {
    if (value.empty()) problem(path, "expected one of \"basic\": [user, password] or \"bearer\": token");
    else problem(path, "expected either \"basic\" or \"bearer\", not both");
    return;
  }
  HeaderTemplate h;
  h.name = "Authorization";
  if (value.contains("basic")) {
    const json& pair = value["basic"];
    if (!pair.is_array() || pair.size() != 2) {
      problem(path + "/basic", "expected [user, password], got " + pair.dump());
      return;
    }
    // One template "user:password", so both sides are evaluated once, in order.
    auto user = compile_template(pair[0], path + "/basic/0", scope, cls);
    auto password = compile_template(pair[1], path + "/basic/1", scope, cls);
    if (!user || !password) return;
    std::string text = pair[0].is_string() ? pair[0].get<std::string>() : pair[0].dump();
    text += ':';
    text += pair[1].is_string() ? pair[1].get<std::string>() : pair[1].dump();
    std::vector<ExprError> errors;
    h.value = StringTemplate::compile(text, scope, cls.state, errors);
    h.prefix = "Basic ";
    h.base64 = true;
  } else {
    auto token = compile_template(value["bearer"], path + "/bearer", scope, cls);
    if (!token) return;
    h.value = std::move(*token);
    h.prefix = "Bearer ";
  }
  auth.push_back(std::move(h));
}

}  // namespace stampede::scenarios
