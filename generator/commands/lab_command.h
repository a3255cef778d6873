// `stampede lab`'s command line: the flags as typed (RawLabOptions, bound to CLI11) and the
// checked configuration (lab/lab_config.h). Every problem names its flag and is reported before
// anything starts (no server, no stack, no folder).
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "lab/lab_config.h"

namespace CLI {
class App;
}

namespace stampede::commands {

struct RawLabOptions {
  std::vector<std::string> strategies;  // empty: hash,range,time unless --variant is given
  std::vector<std::string> variants;    // NAME='server flags', in order
  std::string server_flags;             // for every variant's server
  bool server_flags_given = false;      // --server-flags was on the command line
  // Arguments the lab does not know. CLI11 takes a word that starts with -- for a flag, so
  // `--server-flags '--workers 4'` arrives as --server-flags without a value and this word.
  std::vector<std::string> extras;
  std::string users;                    // "": 500 (the closed model)
  std::string spawn_rate;               // "": 100
  std::string arrival_rate;             // the open model (not with -u/-r)
  std::string max_users;
  std::string arrivals;
  std::string run_time = "60s";
  std::string warmup = "10s";
  std::string store = "sqlite";
  int shards = 4;
  std::string file = "scenarios/coupon.json";
  std::string out;
  std::uint64_t seed = 42;
  int threads = 0;
  std::string server_bin;
  bool keep_data = false;
  int port_base = 0;
  bool only_summary = false;
  bool quiet = false;
};

void add_lab_options(CLI::App& lab, RawLabOptions& raw);

// Converts and checks; appends one message per problem, each starting with its flag
// (e.g. "--strategies: unknown strategy 'foo' (expected hash, range or time)").
lab::LabConfig to_lab_config(const RawLabOptions& raw, std::vector<std::string>& problems);

// `stampede lab …` after parsing: checks the flags, runs the lab, returns the exit code
// (0 measured, 1 a run or server failed or the lab was interrupted, 2 usage).
int run_lab_command(const RawLabOptions& raw, const std::vector<std::string>& command_line,
                    const std::atomic<int>& interrupts, std::ostream& out, std::ostream& err);

}  // namespace stampede::commands
