#include "generator/engine/run_setup.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "generator/engine/open_files.h"
#include "generator/engine/open_model_run.h"
#include "generator/http/native_connection.h"
#include "units/duration.h"

#ifndef STAMPEDE_VERSION
#define STAMPEDE_VERSION "0.0.0"
#endif

namespace stampede::engine {

using std::chrono::duration;

int target_users(const RunConfig& config, const scenarios::Scenario& scenario) {
  if (config.open_model()) return config.max_users;
  if (!scenario.load_shape()) return config.users;
  int peak = 0;
  for (const auto& stage : scenario.load_shape()->stages) peak = std::max(peak, stage.users);
  return peak;
}

results::RunInfo make_run_info(const RunConfig& config, const scenarios::Scenario& scenario) {
  results::RunInfo info;
  info.label = config.label.empty() ? scenario.name() : config.label;
  info.tool_version = STAMPEDE_VERSION;
  info.scenario_name = scenario.name();
  info.scenario_file = config.scenario_file.string();
  info.target_host = config.host;
  info.users = target_users(config, scenario);
  info.spawn_rate = config.spawn_rate;
  info.run_time_s = config.run_time ? duration<double>(*config.run_time).count() : 0;
  info.threads = config.threads;
  info.seed = config.seed;
  for (const auto& c : scenario.user_classes()) info.user_classes.push_back(c.name);
  info.tags = config.tags;
  info.command_line = config.command_line;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) info.hostname = host;
  utsname u{};
  if (uname(&u) == 0) info.os = std::string(u.sysname) + " " + u.release + " " + u.machine;
  info.cpu_count = static_cast<int>(std::thread::hardware_concurrency());
  // With hostname, lets a viewer tell a run still going from one whose engine died.
  info.pid = static_cast<std::int64_t>(::getpid());
  info.load_shape = scenario.load_shape().has_value() || config.arrival_shape.has_value();
  info.request_timeout_s = duration<double>(config.request_timeout).count();
  info.connect_timeout_s = duration<double>(config.connect_timeout).count();
  info.stop_timeout_s = duration<double>(config.stop_timeout).count();
  info.max_body_bytes = config.max_body_bytes;
  info.max_body_memory_bytes = config.max_body_memory_bytes;
  info.lab = config.lab;
  if (config.open_model()) info.open_model = open_model_info(config, scenario.user_classes(), OpenModelInterval{});
  return info;
}

void choose_connections(const RunConfig& config, int peak_users, http::RequestDefaults& defaults,
                        results::RunInfo& info, std::ostream& out, std::ostream& err) {
  using Mode = RunConfig::Connections;
  using Kind = RunConfig::Transport;
  const std::uint64_t users = static_cast<std::uint64_t>(peak_users);
  bool native = config.transport == Kind::kNative ||
                (config.transport == Kind::kAuto && config.connections != Mode::kShared);
  // Descriptors per user with a connection of its own: the native socket, or libcurl's
  // connection plus its multi handle's wake-up socket pair.
  const std::uint64_t own_files = native ? 1 : 3;
  const std::uint64_t per_user = open_files_needed(users, config.threads, own_files);
  const OpenFilesLimit limit = raise_open_files_limit(std::max<std::uint64_t>(per_user, 10'240));
  const bool per_user_fits = limit.soft == 0 || per_user <= limit.soft;
  bool shared = config.connections == Mode::kShared;
  if (config.connections == Mode::kAuto && !per_user_fits && config.transport != Kind::kNative) {
    shared = true;
    native = false;
    if (!config.quiet)
      out << "note: the open-files limit (" << limit.soft << ") is too low for " << users
          << " users with a connection each: they share keep-alive connections (libcurl)\n";
  } else if (config.connections == Mode::kAuto && !native &&
             users > static_cast<std::uint64_t>(RunConfig::kPerUserAutoLimit)) {
    shared = true;
    if (!config.quiet)
      out << "note: " << users << " users share keep-alive connections: libcurl costs ~3 open "
          << "files and ~45 KiB per user for a connection of its own (--connections per-user "
          << "asks for it anyway)\n";
  }
  defaults.transport = native ? http::TransportKind::kNative : http::TransportKind::kCurl;
  defaults.shared_connections = shared;
  defaults.tls = config.tls;
  info.transport = native ? results::Transport::kNative : results::Transport::kCurl;
  info.connections = shared ? results::Connections::kShared : results::Connections::kPerUser;
  if (native) {
    // Bounded like a connect: a resolver that does not answer cannot hold the run.
    defaults.native = http::resolve_native_target(config.host, config.connect_timeout, config.tls);
    if (defaults.native.addresses.empty())
      err << "warning: could not resolve the host of " << config.host
          << (defaults.native.resolve_timed_out
                  ? " (no answer within the connect timeout, " + units::format_duration(config.connect_timeout) + ")"
                  : std::string())
          << ": every request will fail\n";
  }
  if (limit.soft == 0) return;
  info.open_files_limit = limit.soft;
  const std::uint64_t needed = open_files_needed(users, config.threads, shared ? 1 : own_files);
  if (limit.soft < needed)
    err << "warning: " << users << (users == 1 ? " user needs" : " users need") << " about " << needed
        << " open files, but the limit is " << limit.soft << " (hard limit " << limit.hard
        << "); users beyond it will fail to connect. Raise it (ulimit -n, or limits.conf) and run again.\n";
}

}  // namespace stampede::engine
