// ScenarioParser, part 3: timing — wait times between tasks and load shapes over a run.
#include <algorithm>
#include <string>
#include <vector>

#include "scenarios/limits.h"
#include "scenarios/scenario_parser.h"
#include "scenarios/suggest.h"

namespace stampede::scenarios {

namespace {

std::string number_text(double v) { return nlohmann::json(v).dump(); }

}  // namespace

// --- wait time --------------------------------------------------------------------------

std::optional<WaitTime> ScenarioParser::parse_wait(const json& value, const std::string& path) {
  if (!expect_object(value, path)) return std::nullopt;
  static constexpr std::string_view kKinds = "one of \"between\", \"constant\", "
                                             "\"constant_pacing\", \"constant_throughput\"";
  if (value.size() != 1) {
    check_keys(value, path, {"between", "constant", "constant_pacing", "constant_throughput"});
    problem(path, "expected exactly one key, " + std::string(kKinds));
    return std::nullopt;
  }
  if (!check_keys(value, path, {"between", "constant", "constant_pacing", "constant_throughput"})) {
    return std::nullopt;
  }
  WaitTime w;
  const auto first = value.begin();
  const std::string kind = first.key();
  const json& arg = first.value();
  const std::string apath = join_pointer(path, kind);
  if (kind == "between") {
    if (!arg.is_array() || arg.size() != 2) {
      problem(apath, "expected [min, max] in seconds, got " + arg.dump());
      return std::nullopt;
    }
    auto lo = duration_field(arg[0], apath + "/0", true);
    auto hi = duration_field(arg[1], apath + "/1", true);
    if (!lo || !hi) return std::nullopt;
    if (*lo > *hi) {
      problem(apath, "expected min <= max, got " + arg.dump());
      return std::nullopt;
    }
    w.kind = WaitTime::Kind::kBetween;
    w.a_s = *lo;
    w.b_s = *hi;
    return w;
  }
  if (kind == "constant_throughput") {
    auto rate = number_field(arg, apath, kMinThroughputPerSecond, false, kMaxThroughputPerSecond);
    if (!rate) return std::nullopt;
    w.kind = WaitTime::Kind::kConstantThroughput;
    w.a_s = *rate;
    return w;
  }
  auto seconds = duration_field(arg, apath, kind == "constant");
  if (!seconds) return std::nullopt;
  w.kind = kind == "constant" ? WaitTime::Kind::kConstant : WaitTime::Kind::kConstantPacing;
  w.a_s = *seconds;
  return w;
}

// --- load shape -------------------------------------------------------------------------

void ScenarioParser::parse_load_shape(const json& value, const std::string& path, Scenario& out) {
  if (!expect_object(value, path)) return;
  if (!check_keys(value, path, {"stages", "step", "arrival_rate"})) return;
  if (value.size() != 1) {
    if (value.contains("arrival_rate"))
      problem(path, "\"arrival_rate\" (arrivals per second, the open model) and \"" +
                        std::string(value.contains("stages") ? "stages" : "step") +
                        "\" (users, the closed model) are two forms of load_shape: give one");
    else
      problem(path, "expected exactly one of \"stages\", \"step\" or \"arrival_rate\"");
    return;
  }
  if (value.contains("arrival_rate"))
    out.arrival_shape_ = parse_arrival_shape(value["arrival_rate"], join_pointer(path, "arrival_rate"));
  else
    out.shape_ = parse_shape(value, path);
}

void ScenarioParser::shape_stage_keys(const json& stage, const std::string& path,
                                      std::initializer_list<std::string_view> allowed,
                                      std::initializer_list<std::string_view> other_form,
                                      std::string_view hint) {
  const std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& [key, v] : stage.items()) {
    if (std::find(names.begin(), names.end(), key) != names.end()) continue;
    if (std::find(other_form.begin(), other_form.end(), key) != other_form.end())
      problem(join_pointer(path, key), "unknown key '" + key + "' in this stage: " + std::string(hint));
    else
      problem(join_pointer(path, key), "unknown key '" + key + "'" + did_you_mean(key, names));
  }
}

