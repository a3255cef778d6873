// ScenarioParser: turns a scenario JSON document into a Scenario, validating everything
// and collecting every problem (file + JSON pointer + what was expected) before throwing.
// Internal to the scenarios library; use Scenario::load / Scenario::parse.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "scenarios/compiled.h"
#include "scenarios/scenario.h"

namespace stampede::scenarios {

class ScenarioParser {
 public:
  explicit ScenarioParser(std::string file)
      : file_(std::move(file)), base_dir_(std::filesystem::path(file_).parent_path()) {}

  // Throws ScenarioError with every problem found.
  Scenario parse(const nlohmann::json& doc);

 private:
  using json = nlohmann::json;

  // Per-class compile context.
  struct ClassContext {
    Scope scope;  // on_start variables and captures
    CompileState state;
    int slot_count = 0;
    std::vector<std::string> user_names;  // on_start + capture names
  };

  // --- problems --------------------------------------------------------------------------
  void problem(const std::string& path, std::string message);
  void expr_problems(const std::string& path, const std::vector<ExprError>& errors);
  // Reports keys not in `allowed` (with a suggestion); false when some were unknown.
  bool check_keys(const json& obj, const std::string& path,
                  std::initializer_list<std::string_view> allowed);
  bool expect_object(const json& value, const std::string& path);

  // --- typed fields (report and return nullopt on a bad value) ----------------------------
  std::optional<std::string> string_field(const json& value, const std::string& path,
                                          bool allow_empty = false);
  std::optional<double> number_field(const json& value, const std::string& path, double min,
                                     bool min_exclusive, double max);
  std::optional<long> int_field(const json& value, const std::string& path, long min, long max);
  std::optional<double> duration_field(const json& value, const std::string& path,
                                       bool allow_zero);
  std::vector<std::string> tags_field(const json& value, const std::string& path);

  // --- sections ---------------------------------------------------------------------------
  void parse_defaults(const json& value, const std::string& path);
  std::optional<UserClass> parse_class(const json& value, const std::string& path);
  std::optional<WaitTime> parse_wait(const json& value, const std::string& path);
  std::vector<VarDef> parse_vars(const json& value, const std::string& path, Scope& scope,
                                 ClassContext& cls, bool user_level);
  void collect_captures(const json& tasks, ClassContext& cls);
  std::optional<Task> parse_task(const json& value, const std::string& path, ClassContext& cls);
  std::optional<Request> parse_request(const json& value, const std::string& path,
                                       const Scope& scope, ClassContext& cls);
  void parse_check(const json& value, const std::string& path, Check& out);
  void parse_captures(const json& value, const std::string& path, const ClassContext& cls,
                      std::vector<Capture>& out);
  // Registers the capture names of one request object in the class scope.
  void collect_request_captures(const json& request, ClassContext& cls);
  std::optional<Pattern> compile_regex(const json& value, const std::string& path);

  // --- data, bodies, conditions (data_parser.cpp, body_parser.cpp) ------------------------
  void parse_data(const json& value, const std::string& path);
  // on_start entries "name": "next(source)": a record binding per entry, its fields in
  // scope as name.column. Returns the on_start object without them (and without "requests").
  json parse_records(const json& on_start, const json& whole_class, const std::string& path,
                     ClassContext& cls, std::vector<RecordBinding>& out);
  std::vector<Request> parse_hook_requests(const json& hook, const std::string& path,
                                           ClassContext& cls);
  std::optional<Condition> parse_condition(const json& value, const std::string& path,
                                           const Scope& scope, ClassContext& cls);
  // form / multipart / auth of a request; headers gains Content-Type and Authorization.
  void parse_form(const json& value, const std::string& path, const Scope& scope,
                  ClassContext& cls, Request& r);
  void parse_multipart(const json& value, const std::string& path, const Scope& scope,
                       ClassContext& cls, Request& r);
  void parse_auth(const json& value, const std::string& path, const Scope& scope,
                  ClassContext& cls, std::vector<HeaderTemplate>& auth);
  // load_shape: its users form into Scenario::shape_, its arrival_rate form into
  // Scenario::arrival_shape_.
  void parse_load_shape(const json& value, const std::string& path, Scenario& out);
  std::optional<LoadShape> parse_shape(const json& value, const std::string& path);
  std::optional<ArrivalShape> parse_arrival_shape(const json& value, const std::string& path);
  // Like check_keys for a load-shape stage; a key of the other form gets `hint`.
  void shape_stage_keys(const json& stage, const std::string& path,
                        std::initializer_list<std::string_view> allowed,
                        std::initializer_list<std::string_view> other_form, std::string_view hint);
  std::optional<StringTemplate> compile_template(const json& value, const std::string& path,
                                                 const Scope& scope, ClassContext& cls);
  std::uint32_t endpoint_id(std::string_view method, const std::string& name);

  std::string file_;
  std::filesystem::path base_dir_;  // data and multipart files are relative to the scenario
  std::map<std::string, std::shared_ptr<DataSource>> data_;
  std::set<std::string> broken_data_;  // sources whose file had a problem (reported once)
  std::vector<Problem> problems_;
  std::vector<Endpoint> endpoints_;
  std::optional<double> default_timeout_s_;
  std::vector<std::pair<std::string, std::string>> default_headers_;  // name, template
  std::string default_headers_path_;
};

std::string join_pointer(const std::string& path, std::string_view key);
std::string join_pointer(const std::string& path, std::size_t index);

}  // namespace stampede::scenarios
