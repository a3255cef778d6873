// `stampede lab`'s command line: the flags as typed (RawLabOptions, bound to CLI11) and the
// checked configuration (LabConfig). Every problem names its flag and is reported before
// anything starts (no server, no stack, no folder).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace stampede::generator {

struct RawLabOptions {
  std::vector<std::string> strategies{"hash,range,time"};
  std::string users = "500";
  std::string spawn_rate = "100";
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

struct LabConfig {
  std::vector<std::string> strategies;   // in order, each of hash, range, time, no repeats
  int users = 500;
  double spawn_rate = 100;               // users per second
  std::chrono::nanoseconds run_time = std::chrono::seconds(60);
  std::chrono::nanoseconds warmup = std::chrono::seconds(10);  // 0: no warm-up run
  std::string store = "sqlite";          // "sqlite" | "mysql"
  int shards = 4;                        // 2..8
  std::filesystem::path scenario_file = "scenarios/coupon.json";
  std::optional<std::filesystem::path> out_dir;  // default results/labs/<ts>-lab
  std::uint64_t seed = 42;               // the load's seed and the server's data-set seed
  int threads = 1;                       // load generator threads
  std::filesystem::path server_bin;      // empty: found next to this executable
  bool keep_data = false;
  int port_base = 0;                     // 0: the server picks a free port
  bool only_summary = false;             // no live tables
  bool quiet = false;
  std::vector<std::string> command_line;
};

inline constexpr int kLabMinShards = 2;
inline constexpr int kLabMaxShards = 8;
inline constexpr int kLabDataSetUsers = 100'000;  // what scenarios/coupon.json draws user ids from

void add_lab_options(CLI::App& lab, RawLabOptions& raw);

// Converts and checks; appends one message per problem, each starting with its flag
// (e.g. "--strategies: unknown strategy 'foo' (expected hash, range or time)").
LabConfig to_lab_config(const RawLabOptions& raw, std::vector<std::string>& problems);

}  // namespace stampede::generator
