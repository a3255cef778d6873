// RunConfig: everything `stampede run` was asked to do, after the command line was parsed
// and validated (units already converted).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "generator/http/body_limits.h"
#include "generator/http/tls_options.h"
#include "results/run_result.h"
#include "scenarios/scenario.h"

namespace stampede::engine {

struct RunConfig {
  std::filesystem::path scenario_file;
  std::string host;  // scheme://host[:port], no trailing slash
  int users = 1;
  double spawn_rate = 1;  // users per second
  // The open model (docs/open-model.md): iterations start on a schedule, arrival_rate per
  // second, run by at most max_users busy users. arrival_rate 0: the closed model (users).
  double arrival_rate = 0;
  int max_users = 0;  // with arrival_rate: >= 1 (default_max_users when not given)
  enum class Arrivals { kEven, kPoisson };
  Arrivals arrivals = Arrivals::kEven;
  bool open_model() const { return arrival_rate > 0; }
  // The scenario's load_shape in its arrival_rate form: the rate over time, arrival_rate
  // then being its highest rate. The run stops at the shape's end. nullopt: arrival_rate
  // throughout.
  std::optional<scenarios::ArrivalShape> arrival_shape;
  std::optional<std::chrono::nanoseconds> run_time;  // nullopt: until Ctrl-C / shape end
  int threads = 1;
  std::uint64_t seed = 0;
  std::vector<std::string> user_classes;  // empty: all
  std::vector<std::string> tags;          // empty: all tasks

  std::optional<std::string> csv_prefix;
  bool csv_full_history = false;
  std::optional<std::filesystem::path> out_dir;  // default results/runs/<ts>-<label>
  std::string label;                             // default: the scenario's name

  std::chrono::nanoseconds stop_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};
  // Response bodies (generator/http/body_limits.h): the largest body a response may have,
  // and the memory the bodies kept for checks and captures may take together.
  std::uint64_t max_body_bytes = http::kDefaultMaxBodyBytes;
  std::uint64_t max_body_memory_bytes = http::kDefaultMaxBodyMemoryBytes;
  // How users hold keep-alive connections (see docs/terminology.md, "connections").
  // kAuto: one per user while that stays cheap (kPerUserAutoLimit users and the
  // open-files limit allow), shared beyond.
  enum class Connections { kAuto, kPerUser, kShared };
  Connections connections = Connections::kAuto;
  // With libcurl, kAuto gives each user its own connection up to this many users.
  static constexpr int kPerUserAutoLimit = 2'000;
  // What carries the requests (generator/http_connection.h). kAuto: the native HTTP/1.1
  // client (http:// and https://) when users keep connections of their own, libcurl for
  // shared connections.
  enum class Transport { kAuto, kNative, kCurl };
  Transport transport = Transport::kAuto;
  // https:// certificate checks on either transport (--insecure, --ca-file).
  http::TlsOptions tls;
  std::chrono::nanoseconds print_interval = std::chrono::seconds(2);
  bool only_summary = false;  // no live table
  bool quiet = false;         // neither live table nor summary

  std::vector<std::string> command_line;

  // What `stampede lab` records about the server it measures (run.json `lab`); nullopt
  // for a run made by hand.
  std::optional<results::LabRunInfo> lab;

  // Asked once a second with the figures so far (cumulative endpoints, shards, the recent
  // history, info.duration_s = elapsed); a returned reason stops the run early, e.g. an
  // `abort` threshold that already failed. Runs on the control thread.
  std::function<std::optional<std::string>(const results::RunResult&)> abort_check;
  // History points kept in memory for the live table and abort_check's windows (the whole
  // history is on disk): at least the live table's 10 s, and the longest `over` window of
  // an abort threshold.
  std::size_t history_kept = 30;
};

// --max-users when not given: enough users for every arrival of one request timeout to be
// stuck waiting (rate x timeout), at least 1, at most kMaxDefaultUsers.
inline constexpr int kMaxDefaultUsers = 100'000;
inline int default_max_users(double arrival_rate, std::chrono::milliseconds request_timeout) {
  const double users = arrival_rate * static_cast<double>(request_timeout.count()) / 1000.0;
  if (!(users >= 1)) return 1;
  if (users >= kMaxDefaultUsers) return kMaxDefaultUsers;
  return static_cast<int>(users + 0.999999);
}

}  // namespace stampede::engine
