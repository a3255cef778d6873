#include "generator/cli.h"

#include <algorithm>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "generator/gate_commands.h"
#include "generator/lab.h"
#include "generator/lab_options.h"
#include "generator/run_config.h"
#include "generator/runner.h"
#include "generator/units.h"
#include "results/result_folder.h"
#include "scenarios/scenario.h"

namespace stampede::generator {
namespace {

struct RawRunOptions {
  std::string file;
  std::string host;
  std::string users;       // empty: 1 (or the scenario's load shape)
  std::string spawn_rate;  // empty: 1
  std::string run_time;
  std::optional<int> threads;
  std::string connections = "auto";
  std::string transport = "auto";
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
  std::string print_interval = "2s";
  bool only_summary = false;
  bool quiet = false;
  RawGateOptions gate;
};

// Splits "a,b" items so both `--tags a,b` and `--tags a --tags b` work.
std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::stringstream ss(item);
    std::string part;
    while (std::getline(ss, part, ','))
      if (!part.empty()) out.push_back(part);
  }
  return out;
}

// Converts and checks the raw options; every problem names its flag.
bool to_config(const RawRunOptions& raw, RunConfig& config, std::vector<std::string>& problems) {
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
  auto users = parse_count(users_text);
  if (!users || *users < 1 || *users > 10'000'000 || *users != std::floor(*users))
    problems.push_back("-u/--users: expected a whole number >= 1 (e.g. 100, 1k), got '" + raw.users + "'");
  else
    config.users = static_cast<int>(*users);

  const std::string rate_text = raw.spawn_rate.empty() ? "1" : raw.spawn_rate;
  auto rate = parse_count(rate_text);
  if (!rate || *rate <= 0)
    problems.push_back("-r/--spawn-rate: expected a number > 0 (users per second), got '" + raw.spawn_rate + "'");
  else
    config.spawn_rate = *rate;

  if (!raw.run_time.empty()) {
    auto t = parse_duration(raw.run_time);
    if (!t || t->count() <= 0)
      problems.push_back("-t/--run-time: expected a duration like 30s, 5m, 1h30m, got '" + raw.run_time + "'");
    else
      config.run_time = *t;
  }

  auto duration_flag = [&](const std::string& flag, const std::string& text, auto& target) {
    auto d = parse_duration(text);
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
  if (config.print_interval.count() <= 0) config.print_interval = std::chrono::seconds(2);

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
  if (config.transport == RunConfig::Transport::kNative) {
    if (config.host.starts_with("https://"))
      problems.push_back("--transport native: speaks plain http:// only; use curl (or auto) for " + config.host);
    if (config.connections == RunConfig::Connections::kShared)
      problems.push_back("--transport native: gives every user its own connection; --connections shared needs curl (or auto)");
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
  run.add_option("-t,--run-time", raw.run_time, "Stop after this long (e.g. 30s, 5m, 1h30m)");
  run.add_option("--threads", raw.threads, "Worker threads (default: one per core)");
  run.add_option("--connections", raw.connections,
                 "Keep-alive connections: per-user (each user its own), shared (users share idle ones), "
                 "auto (the default: per-user; with libcurl, shared beyond 2,000 users)");
  run.add_option("--transport", raw.transport,
                 "What carries requests: native (the engine's HTTP/1.1 client, http:// only), curl "
                 "(libcurl: https://, shared connections), auto (native for http://; the default)");
  run.add_option("--seed", raw.seed, "Random seed for reproducible runs");
  run.add_option("--user-classes", raw.user_classes, "Run only these user classes (comma-separated)");
  run.add_option("-T,--tags", raw.tags, "Run only tasks with these tags (comma-separated)");
  run.add_option("--csv", raw.csv, "Write Locust-compatible CSV files with this prefix");
  run.add_flag("--csv-full-history", raw.csv_full_history, "Per-endpoint rows in _stats_history.csv");
  run.add_option("--out", raw.out, "Result folder (default results/runs/<timestamp>-<label>)");
  run.add_option("--label", raw.label, "Label for the result folder (default: scenario name)");
  run.add_option("--stop-timeout", raw.stop_timeout, "Time users get to finish in-flight requests at stop");
  run.add_option("--connect-timeout", raw.connect_timeout, "TCP connect timeout");
  run.add_option("--timeout", raw.timeout, "Request timeout when the scenario sets none");
  run.add_option("--print-interval", raw.print_interval, "Live table interval");
  run.add_flag("--only-summary", raw.only_summary, "Print only the final summary");
  run.add_flag("-q,--quiet", raw.quiet, "Print nothing but errors");
  add_gate_options(run, raw.gate);
}

int run_command(const RawRunOptions& raw, int argc, char** argv, const std::atomic<int>& interrupts,
                std::ostream& out, std::ostream& err) {
  RunConfig config;
  std::vector<std::string> problems;
  to_config(raw, config, problems);
  GateOptions gate_options;
  to_gate_options(raw.gate, gate_options, problems);
  for (int i = 0; i < argc; ++i) config.command_line.emplace_back(argv[i]);
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede run: " << p << "\n";
    err << "Run 'stampede run --help' for usage.\n";
    return kExitUsage;
  }

  try {
    scenarios::Scenario scenario = scenarios::Scenario::load(config.scenario_file);
    if (!config.user_classes.empty() || !config.tags.empty())
      scenario = scenario.filtered(config.user_classes, config.tags);
    if (scenario.load_shape() && (!raw.users.empty() || !raw.spawn_rate.empty()) && !config.quiet)
      err << "stampede run: note: the scenario's load_shape sets the users and spawn rate; "
             "-u/-r are ignored\n";
    add_scenario_thresholds(scenario.thresholds(), config.scenario_file.string(), gate_options, problems);
    if (!problems.empty()) {
      for (const auto& p : problems) err << "stampede run: " << p << "\n";
      return kExitUsage;
    }
    if (!gate_options.active()) return run_load_test(config, scenario, interrupts, out, err);
    if (!config.out_dir) config.out_dir = default_out_dir(config.label.empty() ? scenario.name() : config.label,
                                      unix_ms_now());
    auto aborted = std::make_shared<bool>(false);
    config.abort_check = make_abort_check(gate_options, aborted);
    for (const auto& t : gate_options.thresholds)
      if (t.abort && t.window)
        config.history_kept = std::max<std::size_t>(
            config.history_kept,
            static_cast<std::size_t>(std::chrono::ceil<std::chrono::seconds>(*t.window).count()) + 2);
    int code = run_load_test(config, scenario, interrupts, out, err);
    if (code != kExitOk && code != kExitRequestsFailed) return code;
    int gate_code = apply_gate(gate_options, *config.out_dir, config.quiet, out, err);
    if (*aborted) {
      // The whole-run figure may recover by the end; the run still stopped on a lost gate.
      err << "stampede run: stopped early by an 'abort' threshold (see stop_reason in run.json)\n";
      gate_code = kExitThresholdsFailed;
    }
    return gate_code == kExitOk ? code : gate_code;
  } catch (const scenarios::ScenarioError& e) {
    err << "stampede run: the scenario has " << e.problems().size() << " problem"
        << (e.problems().size() == 1 ? "" : "s") << ":\n";
    for (const auto& p : e.problems()) err << "  " << p.to_string() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "stampede run: " << e.what() << "\n";
    return kExitUsage;
  }
}

int lab_command(const RawLabOptions& raw, int argc, char** argv, const std::atomic<int>& interrupts,
                std::ostream& out, std::ostream& err) {
  std::vector<std::string> problems;
  LabConfig config = to_lab_config(raw, problems);
  for (int i = 0; i < argc; ++i) config.command_line.emplace_back(argv[i]);
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede lab: " << p << "\n";
    err << "Run 'stampede lab --help' for usage.\n";
    return kExitUsage;
  }
  try {
    return run_lab(config, interrupts, out, err);
  } catch (const scenarios::ScenarioError& e) {
    err << "stampede lab: the scenario has " << e.problems().size() << " problem"
        << (e.problems().size() == 1 ? "" : "s") << ":\n";
    for (const auto& p : e.problems()) err << "  " << p.to_string() << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "stampede lab: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace

int run_cli(int argc, char** argv, const std::atomic<int>& interrupts, std::ostream& out,
            std::ostream& err) {
  CLI::App app{"stampede — a fast, honest HTTP load generator"};
  app.require_subcommand(1);
  app.set_version_flag("--version", STAMPEDE_VERSION);
  RawRunOptions raw;
  CLI::App* run = app.add_subcommand("run", "Run a load test from a scenario file");
  add_run_options(*run, raw);
  RawCheckOptions raw_check;
  CLI::App* check = app.add_subcommand("check", "Gate an existing result folder with thresholds");
  add_check_options(*check, raw_check);
  RawCompareOptions raw_compare;
  CLI::App* compare = app.add_subcommand("compare", "Compare result folders side by side, with regression rules");
  add_compare_options(*compare, raw_compare);
  RawLabOptions raw_lab;
  CLI::App* lab = app.add_subcommand("lab", "The sharding lab: run the scenario against each strategy and compare");
  add_lab_options(*lab, raw_lab);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    const bool sub_help = e.get_name() == "--help";
    std::string sub;
    for (const CLI::App* c : {run, check, compare, lab})
      if (sub_help && c->parsed()) sub = c->get_name();
    out << app.help(sub);
    return 0;
  } catch (const CLI::CallForVersion&) {
    out << STAMPEDE_VERSION << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "stampede: " << e.what() << "\n\n"
        << (run->parsed() ? run->help() : check->parsed() ? check->help()
            : compare->parsed() ? compare->help() : lab->parsed() ? lab->help() : app.help());
    return kExitUsage;
  }

  if (check->parsed()) return run_check(raw_check, out, err);
  if (compare->parsed()) return run_compare(raw_compare, out, err);
  if (lab->parsed()) return lab_command(raw_lab, argc, argv, interrupts, out, err);
  return run_command(raw, argc, argv, interrupts, out, err);
}

}  // namespace stampede::generator
