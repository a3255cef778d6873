#include "generator/commands/run_command.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <ostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "generator/commands/exit_codes.h"
#include "generator/commands/flag_lists.h"
#include "generator/commands/scenario_errors.h"
#include "generator/engine/runner.h"
#include "generator/http/tls_client.h"
#include "scenarios/scenario.h"
#include "units/bytes.h"
#include "units/duration.h"
#include "units/number.h"

namespace stampede::commands {

using engine::RunConfig;

namespace {

// A run's requests decide its code; a threshold may raise it to kExitThresholdsFailed later.
int exit_code(const engine::RunOutcome& outcome) {
  return outcome.failures > 0 ? kExitRequestsFailed : kExitOk;
}

}  // namespace

// The open model's flags (docs/open-model.md); after the timeouts (the default max users
// depends on the request timeout). Whether --max-users and --arrivals have an open model to
// apply to is known once the scenario is loaded (a load_shape may give the arrival rate):
// scenario_load_model checks that.
void open_model_flags(const LoadModelText& raw, RunConfig& config, std::vector<std::string>& problems) {
  if (!raw.max_users.empty()) {
    const auto users = units::parse_count(std::string(raw.max_users));
    if (!users || *users < 1 || *users > 10'000'000 || *users != std::floor(*users))
      problems.push_back("--max-users: expected a whole number >= 1 (e.g. 100, 5k), got '" + std::string(raw.max_users) + "'");
    else
      config.max_users = static_cast<int>(*users);
  }
  if (raw.arrivals.empty() || raw.arrivals == "even") config.arrivals = RunConfig::Arrivals::kEven;
  else if (raw.arrivals == "poisson") config.arrivals = RunConfig::Arrivals::kPoisson;
  else problems.push_back("--arrivals: expected even or poisson, got '" + std::string(raw.arrivals) + "'");
  if (raw.arrival_rate.empty()) return;
  const auto rate = units::parse_count(std::string(raw.arrival_rate));
  if (!rate || *rate <= 0 || *rate > 10'000'000)
    problems.push_back("--arrival-rate: expected iterations per second above 0 (e.g. 500, 2k, 1.5M), got '" +
                       std::string(raw.arrival_rate) + "'");
  else
    config.arrival_rate = *rate;
  if (!raw.users.empty() || !raw.spawn_rate.empty())
    problems.push_back(std::string("--arrival-rate: not with ") + (!raw.users.empty() ? "-u/--users" : "-r/--spawn-rate") +
                       ": --arrival-rate starts iterations on a schedule (the open model), -u/-r run a fixed "
                       "number of users (the closed model); give one or the other (--max-users caps the "
                       "open model's busy users)");
  if (raw.max_users.empty() && config.arrival_rate > 0)
    config.max_users = engine::default_max_users(config.arrival_rate, config.request_timeout);
}


void scenario_load_model(const RawRunOptions& raw, const scenarios::Scenario& scenario, RunConfig& config,
                         std::vector<std::string>& problems) {
  if (const auto& shape = scenario.arrival_shape()) {
    const std::size_t before = problems.size();
    if (!raw.arrival_rate.empty())
      problems.push_back("--arrival-rate: the scenario's load_shape gives the arrival rate over time (its "
                         "arrival_rate form); remove the flag or the load_shape");
    if (!raw.users.empty() || !raw.spawn_rate.empty())
      problems.push_back(std::string(!raw.users.empty() ? "-u/--users" : "-r/--spawn-rate") +
                         ": the scenario's load_shape starts iterations on a schedule (its arrival_rate form, the "
                         "open model); users are the closed model's (--max-users caps the open model's busy users)");
    if (problems.size() != before) return;
    config.arrival_shape = *shape;
    config.arrival_rate = shape->peak_rate();  // > 0: the shape starts at least one arrival
    if (raw.max_users.empty()) config.max_users = engine::default_max_users(config.arrival_rate, config.request_timeout);
    return;
  }
  if (!raw.arrival_rate.empty() && scenario.load_shape())
    problems.push_back("--arrival-rate: the scenario's load_shape runs the closed model (users); remove one or the other");
  if (config.open_model()) return;
  const char* without = " (the open model): --arrival-rate, or a scenario load_shape in its arrival_rate form";
  if (!raw.max_users.empty())
    problems.push_back(std::string("--max-users: only with an arrival rate") + without +
                       "; the closed model's users are -u");
  if (!raw.arrivals.empty()) problems.push_back(std::string("--arrivals: only with an arrival rate") + without);
}

// Converts and checks the raw options; every problem names its flag.
bool to_config(const RawRunOptions& raw, engine::RunConfig& config, std::vector<std::string>& problems) {
  config.scenario_file = raw.file;
  std::string host = raw.host;
  while (!host.empty() && host.back() == '/') host.pop_back();
  if (!(host.starts_with("http://") || host.starts_with("https://")) ||
      host.find('/', host.find("//") + 2) != std::string::npos) {
    problems.push_back("-H/--host: expected scheme://host[:port] (e.g. http://127.0.0.1:8000), got '" +
                       raw.host + "'");
  }
  config.host = host;

  const std::string users_text = raw.users.empty() ? "1" : raw.users;
  auto users = units::parse_count(users_text);
  if (!users || *users < 1 || *users > 10'000'000 || *users != std::floor(*users))
    problems.push_back("-u/--users: expected a whole number >= 1 (e.g. 100, 1k), got '" + raw.users + "'");
  else
    config.users = static_cast<int>(*users);

  const std::string rate_text = raw.spawn_rate.empty() ? "1" : raw.spawn_rate;
  auto rate = units::parse_count(rate_text);
  if (!rate || *rate <= 0)
    problems.push_back("-r/--spawn-rate: expected a number > 0 (users per second), got '" + raw.spawn_rate + "'");
  else
    config.spawn_rate = *rate;

  if (!raw.run_time.empty()) {
    auto t = units::parse_duration(raw.run_time);
    if (!t || t->count() <= 0)
      problems.push_back("-t/--run-time: expected a duration like 30s, 5m, 1h30m, got '" + raw.run_time + "'");
    else
      config.run_time = *t;
  }

  auto duration_flag = [&](const std::string& flag, const std::string& text, auto& target) {
    auto d = units::parse_duration(text);
    if (!d) {
      problems.push_back(flag + ": expected a duration like 500ms, 10s, got '" + text + "'");
      return;
    }
    target = std::chrono::duration_cast<std::remove_reference_t<decltype(target)>>(*d);
  };
  duration_flag("--stop-timeout", raw.stop_timeout, config.stop_timeout);
  duration_flag("--connect-timeout", raw.connect_timeout, config.connect_timeout);
  duration_flag("--timeout", raw.timeout, config.request_timeout);
  duration_flag("--print-interval", raw.print_interval, config.print_interval);
  auto size_flag = [&](const std::string& flag, const std::string& text, std::uint64_t& target) {
    if (text.empty()) return;
    const auto bytes = units::parse_bytes(text);
    if (!bytes || *bytes == 0) {
      problems.push_back(flag + ": expected a size above 0 like 512k, 8MiB, 1GiB (binary units; not KB or MB, "
                                "which people read both ways), got '" + text + "'");
      return;
    }
    target = *bytes;
  };
  size_flag("--max-body", raw.max_body, config.max_body_bytes);
  size_flag("--max-body-memory", raw.max_body_memory, config.max_body_memory_bytes);
  if (config.print_interval.count() <= 0) config.print_interval = std::chrono::seconds(2);
  open_model_flags({raw.users, raw.spawn_rate, raw.arrival_rate, raw.max_users, raw.arrivals}, config, problems);

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  config.threads = raw.threads.value_or(static_cast<int>(cores));
  if (raw.threads && (*raw.threads < 1 || *raw.threads > 1024))
    problems.push_back("--threads: expected a number from 1 to 1024, got " + std::to_string(*raw.threads));
  if (raw.connections == "auto") config.connections = RunConfig::Connections::kAuto;
  else if (raw.connections == "per-user") config.connections = RunConfig::Connections::kPerUser;
  else if (raw.connections == "shared") config.connections = RunConfig::Connections::kShared;
  else problems.push_back("--connections: expected auto, per-user or shared, got '" + raw.connections + "'");
  if (raw.transport == "auto") config.transport = RunConfig::Transport::kAuto;
  else if (raw.transport == "native") config.transport = RunConfig::Transport::kNative;
  else if (raw.transport == "curl") config.transport = RunConfig::Transport::kCurl;
  else problems.push_back("--transport: expected auto, native or curl, got '" + raw.transport + "'");
  if (config.transport == RunConfig::Transport::kNative && config.connections == RunConfig::Connections::kShared)
    problems.push_back("--transport native: gives every user its own connection; --connections shared needs curl (or auto)");
  config.tls.verify = !raw.insecure;
  if (!raw.ca_file.empty()) {
    if (auto problem = http::check_ca_file(raw.ca_file)) problems.push_back("--ca-file: " + *problem);
    config.tls.ca_file = raw.ca_file;
  }

  config.seed = raw.seed.value_or(static_cast<std::uint64_t>(
      std::chrono::steady_clock::now().time_since_epoch().count()));
  config.user_classes = split_commas(raw.user_classes);
  config.tags = split_commas(raw.tags);
  if (!raw.csv.empty()) config.csv_prefix = raw.csv;
  config.csv_full_history = raw.csv_full_history;
  if (!raw.out.empty()) config.out_dir = raw.out;
  config.label = raw.label;
  config.only_summary = raw.only_summary;
  config.quiet = raw.quiet;
  return problems.empty();
}

void add_run_options(CLI::App& run, RawRunOptions& raw) {
  run.add_option("-f,--locustfile,--scenario", raw.file, "Scenario file (JSON)")->required();
  run.add_option("-H,--host", raw.host, "Target, e.g. http://127.0.0.1:8000")->required();
  run.add_option("-u,--users", raw.users, "Peak number of concurrent users (e.g. 100, 1k)");
  run.add_option("-r,--spawn-rate", raw.spawn_rate, "Users started per second");
  run.add_option("--arrival-rate", raw.arrival_rate,
                 "The open model: start this many iterations (one task each) per second whatever the "
                 "server does (e.g. 500, 2k); not with -u/-r. See docs/open-model.md");
  run.add_option("--max-users", raw.max_users,
                 "With --arrival-rate: most users busy at once; an arrival finding none free is dropped "
                 "(default: rate x --timeout, at most 100k)");
  run.add_option("--arrivals", raw.arrivals, "With --arrival-rate: even (the default) or poisson (seeded by --seed)");
  run.add_option("-t,--run-time", raw.run_time, "Stop after this long (e.g. 30s, 5m, 1h30m)");
  run.add_option("--threads", raw.threads, "Worker threads (default: one per core)");
  run.add_option("--connections", raw.connections,
                 "Keep-alive connections: per-user (each user its own), shared (users share idle ones), "
                 "auto (the default: per-user; with libcurl, shared beyond 2,000 users)");
  run.add_option("--transport", raw.transport,
                 "What carries requests: native (the engine's HTTP/1.1 client, http:// and https://), "
                 "curl (libcurl; shared connections), auto (native unless connections are shared; the default)");
  run.add_flag("--insecure", raw.insecure,
               "https://: accept any certificate for any host name (no verification; both transports)");
  run.add_option("--ca-file", raw.ca_file,
                 "https://: trust the CA certificates in this PEM file besides the system store");
  run.add_option("--seed", raw.seed, "Random seed for reproducible runs");
  run.add_option("--user-classes", raw.user_classes, "Run only these user classes (comma-separated)");
  run.add_option("-T,--tags", raw.tags, "Run only tasks with these tags (comma-separated)");
  run.add_option("--csv", raw.csv, "Write Locust-compatible CSV files with this prefix");
  run.add_flag("--csv-full-history", raw.csv_full_history, "Per-endpoint rows in _stats_history.csv");
  run.add_option("--out", raw.out, "Result folder (default results/runs/<timestamp>-<label>)");
  run.add_option("--label", raw.label, "Label for the result folder (default: scenario name)");
  run.add_option("--stop-timeout", raw.stop_timeout, "Time users get to finish in-flight requests at stop");
  run.add_option("--connect-timeout", raw.connect_timeout, "TCP connect timeout");
  run.add_option("--timeout", raw.timeout,
                 "Request timeout when the scenario sets none: a deadline for the whole exchange, "
                 "connect included, not an idle timeout");
  run.add_option("--max-body", raw.max_body,
                 "Largest response body accepted (e.g. 512k, 8MiB; default " +
                     units::format_bytes(http::kDefaultMaxBodyBytes) + "); a larger one fails its request");
  run.add_option("--max-body-memory", raw.max_body_memory,
                 "Memory the response bodies kept for checks and captures may take, all users together "
                 "(default " + units::format_bytes(http::kDefaultMaxBodyMemoryBytes) +
                     "); a body beyond it fails its request. Bodies nothing reads are not kept");
  run.add_option("--print-interval", raw.print_interval, "Live table interval");
  run.add_flag("--only-summary", raw.only_summary, "Print only the final summary");
  run.add_flag("-q,--quiet", raw.quiet, "Print nothing but errors");
  add_gate_options(run, raw.gate);
}

int run_run_command(const RawRunOptions& raw, const std::vector<std::string>& command_line,
                    const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err) {
  RunConfig config;
  std::vector<std::string> problems;
  to_config(raw, config, problems);
  GateOptions gate_options;
  to_gate_options(raw.gate, gate_options, problems);
  config.command_line = command_line;
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede run: " << p << "\n";
    err << "Run 'stampede run --help' for usage.\n";
    return kExitUsage;
  }

