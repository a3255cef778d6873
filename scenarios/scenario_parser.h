// ScenarioParser: turns a scenario JSON document into a Scenario, validating everything
// and collecting every problem (file + JSON pointer + what was expected) before throwing.
// Internal to the scenarios library; use Scenario::load / Scenario::parse.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenarios/compiled.h"
#include "scenarios/scenario.h"

namespace stampede::scenarios {

class ScenarioParser {
 public:
  explicit ScenarioParser(std::string file) : file_(std::move(file)) {}

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
  std::vector<Problem> problems_;
  std::vector<Endpoint> endpoints_;
  std::optional<double> default_timeout_s_;
  std::vector<std::pair<std::string, std::string>> default_headers_;  // name, template
  std::string default_headers_path_;
};

std::string join_pointer(const std::string& path, std::string_view key);
std::string join_pointer(const std::string& path, std::size_t index);

}  // namespace stampede::scenarios
