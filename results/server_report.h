// ServerReport: what the backend said about itself at the end of a run — the optional
// `server.json` of a result folder. `stampede lab` collects it from the reference server's
// /admin endpoints right after each run; runs made by hand (or against another backend)
// simply have none, and everything that reads it must cope with its absence.
//
// It carries what only the server can know: rows stored per shard (coupon_results), the
// store queries each shard served during the run, and the resharding estimate (how many
// rows would move going from N to K shards under each strategy).
//
// Errors: read_server_report throws std::runtime_error naming the file and JSON path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace stampede::results {

struct ServerShard {
  int shard = 0;
  bool up = true;
  std::uint64_t result_rows = 0;  // coupon_results rows on this shard at the end of the run
  std::uint64_t queries = 0;      // store queries the shard served during the measured run
  double query_seconds = 0;       // time the shard spent in them
};

// One strategy's answer to "what moves if we go from from_shards to to_shards?", computed
// by the server from the rows it stores (the keys do not depend on the strategy that
// stored them, so all strategies are estimated from the same rows).
struct ReshardEstimate {
  std::string strategy;  // "hash" | "range" | "time"
  int from_shards = 0;
  int to_shards = 0;
  std::uint64_t rows = 0;   // rows considered
  std::uint64_t moved = 0;  // rows whose shard changes
  std::string how;          // plain language, e.g. "user_id mod 4 -> user_id mod 5"
  std::vector<std::uint64_t> rows_before;  // per shard, size from_shards
  std::vector<std::uint64_t> rows_after;   // per shard, size to_shards
  double moved_share() const { return rows == 0 ? 0.0 : static_cast<double>(moved) / static_cast<double>(rows); }
};

struct ServerReport {
  std::int64_t collected_unix_ms = 0;
  std::string source;    // e.g. "http://127.0.0.1:8000"
  std::string strategy;  // the sharding strategy the server ran with
  std::string store;     // "sqlite" | "mysql" | whatever the backend says
  int shard_count = 0;
  std::vector<ServerShard> shards;        // sorted by shard
  std::vector<ReshardEstimate> reshard;   // empty when the backend gives no estimate
  // The backend's documents as received, keyed by request path (e.g. "/admin/stats"),
  // for anything the typed fields above do not cover.
  nlohmann::json documents = nlohmann::json::object();
};

nlohmann::json to_json(const ServerReport& report);
ServerReport server_report_from_json(const nlohmann::json& j);  // throws naming the JSON path

// `<dir>/server.json`, written atomically.
void write_server_report(const std::filesystem::path& dir, const ServerReport& report);
// nullopt when the folder has no server.json; throws (naming file and path) when it is bad.
std::optional<ServerReport> read_server_report(const std::filesystem::path& dir);

}  // namespace stampede::results
