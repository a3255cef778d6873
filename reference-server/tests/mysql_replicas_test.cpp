// Read replicas for real (issue 16): `fixtures/stack up --replicas 1` on a private two-shard
// stack in a scratch folder, then the mysql store with --read-from replicas. A grab written
// on the primary is read back from the replica once replication delivers it; with the
// replica's replication stopped the read still comes from the replica (it misses the new
// grab: reads really go there); a stopped replica's reads fall back to the primary, counted.
// `up` twice changes nothing, `down` stops every replica. Only upper bounds on time (polls).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "reference-server/metrics.h"
#include "reference-server/mysql_store.h"
#include "reference-server/router.h"
#include "reference-server/seeder.h"
#include "reference-server/tests/mysql_test_stack.h"
#include "reference-server/tests/store_contract.h"

namespace stampede::server::testing {
namespace {

using namespace std::chrono_literals;

// Ports 23800-23989: clear of the private stacks (17000-23799), of ctest's fixture stack
// (24000-31999) and of the default stack (13306-13330). Ten per test process: main, two
// shards, Redis, three replicas.
int base_port() { return 23800 + (::getpid() % 19) * 10; }

bool has_row_of(const std::vector<ResultRow>& rows, std::int64_t user, std::int64_t coupon) {
  for (const auto& row : rows)
    if (row.user_id == user && row.coupon_id == coupon) return true;
  return false;
}

// `sql` as the admin over the instance's socket (STOP SLAVE and START SLAVE on a replica).
int admin_sql(const Stack& stack, const std::string& instance, const std::string& sql) {
  const std::string user = ::getuid() == 0 ? "root" : std::string(std::getenv("USER") ? std::getenv("USER") : "root");
  const std::string command = "mariadb --no-defaults -S " + (stack.dir() / instance / "mysqld.sock").string() + " -u " +
                              user + " -e '" + sql + "' >/dev/null 2>&1";
  return std::system(command.c_str());
}

TEST(MysqlReplicas, ReadsGoToTheReplicaAndSeeThePrimarysWritesAfterTheLag) {
  if (auto missing = missing_tools(); !missing.empty()) GTEST_SKIP() << "not installed: " << missing;
  Stack stack(7);
  const int p = base_port();
  stack.set_extra_env("STAMPEDE_SHARDS=2 STAMPEDE_MYSQL_MAIN_PORT=" + std::to_string(p) +
                      " STAMPEDE_MYSQL_SHARD_BASE_PORT=" + std::to_string(p + 1) +
                      " STAMPEDE_REDIS_PORT=" + std::to_string(p + 3) +
                      " STAMPEDE_MYSQL_REPLICA_BASE_PORT=" + std::to_string(p + 4));
  struct Down {
    Stack& s;
    ~Down() { s.run("down --purge"); }
  } down{stack};

  std::string output;
  ASSERT_EQ(stack.run("up --replicas 1", &output), 0) << output;
  EXPECT_NE(output.find("r1-shard1"), std::string::npos) << output;
  EXPECT_NE(output.find("lag"), std::string::npos) << output;
  const pid_t replica_pid = stack.pid_of("r1-shard0");
  ASSERT_GT(replica_pid, 0);
  ASSERT_EQ(stack.run("up --replicas 1", &output), 0) << output;
  EXPECT_EQ(stack.pid_of("r1-shard0"), replica_pid) << "a second up starts nothing new:\n" << output;
  ASSERT_EQ(stack.run("status", &output), 0) << output;

  MysqlStoreOptions options;
  options.settings = stack.settings();
  ASSERT_EQ(options.settings.shard_replicas.size(), 2u);
  ASSERT_EQ(options.settings.main_replicas.size(), 1u);
  options.read_from_replicas = true;
  MysqlStore store(options);
  seed_store(store, small_config(3), Strategy::hash);

  // A grab on shard 0 (the primary), read back from its replica once replication delivers it.
  ASSERT_TRUE(store.grab({7, 6, 2, kT0, 0}).success);
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    const auto read = store.user_results(7, ShardList{0}, 10);
    ASSERT_EQ(read.timings.size(), 1u);
    ASSERT_TRUE(read.timings[0].replica.has_value());
    EXPECT_EQ(*read.timings[0].replica, 1) << "read from replica 1 of shard 0";
    seen = has_row_of(read.value, 7, 6);
    if (!seen) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(seen) << "the replica did not have the primary's write within 10 s";

  // Replication stopped: the next grab is on the primary only, and the read (from the
  // replica) does not see it. Then replication resumes and the read does.
  ASSERT_EQ(admin_sql(stack, "r1-shard0", "STOP SLAVE"), 0);
  ASSERT_TRUE(store.grab({8, 6, 2, kT0 + 1, 0}).success);
  EXPECT_FALSE(has_row_of(store.user_results(8, ShardList{0}, 10).value, 8, 6))
      << "a replica that does not replicate cannot have the new grab: the read went elsewhere";
  const auto stopped = store.replica_status();
  ASSERT_EQ(stopped.size(), 2u);
  EXPECT_FALSE(stopped[0].replicating);
  EXPECT_GE(stopped[0].reads, 2);
  ASSERT_EQ(admin_sql(stack, "r1-shard0", "START SLAVE"), 0);
  seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    seen = has_row_of(store.user_results(8, ShardList{0}, 10).value, 8, 6);
    if (!seen) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(seen) << "after START SLAVE the replica caught up";

  // Server-Timing names the copy; /metrics shows each replica's lag.
  Metrics metrics(2);
  RouterOptions router_options;
  router_options.routing.room_count = 8;
  router_options.routing.shard_count = 2;
  Router router(store, router_options, metrics, [] { return kT0; });
  const auto response = router.handle({"GET", "/api/user/7/coupons", "", {}});
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.server_timing.find("replica-"), std::string::npos) << response.server_timing;
  EXPECT_NE(response.server_timing.find("desc=r1"), std::string::npos) << response.server_timing;
  const auto metrics_text = router.handle({"GET", "/metrics", "", {}}).body;
  EXPECT_NE(metrics_text.find("stampede_server_replica_lag_seconds{shard=\"0\",replica=\"1\"} 0"), std::string::npos)
      << metrics_text;
  EXPECT_NE(metrics_text.find("stampede_server_replica_up{shard=\"1\",replica=\"1\"} 1"), std::string::npos)
      << metrics_text;

