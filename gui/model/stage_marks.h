// Where the Overview marks the run's stages. A scenario with a `load_shape`
// (scenarios/README.md, "load_shape") declares them: each `stages[]` entry lasts its own
// `duration`; a `step` shape changes users every `step_duration` until `time_limit`. The
// GUI reads scenario.json of the result folder itself (it never links the scenario parser);
// durations follow the project's one grammar (units/duration.h), as scenario files do: a
// JSON number of seconds, or a string "100us", "250ms", "2s", "1.5m", "1h", or a bare
// number of seconds.
//
// Pure functions; any thread.
#pragma once

#include <QList>
#include <nlohmann/json.hpp>
#include <optional>

namespace stampede::gui {

// Seconds, or nullopt when `v` is not a duration (negative, unknown unit, wrong type).
std::optional<double> parse_duration_s(const nlohmann::json& v);

// Seconds since start at which a declared stage after the first begins, in order, below
// `run_end_s` (a run stopped early does not show stages it never reached). Empty when the
// scenario has no load_shape or it does not read. At most 1000 marks.
QList<double> declared_stage_starts(const nlohmann::json& scenario, double run_end_s);

}  // namespace stampede::gui