  try {
    scenarios::Scenario scenario = scenarios::Scenario::load(config.scenario_file);
    scenario_load_model(raw, scenario, config, problems);
    if (!problems.empty()) {
      for (const auto& p : problems) err << "stampede run: " << p << "\n";
      return kExitUsage;
    }
    if (!config.user_classes.empty() || !config.tags.empty())
      scenario = scenario.filtered(config.user_classes, config.tags);
    {
      // Data rows with pick "unique": more users than rows is refused before any load.
      int peak = config.open_model() ? config.max_users : config.users;
      if (scenario.load_shape() && !config.open_model())
        for (const auto& stage : scenario.load_shape()->stages) peak = std::max(peak, stage.users);
      scenario.check_users(peak);
    }
    if (scenario.load_shape() && (!raw.users.empty() || !raw.spawn_rate.empty()) && !config.quiet)
      err << "stampede run: note: the scenario's load_shape sets the users and spawn rate; "
             "-u/-r are ignored\n";
    add_scenario_thresholds(scenario.thresholds(), config.scenario_file.string(), gate_options, problems);
    if (!problems.empty()) {
      for (const auto& p : problems) err << "stampede run: " << p << "\n";
      return kExitUsage;
    }
    if (!gate_options.active()) return exit_code(engine::run_load_test(config, scenario, interrupts, out, err));
    if (!config.out_dir) config.out_dir = engine::default_out_dir(config.label.empty() ? scenario.name() : config.label,
                                              engine::unix_ms_now());
    auto aborted = std::make_shared<bool>(false);
    config.abort_check = make_abort_check(gate_options, aborted);
    for (const auto& t : gate_options.thresholds)
      if (t.abort && t.window)
        config.history_kept = std::max<std::size_t>(
            config.history_kept,
            static_cast<std::size_t>(std::chrono::ceil<std::chrono::seconds>(*t.window).count()) + 2);
    const int code = exit_code(engine::run_load_test(config, scenario, interrupts, out, err));
    int gate_code = apply_gate(gate_options, *config.out_dir, config.quiet, out, err);
    if (*aborted) {
      // The whole-run figure may recover by the end; the run still stopped on a lost gate.
      err << "stampede run: stopped early by an 'abort' threshold (see stop_reason in run.json)\n";
      gate_code = kExitThresholdsFailed;
    }
    return gate_code == kExitOk ? code : gate_code;
  } catch (const scenarios::ScenarioError& e) {
    print_scenario_error("stampede run", e, err);
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "stampede run: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace stampede::commands