  // A stopped replica: its reads go to the primary (counted), nothing fails.
  ASSERT_EQ(stack.stop_instance("r1-shard0"), "");
  const auto fallback = store.user_results(7, ShardList{0}, 10);
  ASSERT_TRUE(fallback.timings.at(0).replica.has_value());
  EXPECT_EQ(*fallback.timings[0].replica, 0) << "the primary answered";
  EXPECT_TRUE(has_row_of(fallback.value, 7, 6));
  EXPECT_GE(store.replica_status().at(0).fallbacks, 1);
  EXPECT_NE(stack.run("status", &output), 0) << "a replica is down:\n" << output;

  const pid_t other_replica = stack.pid_of("r1-shard1");
  ASSERT_GT(other_replica, 0);
  ASSERT_EQ(stack.run("down", &output), 0) << output;
  EXPECT_FALSE(alive(other_replica)) << output;
  EXPECT_FALSE(fs::exists(stack.dir() / "r1-shard1")) << "down removes the replicas' folders";
}

TEST(MysqlReplicas, ReadFromReplicasWithoutReplicasIsRefusedNamingTheFlag) {
  MysqlStoreOptions options;
  options.settings.main = {"127.0.0.1", 1, "main"};
  options.settings.shards = {{"127.0.0.1", 1, "s0"}, {"127.0.0.1", 1, "s1"}};
  options.settings.source = "test";
  options.read_from_replicas = true;
  try {
    MysqlStore store(options);
    FAIL() << "expected a StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("--read-from replicas"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("fixtures/stack up --replicas 1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace stampede::server::testing
