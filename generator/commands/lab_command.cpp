#include "generator/commands/lab_command.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "generator/commands/exit_codes.h"
#include "generator/commands/flag_lists.h"
#include "generator/commands/run_command.h"
#include "generator/commands/scenario_errors.h"
#include "lab/lab.h"
#include "lab/shell_words.h"
#include "scenarios/scenario.h"
#include "units/duration.h"
#include "units/number.h"

namespace stampede::commands {
namespace {

using lab::kLabMaxShards;
using lab::kLabMinShards;
using lab::kLabStrategies;
using lab::LabConfig;

}  // namespace

void add_lab_options(CLI::App& lab, RawLabOptions& raw) {
  lab.add_option("--variant", raw.variants,
                 "NAME='server flags': one server per variant, in order (the first is the baseline), e.g. "
                 "--variant w4='--workers 4' --variant w16='--workers 16'")
      ->allow_extra_args(false);  // one value per --variant; repeated ones add up
  lab.add_option("--strategies", raw.strategies,
                 "Shorthand for strategy variants: hash,range,time (the default without --variant)");
  CLI::Option* server_flags =
      lab.add_option("--server-flags", raw.server_flags,
                     "Server flags for every variant, e.g. --server-flags '--shard-latency 1ms' (a variant's own win)")
          ->expected(0, 1);
  lab.allow_extras();  // see RawLabOptions::extras; to_lab_config reports any left over
  lab.parse_complete_callback([&lab, &raw, server_flags] {
    raw.extras = lab.remaining();
    raw.server_flags_given = server_flags->count() > 0;
  });
  lab.add_option("-u,--users", raw.users, "Peak concurrent users per run (default 500)");
  lab.add_option("-r,--spawn-rate", raw.spawn_rate, "Users started per second (default 100)");
  lab.add_option("--arrival-rate", raw.arrival_rate,
                 "The open model, as in stampede run: iterations started per second whatever the server does "
                 "(not with -u/-r); see docs/open-model.md");
  lab.add_option("--max-users", raw.max_users, "With --arrival-rate: most users busy at once (default: rate x 30 s)");
  lab.add_option("--arrivals", raw.arrivals, "With --arrival-rate: even (default) or poisson");
  lab.add_option("-t,--run-time", raw.run_time, "Measured run length per variant (default 60s)");
  lab.add_option("--warmup", raw.warmup, "Warm-up run before each measured run, not kept (default 10s; 0 = none)");
  lab.add_option("--store", raw.store, "Server store: sqlite (files in the lab folder) or mysql (fixtures/stack)");
  lab.add_option("--shards", raw.shards, "Shards per server, 2..8 (default 4)");
  lab.add_option("-f,--scenario", raw.file, "Scenario file (default scenarios/coupon.json)");
  lab.add_option("--out", raw.out, "Lab folder (default results/labs/<timestamp>-lab)");
  lab.add_option("--seed", raw.seed, "Seed of the load and of the server's data set (default 42)");
  lab.add_option("--threads", raw.threads, "Load generator threads (default: one per core)");
  lab.add_option("--server-bin", raw.server_bin, "stampede-server to start (default: next to stampede)");
  lab.add_flag("--keep-data", raw.keep_data, "Keep the servers' SQLite data and the warm-up runs");
  lab.add_option("--port-base", raw.port_base, "Server ports P, P+1, … per variant (default: free ports)");
  lab.add_flag("--only-summary", raw.only_summary, "No live tables, only summaries and the report");
  lab.add_flag("-q,--quiet", raw.quiet, "Print nothing but errors and where the report is");
}

namespace {

// --strategies or --variant (or the default strategies), then --server-flags.
void variant_flags(const RawLabOptions& raw, LabConfig& config, std::vector<std::string>& problems) {
  if (!raw.strategies.empty() && !raw.variants.empty())
    problems.push_back("--strategies: not with --variant (give the strategies as variants: --variant "
                       "hash='--strategy hash' …)");
  if (raw.variants.empty()) {
    config.strategy_variants = true;
    const std::vector<std::string> listed = raw.strategies.empty() ? std::vector<std::string>{"hash,range,time"}
                                                                   : raw.strategies;
    for (const std::string& s : split_commas(listed)) {
      const bool known = std::find(std::begin(kLabStrategies), std::end(kLabStrategies), s) != std::end(kLabStrategies);
      const bool repeated = std::any_of(config.variants.begin(), config.variants.end(),
                                        [&](const lab::LabVariant& v) { return v.name == s; });
      if (!known)
        problems.push_back("--strategies: unknown strategy '" + s + "' (expected hash, range or time)");
      else if (repeated)
        problems.push_back("--strategies: '" + s + "' is listed twice");
      else
        config.variants.push_back(lab::strategy_variant(s));
    }
    if (config.variants.empty() && problems.empty())
      problems.push_back("--strategies: expected at least one of hash, range, time");
  } else {
    for (const std::string& spec : raw.variants)
      if (auto v = lab::parse_variant(spec, problems)) config.variants.push_back(std::move(*v));
    lab::check_unique_names(config.variants, problems);
  }
  std::string server_flags = raw.server_flags;
  std::vector<std::string> extras = raw.extras;
  if (raw.server_flags_given && server_flags.empty() && !extras.empty() && extras.front().starts_with("-")) {
    server_flags = extras.front();  // `--server-flags '--workers 4'`: the value CLI11 took for a flag
    extras.erase(extras.begin());
  }
  if (!extras.empty()) {
    std::string listed;
    for (const std::string& e : extras) listed += (listed.empty() ? "'" : ", '") + e + "'";
    problems.push_back("unexpected arguments: " + listed +
                       " (a server's flags go in --server-flags '…' for every variant, or --variant NAME='…')");
  }
  if (raw.server_flags_given && server_flags.empty() && raw.extras.empty())
    problems.push_back("--server-flags: expected the servers' flags as one argument, e.g. --server-flags '--workers 4'");
  try {
    config.server_flags = lab::split_shell_words(server_flags);
    for (const std::string& p : lab::server_flag_problems(config.server_flags, "--server-flags")) problems.push_back(p);
  } catch (const lab::ShellWordsError& e) {
    problems.push_back("--server-flags: cannot split '" + server_flags + "' into flags: " + e.what());
  }
}

// -u/-r (the closed model) or --arrival-rate (the open model), as `stampede run` takes them.
void load_flags(const RawLabOptions& raw, LabConfig& config, std::vector<std::string>& problems) {
  engine::RunConfig open;
  open_model_flags({raw.users, raw.spawn_rate, raw.arrival_rate, raw.max_users, raw.arrivals}, open, problems);
  config.arrival_rate = open.arrival_rate;
  config.max_users = open.max_users;
  config.arrivals = open.arrivals;
  if (raw.arrival_rate.empty()) {
    if (!raw.max_users.empty()) problems.push_back("--max-users: only with --arrival-rate (the closed model's users are -u)");
    if (!raw.arrivals.empty()) problems.push_back("--arrivals: only with --arrival-rate");
  }

  const std::string users_text = raw.users.empty() ? "500" : raw.users;
  auto users = units::parse_count(users_text);
  if (!users || *users < 1 || *users > 1'000'000 || *users != std::floor(*users))
    problems.push_back("-u/--users: expected a whole number >= 1 (e.g. 500, 1k), got '" + raw.users + "'");
  else
    config.users = static_cast<int>(*users);

  const std::string rate_text = raw.spawn_rate.empty() ? "100" : raw.spawn_rate;
  auto rate = units::parse_count(rate_text);
  if (!rate || *rate <= 0)
    problems.push_back("-r/--spawn-rate: expected a number > 0 (users per second), got '" + raw.spawn_rate + "'");
  else
    config.spawn_rate = *rate;
}

}  // namespace

LabConfig to_lab_config(const RawLabOptions& raw, std::vector<std::string>& problems) {
  LabConfig config;
  variant_flags(raw, config, problems);
  load_flags(raw, config, problems);

  auto run_time = units::parse_duration(raw.run_time);
  if (!run_time || run_time->count() <= 0)
    problems.push_back("-t/--run-time: expected a duration like 30s, 5m, got '" + raw.run_time + "'");
  else
    config.run_time = *run_time;

  auto warmup = units::parse_duration(raw.warmup);
  if (!warmup)
    problems.push_back("--warmup: expected a duration like 10s (0 for none), got '" + raw.warmup + "'");
  else
    config.warmup = *warmup;

  if (raw.store != "sqlite" && raw.store != "mysql")
    problems.push_back("--store: expected sqlite or mysql, got '" + raw.store + "'");
  config.store = raw.store;

  if (raw.shards < kLabMinShards || raw.shards > kLabMaxShards)
    problems.push_back("--shards: expected " + std::to_string(kLabMinShards) + ".." + std::to_string(kLabMaxShards) +
                       ", got " + std::to_string(raw.shards));
  config.shards = raw.shards;

  config.scenario_file = raw.file;
  if (!std::filesystem::is_regular_file(config.scenario_file))
    problems.push_back("-f/--scenario: no such file '" + raw.file + "'");

  if (!raw.out.empty()) {
    config.out_dir = raw.out;
    std::error_code ec;
    if (std::filesystem::exists(*config.out_dir, ec) && !std::filesystem::is_empty(*config.out_dir, ec))
      problems.push_back("--out: '" + raw.out + "' exists and is not empty (a lab writes a fresh folder)");
  }
  config.seed = raw.seed;

  if (raw.threads < 0) problems.push_back("--threads: expected a number >= 1");
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  config.threads = raw.threads > 0 ? raw.threads : static_cast<int>(cores);

  if (!raw.server_bin.empty()) {
    config.server_bin = raw.server_bin;
    if (::access(config.server_bin.c_str(), X_OK) != 0 || std::filesystem::is_directory(config.server_bin))
      problems.push_back("--server-bin: '" + raw.server_bin + "' is not an executable file");
  }
  config.keep_data = raw.keep_data;

  const int last_port = raw.port_base + static_cast<int>(std::max<std::size_t>(config.variants.size(), 1)) - 1;
  if (raw.port_base != 0 && (raw.port_base < 1024 || last_port > 65535))
    problems.push_back("--port-base: expected 1024..65535 (one port per variant from there), got " +
                       std::to_string(raw.port_base));
  config.port_base = raw.port_base;
  config.only_summary = raw.only_summary;
  config.quiet = raw.quiet;
  return config;
}

int run_lab_command(const RawLabOptions& raw, const std::vector<std::string>& command_line,
                    const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err) {
  std::vector<std::string> problems;
  LabConfig config = to_lab_config(raw, problems);
  config.command_line = command_line;
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede lab: " << p << "\n";
    err << "Run 'stampede lab --help' for usage.\n";
    return kExitUsage;
  }
  try {
    switch (lab::run_lab(config, interrupts, out, err)) {
      case lab::LabOutcome::kMeasured: return kExitOk;
      case lab::LabOutcome::kFailed: return kExitRequestsFailed;
      case lab::LabOutcome::kCannotStart: return kExitUsage;
    }
    return kExitRequestsFailed;
  } catch (const scenarios::ScenarioError& e) {
    print_scenario_error("stampede lab", e, err);
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "stampede lab: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace stampede::commands
