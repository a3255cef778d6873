#include "reference-server/server_config.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>

#include "reference-server/admin_token.h"
#include "reference-server/amqp_url.h"
#include "units/duration.h"

namespace stampede::server {

namespace {

using nlohmann::json;

// A --name is a Server-Timing metric name (an HTTP token): kept to a plain, short subset.
bool is_server_timing_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || std::isalpha(static_cast<unsigned char>(name[0])) == 0) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

template <class T>
void take_int(const json& j, const char* key, T& out, const std::string& source,
              std::vector<std::string>& problems) {
  const auto it = j.find(key);
  if (it == j.end()) return;
  if (!it->is_number_integer()) {
    problems.push_back(source + ": " + key + ": expected an integer, got " + it->type_name());
    return;
  }
  out = it->get<T>();
}

void take_string(const json& j, const char* key, std::string& out, const std::string& source,
                 std::vector<std::string>& problems) {
  const auto it = j.find(key);
  if (it == j.end()) return;
  if (!it->is_string()) {
    problems.push_back(source + ": " + key + ": expected a string, got " + it->type_name());
    return;
  }
  out = it->get<std::string>();
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

void apply_json_config(ServerConfig& config, const json& j, const std::string& source,
                       std::vector<std::string>& problems) {
  if (!j.is_object()) {
    problems.push_back(source + ": expected a JSON object at the top level");
    return;
  }
  static const char* const known[] = {"store", "strategy", "port", "bind", "data", "shards",
                                      "threads", "workers", "max_in_flight", "time_bucket",
                                      "range_starts", "users", "rooms", "hot_rooms",
                                      "coupons_per_room", "seed", "reset_on_mismatch",
                                      "admin_token", "allowed_hosts", "mysql", "redis",
                                      "write_path", "consumers", "amqp",
                                      "shard_latency", "pool_size", "cache", "cache_ttl", "name",
                                      "read_from", "rate_limit", "rate_limit_burst", "rate_limit_by"};
  for (const auto& [key, value] : j.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) problems.push_back(source + ": " + key + ": unknown setting");
  }
  take_string(j, "store", config.store, source, problems);
  std::string strategy(to_string(config.strategy));
  take_string(j, "strategy", strategy, source, problems);
  if (auto s = parse_strategy(strategy)) {
    config.strategy = *s;
  } else {
    problems.push_back(source + ": strategy: expected hash, range or time, got '" + strategy + "'");
  }
  take_int(j, "port", config.port, source, problems);
  take_string(j, "bind", config.bind, source, problems);
  std::string data = config.data_dir.string();
  take_string(j, "data", data, source, problems);
  config.data_dir = data;
  take_int(j, "shards", config.shards, source, problems);
  take_int(j, "threads", config.threads, source, problems);
  take_int(j, "workers", config.workers, source, problems);
  take_int(j, "max_in_flight", config.max_in_flight, source, problems);
  take_string(j, "time_bucket", config.time_bucket, source, problems);
  take_int(j, "users", config.users, source, problems);
  take_int(j, "rooms", config.rooms, source, problems);
  take_int(j, "hot_rooms", config.hot_rooms, source, problems);
  take_int(j, "coupons_per_room", config.coupons_per_room, source, problems);
  take_int(j, "seed", config.seed, source, problems);
  if (const auto it = j.find("reset_on_mismatch"); it != j.end()) {
    if (it->is_boolean()) {
      config.reset_on_mismatch = it->get<bool>();
    } else {
      problems.push_back(source + ": reset_on_mismatch: expected true or false");
    }
  }
  if (j.contains("admin_token")) config.admin_token_source = AdminTokenSource::config_file;
  take_string(j, "admin_token", config.admin_token, source, problems);
  take_string(j, "shard_latency", config.shard_latency, source, problems);
  take_int(j, "pool_size", config.pool_size, source, problems);
  take_string(j, "cache", config.cache, source, problems);
  take_string(j, "cache_ttl", config.cache_ttl, source, problems);
  take_string(j, "read_from", config.read_from, source, problems);
  take_string(j, "name", config.name, source, problems);
  take_string(j, "write_path", config.write_path, source, problems);
  take_int(j, "consumers", config.consumers, source, problems);
  take_string(j, "amqp", config.amqp, source, problems);
  take_string(j, "rate_limit", config.rate_limit, source, problems);
  take_string(j, "rate_limit_burst", config.rate_limit_burst, source, problems);
  take_string(j, "rate_limit_by", config.rate_limit_by, source, problems);
  if (const auto it = j.find("allowed_hosts"); it != j.end()) {
    config.allowed_hosts.clear();
    if (!it->is_array() || !std::all_of(it->begin(), it->end(), [](const json& v) { return v.is_string(); })) {
      problems.push_back(source + ": allowed_hosts: expected an array of host names");
    } else {
      for (const auto& v : *it) config.allowed_hosts.push_back(v.get<std::string>());
    }
  }
  if (const auto it = j.find("range_starts"); it != j.end()) {
    config.range_starts.clear();
    if (!it->is_array()) {
      problems.push_back(source + ": range_starts: expected an array of room ids");
    } else {
      for (const auto& v : *it) {
        if (!v.is_number_integer()) {
          problems.push_back(source + ": range_starts: expected integers");
          break;
        }
        config.range_starts.push_back(v.get<std::int64_t>());
      }
    }
  }
  for (const char* group : {"mysql", "redis"}) {
    const auto it = j.find(group);
    if (it == j.end()) continue;
    if (!it->is_object()) {
      problems.push_back(source + ": " + group + ": expected an object");
      continue;
    }
    for (const auto& [key, value] : it->items()) {
      const std::string name = "STAMPEDE_" + upper(group) + "_" + upper(key);
      if (value.is_string()) {
        config.store_settings[name] = value.get<std::string>();
      } else if (value.is_number_integer()) {
        config.store_settings[name] = std::to_string(value.get<std::int64_t>());
      } else {
        problems.push_back(source + ": " + group + "." + key + ": expected a string or integer");
      }
    }
  }
}

void load_config_file(ServerConfig& config, const std::filesystem::path& file,
                      std::vector<std::string>& problems) {
  std::ifstream in(file);
  if (!in) {
    problems.push_back(file.string() + ": cannot read the config file");
    return;
  }
  const json j = json::parse(in, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
  if (j.is_discarded()) {
    problems.push_back(file.string() + ": not valid JSON");
    return;
  }
  apply_json_config(config, j, file.string(), problems);
}

void apply_environment(ServerConfig& config, const std::vector<std::string>& environ_names,
                       const std::function<const char*(const char*)>& getenv) {
  if (const char* data = getenv("STAMPEDE_SERVER_DATA"); data != nullptr && *data != '\0') {
    config.data_dir = data;
  }
  if (const char* amqp = getenv("STAMPEDE_AMQP"); amqp != nullptr && *amqp != '\0') config.amqp = amqp;
  if (const char* token = getenv("STAMPEDE_SERVER_ADMIN_TOKEN"); token != nullptr && *token != '\0') {
    config.admin_token = token;
    config.admin_token_source = AdminTokenSource::environment;
  }
  for (const auto& name : environ_names) {
    if (name.rfind("STAMPEDE_MYSQL_", 0) == 0 || name.rfind("STAMPEDE_REDIS", 0) == 0) {
      if (const char* value = getenv(name.c_str())) config.store_settings[name] = value;
    }
  }
}

SeedConfig seed_config(const ServerConfig& config) {
  SeedConfig seed;
  seed.users = config.users;
  seed.rooms = config.rooms;
  seed.hot_rooms = config.hot_rooms;
  seed.coupons_per_room = config.coupons_per_room;
  seed.seed = config.seed;
  return seed;
}

void validate_config(const ServerConfig& config, std::vector<std::string>& problems) {
  if (config.store != "sqlite" && config.store != "mysql") {
    problems.push_back("--store: expected sqlite or mysql, got '" + config.store + "'");
  }
  if (config.port < 0 || config.port > 65535) problems.push_back("port must be 0..65535");
  if (config.shards < 1 || config.shards > 64) problems.push_back("shards must be 1..64");
  if (config.users < 1) problems.push_back("users must be positive");
  if (auto problem = validate(seed_config(config))) problems.push_back("data set: " + *problem);
  if (config.threads < 0 || config.threads > 256) problems.push_back("threads must be 0 (= cores) .. 256");
  if (config.workers < 0 || config.workers > 4096) problems.push_back("workers must be 0 (= default) .. 4096");
  if (config.max_in_flight < 1) problems.push_back("max in flight must be at least 1");
}

ShardLatency shard_latency(const ServerConfig& config) {
  std::string problem;
  return parse_shard_latency(config.shard_latency, problem).value_or(ShardLatency{});
}

RateLimitConfig rate_limit_config(const ServerConfig& config) {
  std::vector<std::string> problems;
  RateLimitConfig limit = parse_rate_limit(config.rate_limit, config.rate_limit_burst, config.rate_limit_by, problems);
  return problems.empty() ? limit : RateLimitConfig{};
}

std::chrono::nanoseconds cache_ttl(const ServerConfig& config) {
  return units::parse_duration(config.cache_ttl, units::BareNumber::kRejected).value_or(std::chrono::seconds(1));
}

void validate_serving(const ServerConfig& config, std::vector<std::string>& problems) {
  if (config.cache != "off" && config.cache != "memory" && config.cache != "redis") {
    problems.push_back("--cache: expected off, memory or redis, got '" + config.cache + "'");
  }
  if (config.read_from != "primary" && config.read_from != "replicas") {
    problems.push_back("--read-from: expected primary or replicas, got '" + config.read_from + "'");
  } else if (config.read_from == "replicas" && config.store != "mysql") {
    problems.push_back("--read-from replicas: only with --store mysql (the replicas are the MariaDB stack's: "
                       "fixtures/stack up --replicas 1); the " + config.store + " store has none");
  }
  const auto ttl = units::parse_duration(config.cache_ttl, units::BareNumber::kRejected);
  if (!ttl) {
    problems.push_back("--cache-ttl: expected a duration with a unit like 500ms or 1s, got '" +
                       config.cache_ttl + "'");
  } else if (*ttl < kMinCacheTtl || *ttl > kMaxCacheTtl) {
    problems.push_back("--cache-ttl: expected 1ms .. 1h, got '" + config.cache_ttl + "'");
  }
  if (std::string problem; !parse_shard_latency(config.shard_latency, problem)) {
    problems.push_back("--shard-latency: " + problem);
  }
  if (!config.name.empty() && !is_server_timing_name(config.name)) {
    problems.push_back("--name '" + config.name +
                       "': expected 1..64 letters, digits, '-', '_' or '.', starting with a letter "
                       "(it is a Server-Timing metric name, e.g. srv-1)");
  }
  if (config.pool_size < 0 || config.pool_size > kMaxPoolSize) {
    problems.push_back("--pool-size: expected 1.." + std::to_string(kMaxPoolSize) + " connections per instance (0: 16), got " +
                       std::to_string(config.pool_size));
  }
  if (config.write_path != "sync" && config.write_path != "queue") {
    problems.push_back("--write-path: expected sync or queue, got '" + config.write_path + "'");
  } else if (config.write_path == "queue" && config.store != "mysql") {
    problems.push_back("--write-path queue: needs --store mysql (the stack's Redis stock, shards and RabbitMQ)");
  }
  if (config.consumers < 1 || config.consumers > kMaxConsumers) {
    problems.push_back("--consumers: expected 1.." + std::to_string(kMaxConsumers) + " consumer threads, got " +
                       std::to_string(config.consumers));
  }
  if (std::string problem; !config.amqp.empty() && !parse_amqp_url(config.amqp, problem)) {
    problems.push_back("--amqp " + problem);
  }
  parse_rate_limit(config.rate_limit, config.rate_limit_burst, config.rate_limit_by, problems);
  if (!config.admin_token.empty()) {
    if (auto problem = check_admin_token(config.admin_token)) problems.push_back(std::string(to_string(config.admin_token_source)) + ": " + *problem);
  } else if (!is_loopback_address(config.bind)) {
    problems.push_back("--bind " + config.bind +
                       ": listening on a non-loopback address needs --admin-token TOKEN (or "
                       "STAMPEDE_SERVER_ADMIN_TOKEN): anyone who can reach the port could otherwise "
                       "reset the data or take shards offline. Give a token of at least " +
                       std::to_string(kMinAdminTokenLength) + " characters, or bind 127.0.0.1");
  }
  for (const auto& host : config.allowed_hosts) {
    if (!normalize_allowed_host(host)) {
      problems.push_back("--allowed-host '" + host +
                         "': expected a host name or IP address without scheme, port or path");
    }
  }
}

AdminPolicy admin_policy(const ServerConfig& config, std::string token) {
  AdminPolicy policy;
  policy.token = std::move(token);
  for (const auto& host : config.allowed_hosts) {
    if (auto normalized = normalize_allowed_host(host)) policy.allowed_hosts.push_back(*normalized);
  }
  const bool wildcard = config.bind == "0.0.0.0" || normalize_allowed_host(config.bind) == "[::]";
  if (!wildcard) {
    if (auto normalized = normalize_allowed_host(config.bind)) policy.allowed_hosts.push_back(*normalized);
  }
  return policy;
}

RoutingConfig routing_config(const ServerConfig& config, std::int64_t room_count,
                             std::vector<std::string>& problems) {
  RoutingConfig routing;
  routing.strategy = config.strategy;
  routing.shard_count = config.shards;
  routing.room_count = room_count;
  routing.range_starts = config.range_starts;
  // A bare number once meant milliseconds here; it is refused rather than silently read as
  // seconds, the project's meaning of a bare number elsewhere (units/duration.h).
  const auto bucket = units::parse_duration(config.time_bucket, units::BareNumber::kRejected);
  if (bucket && std::chrono::duration_cast<std::chrono::milliseconds>(*bucket).count() > 0) {
    routing.time_bucket = std::chrono::duration_cast<std::chrono::milliseconds>(*bucket);
  } else if (units::parse_duration(config.time_bucket)) {
    problems.push_back("time bucket: '" + config.time_bucket + "' needs a unit (e.g. " + config.time_bucket +
                       "ms or " + config.time_bucket + "s; a duration like 30m or 1h)");
  } else {
    problems.push_back("time bucket: expected a duration like 30m or 1h, got '" + config.time_bucket + "'");
  }
  if (auto problem = validate(routing)) problems.push_back("routing: " + *problem);
  return routing;
}

}  // namespace stampede::server
