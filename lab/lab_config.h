// What `stampede lab` was asked to do, checked (the flags are read in
// generator/commands/lab_command.cpp; every problem there names its flag).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "generator/engine/run_config.h"
#include "lab/variants.h"

namespace stampede::lab {

struct LabConfig {
  // The servers compared, in order (the first is the baseline of every ratio); unique names.
  std::vector<LabVariant> variants;
  bool strategy_variants = false;        // from --strategies (the default): the strategy is what varies
  std::vector<std::string> server_flags; // --server-flags, split: given to every variant's server
  int users = 500;
  double spawn_rate = 100;               // users per second
  // The open model (--arrival-rate, docs/open-model.md), as `stampede run` does it: 0 = the
  // closed model (users, spawn_rate).
  double arrival_rate = 0;
  int max_users = 0;                     // with arrival_rate: >= 1
  engine::RunConfig::Arrivals arrivals = engine::RunConfig::Arrivals::kEven;
  std::chrono::nanoseconds run_time = std::chrono::seconds(60);
  std::chrono::nanoseconds warmup = std::chrono::seconds(10);  // 0: no warm-up run
  std::string store = "sqlite";          // "sqlite" | "mysql"
  int shards = 4;                        // kLabMinShards..kLabMaxShards
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

// The sharding strategies stampede-server knows, in the lab's default order.
inline constexpr std::string_view kLabStrategies[] = {"hash", "range", "time"};
inline constexpr int kLabMinShards = 2;
inline constexpr int kLabMaxShards = 8;
inline constexpr int kLabDataSetUsers = 100'000;  // what scenarios/coupon.json draws user ids from

}  // namespace stampede::lab
