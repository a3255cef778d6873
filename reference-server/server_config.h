// stampede-server's settings and where they come from.
//
// Precedence (lowest to highest): built-in defaults < config file (JSON, --config FILE)
// < environment < command-line flags. The config file uses the flag names as keys:
//   {"store": "sqlite", "strategy": "range", "port": 8000, "bind": "127.0.0.1",
//    "data": "./.stampede/server-data", "shards": 4, "threads": 2, "workers": 16,
//    "max_in_flight": 1024, "time_bucket": "1h", "range_starts": [26, 51, 76],
//    "users": 100000, "rooms": 100, "hot_rooms": 5, "coupons_per_room": 5, "seed": 42,
//    "reset_on_mismatch": false, "admin_token": "...", "allowed_hosts": ["lab.example"],
//    "shard_latency": "1ms", "pool_size": 16, "cache": "memory", "cache_ttl": "1s",
//    "mysql": {"main": "127.0.0.1:13306/stampede_main", ...}, "redis": {...}}
// Environment: STAMPEDE_SERVER_DATA, STAMPEDE_SERVER_ADMIN_TOKEN (a token kept out of the
// process list, which every local user can read; the lab passes its token this way), and every STAMPEDE_MYSQL_* / STAMPEDE_REDIS_*
// variable, which is handed unchanged to the mysql store (store_settings), as are the
// "mysql"/"redis" objects of the config file (as STAMPEDE_MYSQL_<KEY> / STAMPEDE_REDIS_<KEY>).
//
// Errors: load_config_file/apply_json_config report every problem with the key it is
// about ("config.json: shards: expected an integer"); start-up refuses to run on any.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "reference-server/admin_guard.h"
#include "reference-server/admin_token.h"
#include "reference-server/rate_limit.h"
#include "reference-server/routing.h"
#include "reference-server/seeder.h"
#include "reference-server/shard_latency.h"

