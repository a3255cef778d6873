#include "reference-server/mysql_settings.h"

#include <gtest/gtest.h>

#include <map>

namespace stampede::server {
namespace {

const std::string kFixtures = std::string(STAMPEDE_SOURCE_DIR) + "/reference-server/tests/fixtures/";

TEST(MysqlSettings, ParsesEndpoints) {
  auto full = parse_endpoint("127.0.0.1:13307/stampede_shard_0", true);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->host, "127.0.0.1");
  EXPECT_EQ(full->port, 13307);
  EXPECT_EQ(full->database, "stampede_shard_0");
  EXPECT_EQ(full->address(), "127.0.0.1:13307");

  auto redis = parse_endpoint(" localhost:6379 ", false);
  ASSERT_TRUE(redis);
  EXPECT_EQ(redis->host, "localhost");
  EXPECT_TRUE(redis->database.empty());

  EXPECT_FALSE(parse_endpoint("127.0.0.1:13307", true));  // database required
  EXPECT_FALSE(parse_endpoint("127.0.0.1", false));
  EXPECT_FALSE(parse_endpoint(":3306", false));
  EXPECT_FALSE(parse_endpoint("host:0", false));
  EXPECT_FALSE(parse_endpoint("host:70000", false));
  EXPECT_FALSE(parse_endpoint("host:33x", false));
}

TEST(MysqlSettings, ReadsTheStackEnvFile) {
  const auto settings = read_stack_env(kFixtures + "mysql_stack.env");
  EXPECT_EQ(settings.main.address(), "127.0.0.1:23306");
  EXPECT_EQ(settings.main.database, "stampede_main");
  ASSERT_EQ(settings.shards.size(), 3u);
  EXPECT_EQ(settings.shards[2].port, 23309);
  EXPECT_EQ(settings.shards[2].database, "stampede_shard_2");
  EXPECT_EQ(settings.user, "stampede");
  EXPECT_EQ(settings.password, "s3cret=with=equals");  // only the first '=' splits
  EXPECT_EQ(settings.redis.address(), "127.0.0.1:26379");
  EXPECT_EQ(settings.source, kFixtures + "mysql_stack.env");
}

TEST(MysqlSettings, ReportsTheBadKey) {
  try {
    read_stack_env(kFixtures + "mysql_stack_bad.env");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("STAMPEDE_MYSQL_SHARDS"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("localhost:notaport/x"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_stack_env(kFixtures + "no-such-file.env"), StoreError);
}

TEST(MysqlSettings, ReadsTheReplicasOfEachDatabase) {
  MysqlSettings settings;
  const std::map<std::string, std::string, std::less<>> env{
      {"STAMPEDE_MYSQL_MAIN_REPLICAS", "127.0.0.1:13320/m+127.0.0.1:13323/m"},
      {"STAMPEDE_MYSQL_SHARD_REPLICAS", "127.0.0.1:13321/s0+127.0.0.1:13324/s0,127.0.0.1:13322/s1+127.0.0.1:13325/s1"}};
  const auto lookup = [&](std::string_view key) -> std::optional<std::string> {
    const auto it = env.find(key);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  apply_settings(settings, lookup);
  ASSERT_EQ(settings.main_replicas.size(), 2u);
  EXPECT_EQ(settings.main_replicas[1].port, 13323);
  ASSERT_EQ(settings.shard_replicas.size(), 2u);
  ASSERT_EQ(settings.shard_replicas[1].size(), 2u);
  EXPECT_EQ(settings.shard_replicas[1][0].address(), "127.0.0.1:13322");
  EXPECT_EQ(settings.shard_replicas[1][1].database, "s1");

  MysqlSettings bad;
  try {
    apply_settings(bad, [](std::string_view key) -> std::optional<std::string> {
      if (key == "STAMPEDE_MYSQL_SHARD_REPLICAS") return "127.0.0.1:13321/s0+nohost";
      return std::nullopt;
    });
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("STAMPEDE_MYSQL_SHARD_REPLICAS"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'nohost'"), std::string::npos) << e.what();
  }
}

TEST(MysqlSettings, LaterValuesOverrideEarlierOnes) {
  auto settings = read_stack_env(kFixtures + "mysql_stack.env");
  const std::map<std::string, std::string, std::less<>> env{
      {"STAMPEDE_MYSQL_PASSWORD", "other"}, {"STAMPEDE_REDIS", "10.0.0.1:7000"}};
  apply_settings(settings, [&](std::string_view key) -> std::optional<std::string> {
    if (auto it = env.find(key); it != env.end()) return it->second;
    return std::nullopt;
  });
  EXPECT_EQ(settings.password, "other");
  EXPECT_EQ(settings.redis.port, 7000);
  EXPECT_EQ(settings.shards.size(), 3u);  // untouched
}

}  // namespace
}  // namespace stampede::server
