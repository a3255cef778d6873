// Scenario: a declarative load scenario loaded from JSON (see scenarios/README.md for the
// format). Loading validates everything up front and reports every problem at once.
//
// This header is the engine-facing contract. Internals (expression AST, templates) live in
// their own headers; the engine only needs Scenario, UserClass, Endpoint, LoadShape, ArrivalShape and
// UserSession (user_session.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace stampede::scenarios {

// One problem found while loading: where (file + JSON pointer) and what was expected.
struct Problem {
  std::string file;
  std::string json_path;  // JSON pointer, e.g. "/user_classes/1/tasks/0/request/path"
  std::string message;    // e.g. "expected a positive number, got \"abc\""
  std::string to_string() const;  // "file: /json/path: message"
};

// Thrown by Scenario::load/parse/filtered with all problems found.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

// A (method, stats name) pair statistics are grouped under. Ids are dense: 0..N-1.
struct Endpoint {
  std::string method;  // upper-case, e.g. "GET"
  std::string name;    // e.g. "/api/coupon/grab [Random]"
};

struct WaitTime {
  enum class Kind { kNone, kBetween, kConstant, kConstantPacing, kConstantThroughput };
  Kind kind = Kind::kNone;
  double a_s = 0;  // between: min; constant/pacing: seconds; throughput: tasks per second
  double b_s = 0;  // between: max
};

// Load shape: what the user count and spawn rate should be at a given time since start.
struct LoadStage {
  double until_s;    // this stage applies while elapsed < until_s
  int users;
  double spawn_rate;  // users per second
};
struct LoadShape {
  std::vector<LoadStage> stages;  // ascending until_s; after the last stage the run stops
  // (users, spawn_rate) at elapsed seconds; std::nullopt once the shape has ended.
  std::optional<std::pair<int, double>> at(double elapsed_s) const;
};

// load_shape's arrival_rate form (the open model, docs/open-model.md): arrivals per second
// over time, piecewise linear. Stage i runs from the previous stage's until_s (0 for the
// first) to its own, the rate going linearly from from_rate to to_rate (equal in a hold or
// a step); a rate may be 0 (a pause). The run stops at the last stage's end.
struct RateStage {
  double until_s;    // seconds since the start
  double from_rate;  // arrivals per second at the stage's start
  double to_rate;    // ... and at its end
};
struct ArrivalShape {
  std::vector<RateStage> stages;  // non-empty, ascending until_s, each longer than 0
  double end_s() const { return stages.empty() ? 0 : stages.back().until_s; }
  double peak_rate() const;
  // The rate at elapsed seconds (at a step, the new stage's); std::nullopt once ended.
  std::optional<double> rate_at(double elapsed_s) const;
  // The integral of the rate over the whole shape: how many arrivals it starts (as a real;
  // the schedule starts ceil() of it, see generator/engine/arrival_schedule.h).
  double expected_arrivals() const;
};

class UserClassImpl;  // compiled tasks, templates, expressions (opaque to the engine)

struct UserClass {
  std::string name;
  double weight = 1;
  std::optional<int> fixed_count;  // Locust's fixed_count: exactly this many users
  WaitTime wait;
  std::vector<std::string> tags;   // class tags (tasks may have their own, see README)
  std::shared_ptr<const UserClassImpl> impl;
};

class Scenario {
 public:
  // Throws ScenarioError (all problems, each naming the file and JSON path), and nothing
  // else that the input can cause. A file that cannot be read or is not JSON is one
  // Problem with the path "" (and line/column); input past a limit of scenarios/limits.h
  // (nesting, number range, file size) is one Problem at the closest JSON path known.
  static Scenario load(const std::filesystem::path& file);
  // The text of a scenario file, as load() reads it; `file_name` names it in problems.
  static Scenario parse_text(std::string_view json_text, const std::string& file_name);
  static Scenario parse(const nlohmann::json& doc, const std::string& file_name);

  const std::string& name() const { return name_; }
  const std::vector<UserClass>& user_classes() const { return classes_; }
  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  // load_shape in its users form (the closed model); std::nullopt without one or when
  // load_shape has the arrival_rate form, which is arrival_shape() (the open model).
  const std::optional<LoadShape>& load_shape() const { return shape_; }
  const std::optional<ArrivalShape>& arrival_shape() const { return arrival_shape_; }
  const nlohmann::json& source() const { return source_; }  // the document as loaded
  // Thresholds from the scenario's "thresholds" array, as raw expression strings (the CI
  // gate parses them); empty if absent.
  const std::vector<std::string>& thresholds() const { return thresholds_; }

  // A copy keeping only the named classes (empty = all) and, when tags are given, only
  // tasks carrying at least one of them (classes left with no task are dropped).
  // Throws ScenarioError for an unknown class name or when nothing is left to run.
  Scenario filtered(const std::vector<std::string>& class_names,
                    const std::vector<std::string>& tags) const;

  // Refuses (ScenarioError naming the data source) a run of up to `users` users (split over
  // the classes by distribute_users) in which the classes taking rows from a data source
  // with pick "unique" would take more rows than it has. Call before any load.
  void check_users(int users) const;

 private:
  std::string name_;
  std::string file_;  // where it was loaded from, for error messages
  std::vector<UserClass> classes_;
  std::vector<Endpoint> endpoints_;
  std::optional<LoadShape> shape_;
  std::optional<ArrivalShape> arrival_shape_;
  nlohmann::json source_;
  std::vector<std::string> thresholds_;
  friend class ScenarioParser;
};

// Distributes `total` users over classes by weight, Locust-style: fixed_count classes get
// exactly their count first, the rest is split by weight with largest-remainder rounding.
// Returns one count per class, in class order.
std::vector<int> distribute_users(const std::vector<UserClass>& classes, int total);

}  // namespace stampede::scenarios