namespace stampede::server {

// Where the embedded store lives when --data is not given (relative to the working
// directory; the repository's .gitignore already ignores /.stampede/).
inline constexpr const char* kDefaultDataDir = ".stampede/server-data";
// --pool-size's upper bound (each connection is a thread on the MariaDB side).
inline constexpr int kMaxPoolSize = 1024;

struct ServerConfig {
  std::string store = "sqlite";  // "sqlite" | "mysql"
  Strategy strategy = Strategy::hash;
  std::string bind = "127.0.0.1";
  int port = 8000;
  std::filesystem::path data_dir = kDefaultDataDir;
  int shards = 4;
  int threads = 0;  // 0: cores
  int workers = 0;  // 0: max(16, 8 * threads)
  int max_in_flight = 1024;
  std::string time_bucket = "1h";
  std::vector<std::int64_t> range_starts;
  std::int64_t users = 100'000;  // data set sizes (seeding only)
  std::int64_t rooms = 100;
  std::int64_t hot_rooms = 5;
  std::int64_t coupons_per_room = 5;
  std::uint64_t seed = 42;
  bool reset_on_mismatch = false;
  std::map<std::string, std::string> store_settings;  // STAMPEDE_MYSQL_* / STAMPEDE_REDIS_*
  // The admin endpoints' Bearer token (admin_guard.h); empty: one is generated at start and
  // written to <data>/admin-token (admin_token.h).
  std::string admin_token;
  // Where a non-empty admin_token came from: the flag, unless the environment or the config
  // file set it (and no flag overrode it).
  AdminTokenSource admin_token_source = AdminTokenSource::flag;
  std::vector<std::string> allowed_hosts;  // Host names admin requests may use besides loopback
  // --shard-latency: a modelled network hop before every shard visit, "" none, "1ms" or
  // "0.2ms-2ms" (shard_latency.h).
  std::string shard_latency;
  int pool_size = 0;  // --pool-size: mysql connections per instance at most; 0: 16
  std::string cache = "off";      // --cache off|memory|redis (cache_aside.h)
  std::string cache_ttl = "1s";   // --cache-ttl: how long a cached answer may be served
  // --read-from primary|replicas: where the mysql store's fan-out reads go (mysql_store.h).
  std::string read_from = "primary";
  // --name: a Server-Timing metric on every answer (e.g. srv-1), so that a client behind a
  // load balancer knows which server answered; "" none.
  std::string name;
  // --write-path sync|queue: a grab writes its row itself, or is queued through RabbitMQ and
  // written by --consumers N consumer threads (grab_queue.h; mysql store only). --amqp: the
  // broker (amqp_url.h); "" = STAMPEDE_AMQP of the stack.env, else amqp://guest:guest@127.0.0.1:5672/.
  std::string write_path = "sync";
  int consumers = 2;
  std::string amqp;
  // --rate-limit R/s ("" none), --rate-limit-burst B ("" one second of the rate),
  // --rate-limit-by user|address: a token bucket per key in front of /api (rate_limit.h).
  std::string rate_limit;
  std::string rate_limit_burst;
  std::string rate_limit_by = "user";
};
// --consumers' upper bound (each is a thread with its own broker connection).
inline constexpr int kMaxConsumers = 64;

// Applies a parsed JSON config object; appends problems ("<source>: key: why").
void apply_json_config(ServerConfig& config, const nlohmann::json& json, const std::string& source,
                       std::vector<std::string>& problems);
// Reads and applies a JSON file; unreadable or malformed files are problems too.
void load_config_file(ServerConfig& config, const std::filesystem::path& file,
                      std::vector<std::string>& problems);
// getenv is injected for tests; `environ_names` lists the variables to scan for the
// STAMPEDE_MYSQL_/STAMPEDE_REDIS_ prefixes.
void apply_environment(ServerConfig& config, const std::vector<std::string>& environ_names,
                       const std::function<const char*(const char*)>& getenv);

// The data set the settings describe (seeding, and what a served store must hold).
SeedConfig seed_config(const ServerConfig& config);

// The settings' own ranges (port, shards, data set, threads, workers, max in flight);
// problems appended, each naming its setting.
void validate_config(const ServerConfig& config, std::vector<std::string>& problems);

// What serving needs beyond that: --shard-latency, --pool-size, --cache, --cache-ttl and
// --read-from (replicas only with --store mysql) well-formed and in range, an admin token that a header can carry (a problem names
// where it came from: --admin-token, STAMPEDE_SERVER_ADMIN_TOKEN, the config file), well-formed
// --allowed-host values, and a token whenever --bind is not a loopback address (a server
// reachable from other machines must not come up with admin open to them, nor with a
// token only its own file system knows). Problems appended, each naming its flag.
void validate_serving(const ServerConfig& config, std::vector<std::string>& problems);

// The parsed --shard-latency (none when it does not parse: validate_serving reports that).
ShardLatency shard_latency(const ServerConfig& config);
// The parsed --rate-limit, --rate-limit-burst, --rate-limit-by (no limit when they do not
// parse: validate_serving reports that).
RateLimitConfig rate_limit_config(const ServerConfig& config);
// The parsed --cache-ttl (1 s when it does not parse: validate_serving reports that).
std::chrono::nanoseconds cache_ttl(const ServerConfig& config);
// --cache-ttl's bounds.
inline constexpr std::chrono::milliseconds kMinCacheTtl{1};
inline constexpr std::chrono::hours kMaxCacheTtl{1};

// The admin policy for `token`: loopback plus the bind address (unless a wildcard such as
// 0.0.0.0) plus --allowed-host. Assumes validate_serving passed.
AdminPolicy admin_policy(const ServerConfig& config, std::string token);

// The routing config implied by the settings; problems appended as above.
RoutingConfig routing_config(const ServerConfig& config, std::int64_t room_count,
                             std::vector<std::string>& problems);

}  // namespace stampede::server
