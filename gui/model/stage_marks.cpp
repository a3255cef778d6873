#include "gui/model/stage_marks.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "units/duration.h"

namespace stampede::gui {

namespace {
constexpr int kMaxMarks = 1000;
}  // namespace

std::optional<double> parse_duration_s(const nlohmann::json& v) { return units::seconds_from_json(v); }

namespace {
// obj[key] as seconds; -1 when absent or not a duration.
double field_s(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return -1;
  const auto it = obj.find(key);
  if (it == obj.end()) return -1;
  return parse_duration_s(*it).value_or(-1);
}
}  // namespace

QList<double> declared_stage_starts(const nlohmann::json& scenario, double run_end_s) {
  QList<double> marks;
  if (!scenario.is_object()) return marks;
  const auto shape = scenario.find("load_shape");
  if (shape == scenario.end() || !shape->is_object()) return marks;
  if (const auto stages = shape->find("stages"); stages != shape->end() && stages->is_array()) {
    double at = 0;
    for (std::size_t i = 0; i + 1 < stages->size() && marks.size() < kMaxMarks; ++i) {
      const auto& stage = (*stages)[i];
      const double d = field_s(stage, "duration");
      if (d < 0) return {};
      at += d;
      if (at >= run_end_s) break;
      marks.append(at);
    }
    return marks;
  }
  if (const auto step = shape->find("step"); step != shape->end() && step->is_object()) {
    const double step_s = field_s(*step, "step_duration");
    const double limit_s = field_s(*step, "time_limit");
    if (step_s <= 0 || limit_s < 0) return {};
    const double end_s = std::min(limit_s, run_end_s);
    for (int k = 1; k * step_s < end_s && marks.size() < kMaxMarks; ++k) marks.append(k * step_s);
  }
  return marks;
}

}  // namespace stampede::gui
