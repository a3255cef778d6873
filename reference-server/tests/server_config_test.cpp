#include "reference-server/server_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "reference-server/tests/temp_dir.h"

namespace stampede::server {
namespace {

using nlohmann::json;

TEST(ServerConfig, JsonFileSetsEverySetting) {
  ServerConfig config;
  std::vector<std::string> problems;
  apply_json_config(config, json::parse(R"({
      "store": "mysql", "strategy": "time", "port": 9000, "bind": "127.0.0.1",
      "data": "/tmp/x", "shards": 2, "threads": 3, "workers": 5, "max_in_flight": 10,
      "time_bucket": "30m", "range_starts": [50], "users": 1000, "seed": 7,
      "rooms": 20, "hot_rooms": 2, "coupons_per_room": 3,
      "reset_on_mismatch": true,
      "mysql": {"main": "127.0.0.1:13306/stampede_main", "password": "pw"},
      "redis": {"port": 16379}})"), "cfg.json", problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.store, "mysql");
  EXPECT_EQ(config.strategy, Strategy::time);
  EXPECT_EQ(config.port, 9000);
  EXPECT_EQ(config.data_dir, "/tmp/x");
  EXPECT_EQ(config.shards, 2);
  EXPECT_EQ(config.range_starts, (std::vector<std::int64_t>{50}));
  EXPECT_EQ(config.seed, 7u);
  EXPECT_EQ(config.rooms, 20);
  EXPECT_EQ(config.hot_rooms, 2);
  EXPECT_EQ(config.coupons_per_room, 3);
  EXPECT_TRUE(config.reset_on_mismatch);
  EXPECT_EQ(config.store_settings["STAMPEDE_MYSQL_MAIN"], "127.0.0.1:13306/stampede_main");
  EXPECT_EQ(config.store_settings["STAMPEDE_MYSQL_PASSWORD"], "pw");
  EXPECT_EQ(config.store_settings["STAMPEDE_REDIS_PORT"], "16379");
  auto routing = routing_config(config, 100, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(routing.time_bucket, std::chrono::minutes(30));
  EXPECT_EQ(routing.shard_count, 2);
}

TEST(ServerConfig, ReportsEveryProblemWithItsKey) {
  ServerConfig config;
  std::vector<std::string> problems;
  apply_json_config(config, json::parse(R"({"port": "80", "strategy": "modulo", "shardz": 4,
                                             "range_starts": "1"})"),
                    "cfg.json", problems);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0], "cfg.json: shardz: unknown setting");
  EXPECT_NE(problems[1].find("strategy"), std::string::npos);
  EXPECT_NE(problems[2].find("port: expected an integer"), std::string::npos);
  EXPECT_NE(problems[3].find("range_starts"), std::string::npos);
  EXPECT_EQ(config.port, 8000);  // untouched

  config = ServerConfig{};
  config.time_bucket = "soon";
  problems.clear();
  routing_config(config, 100, problems);
  EXPECT_EQ(problems.size(), 1u);
}

// The time bucket reads the project's one duration grammar (units/duration.h). A bare
// number once meant milliseconds here and means seconds elsewhere, so it is refused with
// the units to choose from instead of silently changing meaning.
TEST(ServerConfig, TimeBucketTakesEveryDurationUnitButNoBareNumber) {
  const std::pair<const char*, std::chrono::milliseconds> good[] = {
      {"1h", std::chrono::hours(1)},           {"15m", std::chrono::minutes(15)},
      {"30s", std::chrono::seconds(30)},       {"250ms", std::chrono::milliseconds(250)},
      {"2d", std::chrono::hours(48)},          {"1h30m", std::chrono::minutes(90)}};
  for (const auto& [text, expected] : good) {
    ServerConfig config;
    config.time_bucket = text;
    std::vector<std::string> problems;
    auto routing = routing_config(config, 100, problems);
    EXPECT_TRUE(problems.empty()) << text;
    EXPECT_EQ(routing.time_bucket, expected) << text;
  }
  for (const char* bad : {"1x", "h", "-1s", "0s", "100us"}) {
    ServerConfig config;
    config.time_bucket = bad;
    std::vector<std::string> problems;
    routing_config(config, 100, problems);
    EXPECT_FALSE(problems.empty()) << bad;
  }
  ServerConfig config;
  config.time_bucket = "3600000";
  std::vector<std::string> problems;
  routing_config(config, 100, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("'3600000' needs a unit (e.g. 3600000ms or 3600000s"), std::string::npos) << problems[0];
}

