// Where the MySQL store finds its databases and Redis: MysqlSettings.
//
// `fixtures/stack up` writes DIR/stack.env (KEY=VALUE lines, `#` comments):
//
//   STAMPEDE_MYSQL_MAIN=127.0.0.1:13306/stampede_main          host:port/database
//   STAMPEDE_MYSQL_SHARDS=127.0.0.1:13307/stampede_shard_0,...  one per shard, in order
//   STAMPEDE_MYSQL_USER=stampede
//   STAMPEDE_MYSQL_PASSWORD=stampede
//   STAMPEDE_REDIS=127.0.0.1:16379                              host:port
//   STAMPEDE_MYSQL_MAIN_REPLICAS=127.0.0.1:13320/stampede_main  `up --replicas N`: N, '+'-separated
//   STAMPEDE_MYSQL_SHARD_REPLICAS=127.0.0.1:13321/stampede_shard_0,...  one '+' list per shard
//
// find_mysql_settings() makes `stampede-server --store mysql` work with no flags: it reads
// the stack.env of $STAMPEDE_STACK_DIR, else the first `.stampede/stack/stack.env` found in
// the current directory or one of its parents (the repository root when run from a build
// folder); then every variable above that is set in the process environment overrides the
// file. With no file at all the environment alone must name the main database.
//
// Errors: StoreError with a message that says what to run or set.
// Thread-safety: plain functions; parse_* are pure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reference-server/store.h"

namespace stampede::server {

struct MysqlEndpoint {
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string database;  // empty for Redis

  std::string address() const;  // "host:port" (the ShardStatus/main_address form)
};

struct MysqlSettings {
  MysqlEndpoint main;
  std::vector<MysqlEndpoint> shards;
  std::string user = "stampede";
  std::string password;
  MysqlEndpoint redis{"127.0.0.1", 6379, {}};
  // Read replicas (fixtures/stack up --replicas N): of the main database, and per shard in
  // shard order (empty when the stack has none).
  std::vector<MysqlEndpoint> main_replicas;
  std::vector<std::vector<MysqlEndpoint>> shard_replicas;
  std::string source;  // where the settings came from (for start-up messages)
};

// "host:port/database" (database required) or "host:port" (database optional).
std::optional<MysqlEndpoint> parse_endpoint(std::string_view text, bool need_database);

// Applies KEY=VALUE pairs; `lookup` returns the value of a key or nullopt.
// Throws StoreError naming the key on a malformed value.
void apply_settings(MysqlSettings& settings,
                    const std::function<std::optional<std::string>(std::string_view)>& lookup);

// Reads one stack.env file. Throws StoreError when it cannot be read or is malformed.
MysqlSettings read_stack_env(const std::filesystem::path& file);

// The stack.env the server would use (see above), or nullopt when none is found.
std::optional<std::filesystem::path> find_stack_env();

// The complete lookup described at the top. Throws StoreError when nothing names the
// main database ("run fixtures/stack up or set STAMPEDE_MYSQL_MAIN").
MysqlSettings find_mysql_settings();

}  // namespace stampede::server
