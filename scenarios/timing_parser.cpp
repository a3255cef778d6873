// ScenarioParser, part 3: timing — wait times between tasks and load shapes over a run.
#include <algorithm>
#include <string>

#include "scenarios/limits.h"
#include "scenarios/scenario_parser.h"

namespace stampede::scenarios {

namespace {

constexpr std::size_t kMaxStages = 100'000;

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

std::optional<LoadShape> ScenarioParser::parse_shape(const json& value, const std::string& path) {
  if (!expect_object(value, path)) return std::nullopt;
  if (!check_keys(value, path, {"stages", "step"})) return std::nullopt;
  if (value.size() != 1) {
    problem(path, "expected exactly one of \"stages\" or \"step\"");
    return std::nullopt;
  }
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
      check_keys(st, p, {"duration", "users", "spawn_rate"});
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
    if (*limit_s / *step_s > static_cast<double>(kMaxStages)) {
      problem(spath, "time_limit / step_duration gives more than 100000 steps");
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

}  // namespace stampede::scenarios