TEST(ServerConfig, FilesAndEnvironment) {
  testing::TempDir dir;
  const auto file = dir.path() / "server.json";
  std::ofstream(file) << R"({"strategy": "range", "port": 8100})";
  ServerConfig config;
  std::vector<std::string> problems;
  load_config_file(config, file, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(config.strategy, Strategy::range);
  load_config_file(config, dir.path() / "missing.json", problems);
  EXPECT_EQ(problems.size(), 1u);

  std::map<std::string, std::string> env = {{"STAMPEDE_MYSQL_MAIN", "127.0.0.1:3306/db"},
                                            {"STAMPEDE_REDIS", "127.0.0.1:6379"},
                                            {"STAMPEDE_SERVER_DATA", "/srv/data"},
                                            {"HOME", "/root"}};
  std::vector<std::string> names;
  for (const auto& [k, v] : env) names.push_back(k);
  apply_environment(config, names, [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  EXPECT_EQ(config.data_dir, "/srv/data");
  EXPECT_EQ(config.store_settings.size(), 2u);
  EXPECT_EQ(config.store_settings["STAMPEDE_REDIS"], "127.0.0.1:6379");
}

// Issue 20: `--bind 0.0.0.0` used to start with admin open to the network.
TEST(ServerConfig, NonLoopbackBindWithoutATokenIsRefused) {
  for (const char* bind : {"0.0.0.0", "::", "192.168.1.20", "fd00::5"}) {
    ServerConfig config;
    config.bind = bind;
    std::vector<std::string> problems;
    validate_serving(config, problems);
    ASSERT_EQ(problems.size(), 1u) << bind;
    EXPECT_TRUE(problems[0].starts_with(std::string("--bind ") + bind + ": ")) << problems[0];
    EXPECT_NE(problems[0].find("--admin-token"), std::string::npos) << problems[0];

    config.admin_token = "a-token-of-24-characters";
    problems.clear();
    validate_serving(config, problems);
    EXPECT_TRUE(problems.empty()) << bind << ": " << problems.front();
  }
  for (const char* bind : {"127.0.0.1", "127.0.0.2", "::1"}) {
    ServerConfig config;
    config.bind = bind;
    std::vector<std::string> problems;
    validate_serving(config, problems);
    EXPECT_TRUE(problems.empty()) << bind << ": the token is generated";
  }
}

TEST(ServerConfig, AdminTokenAndAllowedHostsAreChecked) {
  ServerConfig config;
  config.admin_token = "short";
  config.allowed_hosts = {"lab.example", "http://lab.example:8000"};
  std::vector<std::string> problems;
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(problems[0].starts_with("--admin-token: expected at least 16 characters")) << problems[0];
  EXPECT_TRUE(problems[1].starts_with("--allowed-host 'http://lab.example:8000'")) << problems[1];
}

TEST(ServerConfig, AdminPolicyAllowsTheBindAddressButNoWildcard) {
  ServerConfig config;
  config.bind = "192.168.1.20";
  config.allowed_hosts = {"Lab.Example"};
  AdminPolicy policy = admin_policy(config, "t0123456789abcdef");
  EXPECT_EQ(policy.token, "t0123456789abcdef");
  EXPECT_EQ(policy.allowed_hosts, (std::vector<std::string>{"lab.example", "192.168.1.20"}));
  EXPECT_TRUE(host_allowed(policy, "192.168.1.20:8000"));
  config.bind = "0.0.0.0";
  EXPECT_EQ(admin_policy(config, "t").allowed_hosts, (std::vector<std::string>{"lab.example"}));
  config.bind = "::";
  EXPECT_EQ(admin_policy(config, "t").allowed_hosts, (std::vector<std::string>{"lab.example"}));
}

TEST(ServerConfig, AdminSettingsFromFileAndEnvironment) {
  ServerConfig config;
  std::vector<std::string> problems;
  apply_json_config(config, json::parse(R"({"admin_token": "from-the-file-0123", "allowed_hosts": ["a.example"]})"),
                    "cfg.json", problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.admin_token, "from-the-file-0123");
  EXPECT_EQ(config.allowed_hosts, (std::vector<std::string>{"a.example"}));
  apply_json_config(config, json::parse(R"({"allowed_hosts": "a.example"})"), "cfg.json", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "cfg.json: allowed_hosts: expected an array of host names");

  apply_environment(config, {"STAMPEDE_SERVER_ADMIN_TOKEN"}, [](const char* name) -> const char* {
    return std::string_view(name) == "STAMPEDE_SERVER_ADMIN_TOKEN" ? "from-the-environment" : nullptr;
  });
  EXPECT_EQ(config.admin_token, "from-the-environment");
}

TEST(ServerConfig, TheTokenRemembersWhereItCameFrom) {
  ServerConfig config;
  std::vector<std::string> problems;
  apply_json_config(config, json::parse(R"({"admin_token": "short"})"), "cfg.json", problems);
  EXPECT_EQ(config.admin_token_source, AdminTokenSource::config_file);
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].starts_with("config file (admin_token): expected at least 16")) << problems[0];

  apply_environment(config, {}, [](const char* name) -> const char* {
    return std::string_view(name) == "STAMPEDE_SERVER_ADMIN_TOKEN" ? "from-the-environment-0123" : nullptr;
  });
  EXPECT_EQ(config.admin_token_source, AdminTokenSource::environment);
  apply_environment(config, {}, [](const char*) -> const char* { return ""; });  // empty: not set
  EXPECT_EQ(config.admin_token_source, AdminTokenSource::environment);
  EXPECT_EQ(config.admin_token, "from-the-environment-0123");
}

TEST(ServerConfig, RangesAreCheckedByName) {
  ServerConfig config;
  std::vector<std::string> problems;
  validate_config(config, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  config.port = 70000;
  config.shards = 0;
  config.max_in_flight = 0;
  validate_config(config, problems);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], "port must be 0..65535");
  EXPECT_EQ(problems[1], "shards must be 1..64");
  EXPECT_EQ(problems[2], "max in flight must be at least 1");
}

