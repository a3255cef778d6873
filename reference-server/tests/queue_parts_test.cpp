// The queued write path's parts that need no broker: the --amqp URL, the message format,
// the figures' histogram, and the settings' checks (--write-path, --consumers, --amqp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "reference-server/admin_guard.h"
#include "reference-server/amqp_url.h"
#include "reference-server/endpoint.h"
#include "reference-server/queue_message.h"
#include "reference-server/queue_metrics.h"
#include "reference-server/server_config.h"

namespace stampede::server {
namespace {

using namespace std::chrono_literals;

TEST(AmqpUrl, ReadsTheStackEnvFormAndFullUrls) {
  std::string problem;
  auto url = parse_amqp_url("127.0.0.1:16672", problem);
  ASSERT_TRUE(url) << problem;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 16672);
  EXPECT_EQ(url->user, "guest");
  EXPECT_EQ(url->vhost, "/");

  url = parse_amqp_url("amqp://app:s%40cret@broker.local:5673/%2fshop", problem);
  ASSERT_TRUE(url) << problem;
  EXPECT_EQ(url->host, "broker.local");
  EXPECT_EQ(url->port, 5673);
  EXPECT_EQ(url->user, "app");
  EXPECT_EQ(url->password, "s@cret");
  EXPECT_EQ(url->vhost, "/shop");
  EXPECT_EQ(url->address(), "broker.local:5673");