std::optional<LoadShape> ScenarioParser::parse_shape(const json& value, const std::string& path) {
  LoadShape shape;
  const std::size_t before = problems_.size();
  if (value.contains("stages")) {
    const std::string spath = path + "/stages";
    const json& stages = value["stages"];
    if (!stages.is_array() || stages.empty()) {
      problem(spath, "expected a non-empty array of {\"duration\", \"users\", \"spawn_rate\"}");
      return std::nullopt;
    }
    double until = 0;
    for (std::size_t i = 0; i < stages.size(); ++i) {
      const std::string p = join_pointer(spath, i);
      const json& st = stages[i];
      if (!expect_object(st, p)) continue;
      shape_stage_keys(st, p, {"duration", "users", "spawn_rate"}, {"target", "rate"},
                       "arrival rates go in load_shape's \"arrival_rate\" form (the open model)");
      for (const char* key : {"duration", "users", "spawn_rate"}) {
        if (!st.contains(key)) problem(join_pointer(p, key), std::string("missing: every stage needs \"") + key + "\"");
      }
      if (!st.contains("duration") || !st.contains("users") || !st.contains("spawn_rate")) continue;
      auto d = duration_field(st["duration"], p + "/duration", false);
      auto users = int_field(st["users"], p + "/users", 0, 10'000'000);
      auto rate = number_field(st["spawn_rate"], p + "/spawn_rate", 0, true, kMaxSpawnRatePerSecond);
      if (!d || !users || !rate) continue;
      until += *d;
      shape.stages.push_back({until, static_cast<int>(*users), *rate});
    }
  } else {
    const std::string spath = path + "/step";
    const json& st = value["step"];
    if (!expect_object(st, spath)) return std::nullopt;
    check_keys(st, spath, {"users_per_step", "step_duration", "max_users", "spawn_rate", "time_limit"});
    for (const char* key : {"users_per_step", "step_duration", "spawn_rate", "time_limit"}) {
      if (!st.contains(key)) problem(join_pointer(spath, key), std::string("missing: the step shape needs \"") + key + "\"");
    }
    if (problems_.size() != before) return std::nullopt;
    auto per_step = int_field(st["users_per_step"], spath + "/users_per_step", 1, 10'000'000);
    auto step_s = duration_field(st["step_duration"], spath + "/step_duration", false);
    auto rate = number_field(st["spawn_rate"], spath + "/spawn_rate", 0, true, kMaxSpawnRatePerSecond);
    auto limit_s = duration_field(st["time_limit"], spath + "/time_limit", false);
    std::optional<long> max_users = 10'000'000;
    if (st.contains("max_users")) max_users = int_field(st["max_users"], spath + "/max_users", 1, 10'000'000);
    if (!per_step || !step_s || !rate || !limit_s || !max_users) return std::nullopt;
    if (*limit_s / *step_s > static_cast<double>(kMaxLoadShapeStages)) {
      problem(spath, "time_limit / step_duration gives more than " + std::to_string(kMaxLoadShapeStages) + " steps");
      return std::nullopt;
    }
    for (long k = 1; static_cast<double>(k - 1) * *step_s < *limit_s; ++k) {
      const int users = static_cast<int>(std::min<long>(k * *per_step, *max_users));
      const double until = std::min(static_cast<double>(k) * *step_s, *limit_s);
      if (!shape.stages.empty() && shape.stages.back().users == users) {
        shape.stages.back().until_s = until;  // at max_users: one long stage
      } else {
        shape.stages.push_back({until, users, *rate});
      }
    }
  }
  if (problems_.size() != before) return std::nullopt;
  return shape;
}

// {"start_rate": r0, "stages": [{"duration": d, "target": r} | {"duration": d, "rate": r}, …]}:
// "target" ramps linearly from the rate before (start_rate, default 0, for the first stage),
// "rate" holds that rate for the whole stage (a step).
std::optional<ArrivalShape> ScenarioParser::parse_arrival_shape(const json& value, const std::string& path) {
  if (!expect_object(value, path)) return std::nullopt;
  const std::size_t before = problems_.size();
  check_keys(value, path, {"start_rate", "stages"});
  double rate = 0;  // the rate at the end of the stages so far: at t = 0, start_rate
  if (value.contains("start_rate")) {
    if (auto r = number_field(value["start_rate"], join_pointer(path, "start_rate"), 0, false,
                              kMaxArrivalRatePerSecond))
      rate = *r;
  }
  const std::string spath = join_pointer(path, "stages");
  static constexpr std::string_view kStage =
      "{\"duration\", \"target\"} (a ramp from the rate before) or {\"duration\", \"rate\"} (a step)";
  if (!value.contains("stages")) {
    problem(spath, "missing: the arrival_rate shape needs \"stages\", an array of " + std::string(kStage));
    return std::nullopt;
  }
  const json& stages = value["stages"];
  if (!stages.is_array() || stages.empty()) {
    problem(spath, "expected a non-empty array of " + std::string(kStage) + ", got " + stages.dump());
    return std::nullopt;
  }
  if (stages.size() > kMaxLoadShapeStages) {
    problem(spath, "more than " + std::to_string(kMaxLoadShapeStages) + " stages (the limit), got " +
                       std::to_string(stages.size()));
    return std::nullopt;
  }
  ArrivalShape shape;
  double until = 0;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const std::string p = join_pointer(spath, i);
    const json& st = stages[i];
    if (!expect_object(st, p)) continue;
    shape_stage_keys(st, p, {"duration", "target", "rate"}, {"users", "spawn_rate"},
                     "an arrival_rate stage has \"duration\" and \"target\" or \"rate\" (arrivals per second); "
                     "users belong to load_shape's \"stages\" form (the closed model)");
    const bool ramp = st.contains("target"), step = st.contains("rate");
    if (!st.contains("duration"))
      problem(join_pointer(p, "duration"), "missing: every stage needs \"duration\"");
    if (ramp == step)
      problem(p, std::string(ramp ? "expected one of \"target\" and \"rate\", not both" : "missing: expected") +
                     " \"target\" (ramp linearly to it from the rate before) or \"rate\" (this rate for the "
                     "whole stage)");
    if (!st.contains("duration") || ramp == step) continue;
    const char* key = ramp ? "target" : "rate";
    auto d = duration_field(st["duration"], join_pointer(p, "duration"), false);
    auto r = number_field(st[key], join_pointer(p, key), 0, false, kMaxArrivalRatePerSecond);
    if (!d || !r) continue;
    until += *d;
    shape.stages.push_back({until, ramp ? rate : *r, *r});
    rate = *r;
  }
  if (problems_.size() != before) return std::nullopt;
  if (until > kMaxArrivalShapeSeconds) {
    problem(spath, "the stages last " + number_text(until) + " s in all, more than " +
                       number_text(kMaxArrivalShapeSeconds) + " s (the limit for an arrival_rate shape)");
    return std::nullopt;
  }
  if (const double arrivals = shape.expected_arrivals(); arrivals < 1) {
    problem(path, "the stages start no arrival: their rates add up to " + number_text(arrivals) +
                      " arrivals over " + number_text(until) + " s (at least 1 is needed)");
    return std::nullopt;
  }
  return shape;
}

}  // namespace stampede::scenarios
