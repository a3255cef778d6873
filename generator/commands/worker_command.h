// `stampede worker`: a stampede process as a worker of a Locust 2.x master (docs/distributed.md).
// Flags in (every problem named by its flag), the protocol session (locust/worker_session.h)
// over the engine (worker_load.h) in the middle, an exit code out:
//   0  the master quit (or Ctrl-C) and no request failed
//   1  some requests failed, or the master was lost (its connection down, or a master that
//      sends heartbeats silent, for --master-timeout); the result folder is written
//   2  a flag or the scenario is wrong, no master answered within --master-wait, or a run
//      could not be set up (no target host, an --out that is not empty)
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace stampede::commands {

struct RawWorkerOptions {
  std::string file;
  std::string master_host = "127.0.0.1";
  int master_port = 5557;
  std::string master_timeout = "60s";
  std::string master_wait = "5m";
  std::string host;             // empty: the master's --host
  std::string expect_users = "1000";
  std::optional<int> threads;
  std::string connections = "auto";
  std::string transport = "auto";
  bool insecure = false;
  std::string ca_file;
  std::optional<std::uint64_t> seed;
  std::string out;
  std::string label;
  std::string stop_timeout = "10s";
  std::string connect_timeout = "5s";
  std::string timeout = "30s";
  std::string max_body;
  std::string max_body_memory;
  std::string print_interval = "2s";
  bool only_summary = false;
  bool quiet = false;
};

void add_worker_options(CLI::App& worker, RawWorkerOptions& raw);
int run_worker_command(const RawWorkerOptions& raw, const std::vector<std::string>& command_line,
                       const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

}  // namespace stampede::commands
