// `stampede run`: the flags as typed (RawRunOptions, bound to CLI11), their conversion to
// the engine's RunConfig (every problem names its flag), and the command: load the
// scenario, run the load test, apply the CI gate when thresholds ask for it.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generator/commands/gate_commands.h"
#include "generator/engine/run_config.h"
#include "scenarios/scenario.h"

namespace CLI {
class App;
}

namespace stampede::commands {

struct RawRunOptions {
  std::string file;
  std::string host;
  std::string users;       // empty: 1 (or the scenario's load shape)
  std::string spawn_rate;  // empty: 1
  std::string arrival_rate;  // empty: the closed model
  std::string max_users;     // empty: engine::default_max_users
  std::string arrivals;      // empty: even
  std::string run_time;
  std::optional<int> threads;
  std::string connections = "auto";
  std::string transport = "auto";
  bool insecure = false;  // https://: no certificate checks
  std::string ca_file;    // https://: a PEM bundle trusted besides the system store
  std::optional<std::uint64_t> seed;
  std::vector<std::string> user_classes;
  std::vector<std::string> tags;
  std::string csv;
  bool csv_full_history = false;
  std::string out;
  std::string label;
  std::string stop_timeout = "10s";
  std::string connect_timeout = "5s";
  std::string timeout = "30s";
  std::string max_body;         // empty: http::kDefaultMaxBodyBytes
  std::string max_body_memory;  // empty: http::kDefaultMaxBodyMemoryBytes
  std::string print_interval = "2s";
  bool only_summary = false;
  bool quiet = false;
  RawGateOptions gate;
};

void add_run_options(CLI::App& run, RawRunOptions& raw);

// Converts and checks the raw options into `config`; false when a problem was appended.
bool to_config(const RawRunOptions& raw, engine::RunConfig& config, std::vector<std::string>& problems);

// The load model's flags as typed, shared by `stampede run` and `stampede lab`.
struct LoadModelText {
  std::string_view users, spawn_rate, arrival_rate, max_users, arrivals;
};

// --arrival-rate, --max-users and --arrivals into `config` (the default max users from
// config.request_timeout, so after the timeouts); refuses --arrival-rate beside -u/-r.
void open_model_flags(const LoadModelText& raw, engine::RunConfig& config, std::vector<std::string>& problems);

// Once the scenario is loaded: its load_shape's arrival_rate form runs the open model (the
// shape into config.arrival_shape, arrival_rate = its highest rate, the default --max-users
// from that); refused beside --arrival-rate or -u/-r. Also refused: --arrival-rate beside a
// users load_shape, and --max-users/--arrivals with no arrival rate from either. Problems
// name their flag (docs/open-model.md).
void scenario_load_model(const RawRunOptions& raw, const scenarios::Scenario& scenario, engine::RunConfig& config,
                         std::vector<std::string>& problems);

// `stampede run …` after parsing; returns the exit code (generator/commands/exit_codes.h).
int run_run_command(const RawRunOptions& raw, const std::vector<std::string>& command_line,
                    const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

}  // namespace stampede::commands
