// The open model's part of a run (docs/open-model.md), beside the control loop: each
// worker's share of the arrival schedule and of --max-users, what run.json records of it
// (`open_model`), and what the console says about it (the load line, dropped arrivals, the
// generator falling behind its schedule). Pure but for the streams it is given.
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

#include "generator/engine/arrival_schedule.h"
#include "generator/engine/run_config.h"
#include "generator/engine/stats_recorder.h"
#include "results/run_result.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

// One plan per worker that takes arrivals: with fewer --max-users than `workers`, only the
// first max_users workers do (each needs a user of its own).
std::vector<ArrivalPlan> arrival_plans(const RunConfig& config, std::size_t workers,
                                       std::chrono::steady_clock::time_point start);

// run.json's `open_model`: the configuration, and what `totals` counted (the run so far;
// all zero at the start). dropped_by_class names the scenario's classes.
results::OpenModelInfo open_model_info(const RunConfig& config, const std::vector<scenarios::UserClass>& classes,
                                       const OpenModelInterval& totals);

// The load line's "N iterations/s (even), at most M users busy, for 10s".
std::string describe_open_load(const RunConfig& config);

// At the end: a note when arrivals were dropped (unless quiet) and a warning when the
// generator started arrivals late (always).
void report_open_model(const RunConfig& config, const OpenModelInterval& totals, std::ostream& err);

}  // namespace stampede::engine
