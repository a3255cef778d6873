// One variant's stampede-server as the lab starts it (variants.h): the lab's own flags (store,
// bind, port, seed, data set, and the SQLite data folder and shards or, on the MariaDB stack,
// --reset-on-mismatch), then --server-flags and the variant's flags merged; and the check that
// such a server starts at all, made for every variant before any load.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "lab/lab_config.h"

namespace stampede::lab {

struct VariantServerSetup {
  std::vector<std::string> flags;  // its server flags besides the lab's own
  std::string strategy;            // its --strategy, else the server's default
  std::vector<std::string> args;   // every argument of its server
};

// `data`: the variant's SQLite folder; `port`: 0 for a free one. Pure.
VariantServerSetup server_setup(const LabConfig& config, const LabVariant& variant, const std::filesystem::path& data,
                                int port);

// Its full command line: `program`, then setup.args.
std::vector<std::string> server_command(const std::filesystem::path& program, const VariantServerSetup& setup);

// How a server started for the check ended.
struct ServerStartCheck {
  bool started = false;      // it said where it listens (it was stopped again)
  bool rejected = false;     // it exited with a usage code: 2 (its checks) or 100..114 (CLI11's parser)
  std::string exit;          // "exit code 2", "killed by signal 9", "" when it started
  std::string error;         // what went wrong, naming its log
  std::string stderr_lines;  // its stderr, each line quoted "  | …\n" (at most 8); "" when empty
};

// Starts `program args…` (stdout to `log`, stderr to `log` with ".err" appended; both removed
// when it started), waits up to `timeout` for its "listening on" line, stops it. Never throws.
ServerStartCheck check_server_starts(const std::filesystem::path& program, const std::vector<std::string>& args,
                                     const std::filesystem::path& log, const std::vector<std::string>& environment,
                                     std::chrono::milliseconds timeout);

}  // namespace stampede::lab
