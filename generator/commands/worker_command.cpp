#include "generator/commands/worker_command.h"

#include <algorithm>
#include <chrono>
#include <ostream>

#include <CLI/CLI.hpp>

#include "generator/commands/exit_codes.h"
#include "generator/commands/run_command.h"
#include "generator/commands/scenario_errors.h"
#include "generator/commands/worker_load.h"
#include "generator/engine/runner.h"
#include "locust/master_link.h"
#include "locust/worker_session.h"
#include "units/duration.h"

namespace stampede::commands {
namespace {

// What is wrong with a target host (the master's --host), by `stampede run`'s -H rule.
std::optional<std::string> host_problem(const std::string& host) {
  RawRunOptions raw;
  raw.host = host;
  engine::RunConfig config;
  std::vector<std::string> problems;
  to_config(raw, config, problems);
  for (const std::string& p : problems)
    if (p.starts_with("-H/--host: ")) return p.substr(11);
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> positive_duration(const std::string& flag, const std::string& text,
                                                           std::vector<std::string>& problems) {
  const auto d = units::parse_duration(text);
  if (!d || d->count() <= 0) {
    problems.push_back(flag + ": expected a duration above 0 like 3s, 60s, 5m, got '" + text + "'");
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

}  // namespace

void add_worker_options(CLI::App& worker, RawWorkerOptions& raw) {
  worker.add_option("-f,--locustfile,--scenario", raw.file, "Scenario file (JSON); the master loads "
                    "`stampede locustfile` of the same file")->required();
  worker.add_option("--master-host", raw.master_host, "The Locust master's host (default 127.0.0.1)");
  worker.add_option("--master-port", raw.master_port, "The Locust master's --master-bind-port (default 5557)");
  worker.add_option("--master-timeout", raw.master_timeout,
                    "Give up on a master whose connection has been down this long (or, for a master that sends "
                    "heartbeats, that has been silent this long): stop the users, write the result folder, exit 1 "
                    "(default 60s)");
  worker.add_option("--master-wait", raw.master_wait,
                    "How long to keep asking a master that does not answer yet (client_ready every 5 s) before "
                    "exit 2 (default 5m)");
  worker.add_option("-H,--host", raw.host, "Target, e.g. http://127.0.0.1:8000 (default: the master's --host)");
  worker.add_option("--expect-users", raw.expect_users,
                    "About how many users the master will give this worker: plans keep-alive connections and the "
                    "open-files limit (default 1000)");
  worker.add_option("--threads", raw.threads, "Worker threads (default: one per core)");
  worker.add_option("--connections", raw.connections, "Keep-alive connections: per-user, shared or auto");
  worker.add_option("--transport", raw.transport, "What carries requests: native, curl or auto");
  worker.add_flag("--insecure", raw.insecure, "https://: accept any certificate for any host name");
  worker.add_option("--ca-file", raw.ca_file, "https://: trust the CA certificates in this PEM file");
  worker.add_option("--seed", raw.seed, "Random seed");
  worker.add_option("--out", raw.out,
                    "Result folder (default results/runs/<timestamp>-<label>); written whole when the run ends, "
                    "a later test of the same master gets -2, -3, …");
  worker.add_option("--label", raw.label, "Label for the result folder (give each worker its own for merge)");
  worker.add_option("--stop-timeout", raw.stop_timeout, "Time users get to finish in-flight requests at stop");
  worker.add_option("--connect-timeout", raw.connect_timeout, "TCP connect timeout");
  worker.add_option("--timeout", raw.timeout, "Request timeout when the scenario sets none");
  worker.add_option("--max-body", raw.max_body, "Largest response body accepted");
  worker.add_option("--max-body-memory", raw.max_body_memory, "Memory the kept response bodies may take");
  worker.add_option("--print-interval", raw.print_interval, "Live table interval");
  worker.add_flag("--only-summary", raw.only_summary, "Print only the final summary");
  worker.add_flag("-q,--quiet", raw.quiet, "Print nothing but errors and the worker's own lines");
}

int run_worker_command(const RawWorkerOptions& raw, const std::vector<std::string>& command_line,
                       const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err) {
  RawRunOptions run;
  run.file = raw.file;
  run.host = raw.host.empty() ? "http://127.0.0.1" : raw.host;  // the master's, checked at its first spawn
  run.users = raw.expect_users;
  run.threads = raw.threads;
  run.connections = raw.connections;
  run.transport = raw.transport;
  run.insecure = raw.insecure;
  run.ca_file = raw.ca_file;
  run.seed = raw.seed;
  run.out = raw.out;
  run.label = raw.label;
  run.stop_timeout = raw.stop_timeout;
  run.connect_timeout = raw.connect_timeout;
  run.timeout = raw.timeout;
  run.max_body = raw.max_body;
  run.max_body_memory = raw.max_body_memory;
  run.print_interval = raw.print_interval;
  run.only_summary = raw.only_summary;
  run.quiet = raw.quiet;
  engine::RunConfig config;
  std::vector<std::string> problems;
  to_config(run, config, problems);
  for (std::string& p : problems)
    if (p.starts_with("-u/--users: ")) p = "--expect-users: " + p.substr(12);
  if (raw.host.empty()) config.host.clear();
  config.command_line = command_line;
  locust::SessionOptions options;
  if (auto t = positive_duration("--master-timeout", raw.master_timeout, problems)) options.master_timeout = *t;
  if (auto w = positive_duration("--master-wait", raw.master_wait, problems))
    options.ready_retries = std::max<int>(1, static_cast<int>(*w / options.ready_retry_interval));
  if (raw.master_port < 1 || raw.master_port > 65535)
    problems.push_back("--master-port: expected a port from 1 to 65535, got " + std::to_string(raw.master_port));
  if (raw.master_host.empty()) problems.push_back("--master-host: expected a host name or address");
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede worker: " << p << "\n";
    err << "Run 'stampede worker --help' for usage.\n";
    return kExitUsage;
  }

  try {
    scenarios::Scenario scenario = scenarios::Scenario::load(config.scenario_file);
    if (scenario.arrival_shape()) {
      err << "stampede worker: " << raw.file << ": load_shape has the arrival_rate form (the open model), which a "
          << "Locust master cannot drive (it sets users); run it with stampede run, or give the scenario no "
          << "load_shape or one in the users form\n";
      return kExitUsage;
    }
    if (!config.out_dir)
      config.out_dir = engine::default_out_dir(config.label.empty() ? scenario.name() : config.label,
                                               engine::unix_ms_now());
    EngineWorkerLoad load(config, scenario, &host_problem, interrupts, out, err);
    locust::MasterLink link(raw.master_host, static_cast<std::uint16_t>(raw.master_port), locust::make_client_id());
    if (!config.quiet)
      out << "stampede worker: " << scenario.name() << ", master " << link.endpoint() << ", worker id "
          << link.client_id() << "\n";
    locust::SessionEnd end = locust::SessionEnd::kQuit;
    try {
      end = locust::run_worker_session(link, load, options, interrupts, err);
    } catch (const std::runtime_error& e) {
      load.settle("the worker stopped: " + std::string(e.what()));
      err << "stampede worker: " << e.what() << "\n";
      return kExitUsage;
    }
    load.settle("the worker ended");  // the session stopped the run: its folder goes in place
    if (load.run_error()) {
      err << "stampede worker: " << *load.run_error() << "\n";
      return kExitUsage;
    }
    if (end == locust::SessionEnd::kNoMaster) return kExitUsage;
    if (end == locust::SessionEnd::kMasterLost) return kExitRequestsFailed;
    for (const engine::RunOutcome& r : load.runs())
      if (r.failures > 0) return kExitRequestsFailed;
    return kExitOk;
  } catch (const scenarios::ScenarioError& e) {
    print_scenario_error("stampede worker", e, err);
    return kExitUsage;
  } catch (const std::exception& e) {
    err << "stampede worker: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace stampede::commands