  url = parse_amqp_url(kDefaultAmqpUrl, problem);
  ASSERT_TRUE(url) << problem;
  EXPECT_EQ(url->port, 5672);
  EXPECT_EQ(url->vhost, "/");
}

TEST(AmqpUrl, RefusesWhatItCannotUseAndSaysWhy) {
  for (const char* bad : {"", "localhost", "127.0.0.1:0", "127.0.0.1:99999", "amqp://", "amqp://host:x/",
                          "amqps://host:5671/", "amqp://host/%zz", "http://host:80", "amqp://h:1/?x=1"}) {
    std::string problem;
    EXPECT_FALSE(parse_amqp_url(bad, problem)) << bad;
    EXPECT_NE(problem.find(std::string("'") + bad + "'"), std::string::npos) << problem;
  }
}

TEST(QueueMessage, RoundTripsAndNamesTheBadField) {
  const QueuedGrab grab{"abc-1", 7, 3, 1, 2, 1'765'150'000'123, 1'765'150'000'123'456};
  std::string problem;
  const auto back = decode_queued_grab(encode(grab), problem);
  ASSERT_TRUE(back) << problem;
  EXPECT_EQ(*back, grab);

  EXPECT_FALSE(decode_queued_grab("not json", problem));
  EXPECT_EQ(problem, "not a JSON object");
  EXPECT_FALSE(decode_queued_grab(R"({"grab_id":"a","user_id":"7"})", problem));
  EXPECT_EQ(problem, "user_id: expected an integer");
  EXPECT_FALSE(decode_queued_grab(R"({"user_id":7})", problem));
  EXPECT_NE(problem.find("grab_id"), std::string::npos);
  auto wrong_shard = nlohmann::json::parse(encode(grab));
  wrong_shard["shard"] = -1;
  EXPECT_FALSE(decode_queued_grab(wrong_shard.dump(), problem));
  EXPECT_NE(problem.find("shard"), std::string::npos);
}

TEST(QueueMessage, GrabIdsAreUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 10'000; ++i) ids.insert(new_grab_id());
  EXPECT_EQ(ids.size(), 10'000u);
  EXPECT_LE(ids.begin()->size(), kMaxGrabIdLength);
}

TEST(QueueMetrics, PercentilesAreBucketBoundsNeverAboveTheMax) {
  DurationHistogram h;
  EXPECT_EQ(h.quantile_ms(0.95), 0.0);
  for (int i = 0; i < 90; ++i) h.record(300us);  // bucket (0.2 ms, 0.5 ms]
  for (int i = 0; i < 10; ++i) h.record(30ms);   // bucket (20 ms, 50 ms]
  EXPECT_EQ(h.count(), 100);
  EXPECT_DOUBLE_EQ(h.quantile_ms(0.50), 0.5);
  EXPECT_DOUBLE_EQ(h.quantile_ms(0.95), 30.0);  // the bound (50) capped by the exact max
  EXPECT_DOUBLE_EQ(h.max_ms(), 30.0);
  std::string text;
  h.append_prometheus(text, "x_seconds", "shard=\"1\"");
  EXPECT_NE(text.find("x_seconds_bucket{shard=\"1\",le=\"0.0005\"} 90\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{shard=\"1\",le=\"+Inf\"} 100\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_count{shard=\"1\"} 100\n"), std::string::npos) << text;
}

TEST(QueueMetrics, DepthIsPublishedMinusAckedAndInProgressLeavesWithTheConnection) {
  QueueMetrics m(2, 1);
  for (int i = 0; i < 5; ++i) m.record_published(1ms);
  for (int i = 0; i < 4; ++i) m.record_delivered(false);
  m.record_written(1, 5ms);
  m.record_acked();
  m.record_requeued();
  EXPECT_EQ(m.depth(), 4);
  EXPECT_EQ(m.in_progress(), 2);
  m.record_abandoned(2);  // the connection ended: the broker redelivers those two
  EXPECT_EQ(m.in_progress(), 0);
  const auto stats = m.stats();
  EXPECT_EQ(stats["depth"], 4);
  EXPECT_EQ(stats["delay_ms"][1]["written"], 1);
  const auto text = m.prometheus_text();
  for (const char* name : {"stampede_server_queue_depth 4\n", "stampede_server_queue_published_total 5\n",
                           "stampede_server_queue_written_total{shard=\"1\"} 1\n",
                           "stampede_server_queue_delay_seconds_count{shard=\"1\"} 1\n",
                           "stampede_server_queue_publish_seconds_count 5\n"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << " missing from\n" << text;
  }
}

TEST(QueueSettings, BadValuesAreNamedByTheirFlag) {
  const auto problems_of = [](ServerConfig config) {
    std::vector<std::string> problems;
    validate_serving(config, problems);
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    return all;
  };
  ServerConfig config;
  config.write_path = "later";
  EXPECT_NE(problems_of(config).find("--write-path: expected sync or queue, got 'later'"), std::string::npos);
  config.write_path = "queue";
  EXPECT_NE(problems_of(config).find("--write-path queue: needs --store mysql"), std::string::npos);
  config.store = "mysql";
  EXPECT_EQ(problems_of(config), "");
  config.consumers = 0;
  EXPECT_NE(problems_of(config).find("--consumers: expected 1..64"), std::string::npos);
  config.consumers = 2;
  config.amqp = "amqp://host:0/";
  EXPECT_NE(problems_of(config).find("--amqp 'amqp://host:0/': port must be 1..65535"), std::string::npos);

  ServerConfig from_file;
  std::vector<std::string> problems;
  apply_json_config(from_file, nlohmann::json::parse(R"({"write_path": "queue", "consumers": 4,
      "amqp": "127.0.0.1:16672"})"), "cfg.json", problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(from_file.write_path, "queue");
  EXPECT_EQ(from_file.consumers, 4);
  apply_environment(from_file, {}, [](const char* name) -> const char* {
    return std::string_view(name) == "STAMPEDE_AMQP" ? "127.0.0.1:5673" : nullptr;
  });
  EXPECT_EQ(from_file.amqp, "127.0.0.1:5673");
}

TEST(QueueSettings, TheDrainProofIsAnAdminRouteThatNeedsTheToken) {
  EXPECT_EQ(classify_path("/admin/queue"), Endpoint::admin_queue);
  EXPECT_EQ(endpoint_name(Endpoint::admin_queue), "admin_queue");
  EXPECT_EQ(admin_access(Endpoint::admin_queue), AdminAccess::token);
  EXPECT_TRUE(calls_store(Endpoint::admin_queue));  // asks the broker, Redis and the shards
}

}  // namespace
}  // namespace stampede::server
