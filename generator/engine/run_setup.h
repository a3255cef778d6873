// What a run settles before its first user starts: run.json's description of the run as
// configured (make_run_info), and how its users will carry their requests: the transport,
// whether they share keep-alive connections, and the open-files limit raised for them
// (choose_connections). Used by the control loop (runner.cpp) only.
#pragma once

#include <iosfwd>

#include "generator/engine/run_config.h"
#include "generator/http/transport_context.h"
#include "results/run_result.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

// The users the run asks for: -u, a load_shape's highest stage (which overrides -u), or in
// the open model --max-users.
int target_users(const RunConfig& config, const scenarios::Scenario& scenario);

// run.json as the run starts: configuration, environment, the engine's pid and limits, and
// in the open model `open_model` with its counts at 0. The start time is the caller's.
results::RunInfo make_run_info(const RunConfig& config, const scenarios::Scenario& scenario);

// Chooses the transport and how `users` users hold connections, raises the open-files
// limit for them, and records the choice in `defaults` (what the workers' connections use)
// and `info` (transport, connections, open_files_limit). A limit too low would turn the
// users beyond it into connection errors (and could leave no descriptor for the result
// files): notes go to `out` (unless quiet), warnings to `err`.
void choose_connections(const RunConfig& config, int users, http::RequestDefaults& defaults,
                        results::RunInfo& info, std::ostream& out, std::ostream& err);

}  // namespace stampede::engine