// Issue 16's switches: from the config file, and every bad value named by its flag.
TEST(ServerConfig, Issue16SwitchesComeFromTheFileAndBadValuesNameTheirFlag) {
  ServerConfig config;
  std::vector<std::string> problems;
  apply_json_config(config, json::parse(R"({"shard_latency": "0.2ms-2ms", "pool_size": 4,
      "cache": "memory", "cache_ttl": "250ms"})"), "cfg.json", problems);
  ASSERT_TRUE(problems.empty()) << problems.front();
  validate_serving(config, problems);
  ASSERT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.pool_size, 4);
  EXPECT_EQ(config.cache, "memory");
  EXPECT_EQ(cache_ttl(config), std::chrono::milliseconds(250));
  EXPECT_EQ(shard_latency(config).max, std::chrono::milliseconds(2));

  config.shard_latency = "2ms-1ms";
  config.pool_size = 5000;
  config.cache = "disk";
  config.cache_ttl = "5";
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_TRUE(problems[0].starts_with("--cache: expected off, memory or redis, got 'disk'")) << problems[0];
  EXPECT_TRUE(problems[1].starts_with("--cache-ttl: expected a duration with a unit")) << problems[1];
  EXPECT_TRUE(problems[2].starts_with("--shard-latency: ")) << problems[2];
  EXPECT_TRUE(problems[3].starts_with("--pool-size: expected 1..1024")) << problems[3];
  config = ServerConfig{};
  config.cache_ttl = "2h";
  problems.clear();
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(problems[0].starts_with("--cache-ttl: expected 1ms .. 1h")) << problems[0];
}

TEST(ServerConfig, ReadFromIsPrimaryOrReplicasAndReplicasNeedTheMysqlStore) {
  ServerConfig config;
  std::vector<std::string> problems;
  validate_serving(config, problems);
  EXPECT_TRUE(problems.empty()) << "primary is the default";
  config.read_from = "replica";
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "--read-from: expected primary or replicas, got 'replica'");
  problems.clear();
  config.read_from = "replicas";
  validate_serving(config, problems);
  ASSERT_EQ(problems.size(), 1u) << "the sqlite store has no replicas";
  EXPECT_TRUE(problems[0].starts_with("--read-from replicas: only with --store mysql")) << problems[0];
  problems.clear();
  config.store = "mysql";
  validate_serving(config, problems);
  EXPECT_TRUE(problems.empty()) << problems.front();
  config.store = "disk";
  validate_config(config, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "--store: expected sqlite or mysql, got 'disk'");
}

TEST(ServerConfig, NameIsAServerTimingMetricName) {
  ServerConfig config;
  std::vector<std::string> problems;
  apply_json_config(config, json::parse(R"({"name": "srv-2"})"), "cfg.json", problems);
  validate_serving(config, problems);
  ASSERT_TRUE(problems.empty()) << problems.front();
  EXPECT_EQ(config.name, "srv-2");
  for (const char* bad : {"2srv", "srv 1", "srv;dur=1", "srv,x", "-x", "\xc3\xa9t\xc3\xa9"}) {
    config.name = bad;
    problems.clear();
    validate_serving(config, problems);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_TRUE(problems[0].starts_with("--name '" + std::string(bad) + "': expected 1..64 letters")) << problems[0];
  }
  config.name = std::string(65, 'a');
  problems.clear();
  validate_serving(config, problems);
  EXPECT_EQ(problems.size(), 1u);
}

}  // namespace
}  // namespace stampede::server
