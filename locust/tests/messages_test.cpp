// The worker's messages against Locust's own code: frames we encode are unpacked by
// Locust's rpc/protocol.py (Message.unserialize) and fed to its stats.py the way the master
// does; frames Locust's master code packs are decoded by ours.
#include "locust/messages.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "locust/tests/python_helper.h"

namespace stampede::locust {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class LocustMessages : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_locust()) GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
    dir_ = testing::test_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // What Locust's Message.unserialize makes of each frame: [type, data, node_id] as JSON.
  // One python3 for all of them: importing locust takes seconds on a busy machine.
  std::vector<json> unpacked_by_locust(const std::vector<std::string>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i)
      std::ofstream(dir_ / ("frame" + std::to_string(i) + ".bin"), std::ios::binary) << frames[i];
    const auto run = testing::run_python(dir_, R"(
import json, sys
from locust.rpc.protocol import Message
for i in range(int(sys.argv[1])):
    m = Message.unserialize(open("frame%d.bin" % i, "rb").read())
    print(json.dumps([m.type, m.data, m.node_id]))
)", std::to_string(frames.size()));
    EXPECT_EQ(run.status, 0) << run.out;
    std::vector<json> out;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) out.push_back(json::parse(line));
    return out;
  }

  // Bytes Locust's Message(type, data, 'master_1').serialize() makes, for each (type, data
  // as a Python literal), in one python3.
  std::vector<std::string> packed_by_locust(const std::vector<std::pair<std::string, std::string>>& messages) {
    std::string script = "from locust.rpc.protocol import Message\n";
    for (std::size_t i = 0; i < messages.size(); ++i)
      script += "open('out" + std::to_string(i) + ".bin', 'wb').write(Message('" + messages[i].first + "', " +
                messages[i].second + ", 'master_1').serialize())\n";
    const auto run = testing::run_python(dir_, script);
    EXPECT_EQ(run.status, 0) << run.out;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < messages.size(); ++i) {
      std::ifstream in(dir_ / ("out" + std::to_string(i) + ".bin"), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(LocustMessages, SimpleWorkerMessagesUnpackInLocust) {
  const std::vector<json> got = unpacked_by_locust({
      encode_client_ready("w_1"),
      encode_client_ready("w_1", "2.12.1"),
      encode_spawning("w_1"),
      encode_client_stopped("w_1"),
      encode_quit("w_1"),
      encode_heartbeat("w_1", kStateRunning, 12.5, 1048576),
      encode_spawning_complete("w_1", {{"Shopper", 3}, {"Browser", 1}}),
      encode_exception("w_1", "no class 'X'", ""),
  });
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got[0], json::parse(R"(["client_ready", -1, "w_1"])"));
  EXPECT_EQ(got[1], json::parse(R"(["client_ready", "2.12.1", "w_1"])"));
  EXPECT_EQ(got[2], json::parse(R"(["spawning", null, "w_1"])"));
  EXPECT_EQ(got[3], json::parse(R"(["client_stopped", null, "w_1"])"));
  EXPECT_EQ(got[4], json::parse(R"(["quit", null, "w_1"])"));
  EXPECT_EQ(got[5], json::parse(R"(["heartbeat", {"state": "running", "current_cpu_usage": 12.5,
                                                  "current_memory_usage": 1048576}, "w_1"])"));
  EXPECT_EQ(got[6], json::parse(R"(["spawning_complete", {"user_classes_count": {"Browser": 1, "Shopper": 3},
                                                          "user_count": 4}, "w_1"])"));
  EXPECT_EQ(got[7], json::parse(R"(["exception", {"msg": "no class 'X'", "traceback": ""}, "w_1"])"));
}

// A stats report as the master takes it in (stats.py's on_worker_report): the entries
// extend the master's, the response-time buckets give its percentiles, errors keep their key.
TEST_F(LocustMessages, StatsReportIsWhatTheMastersStatsMakeOfIt) {
  StatsReport report;
  StatsEntry a;
  a.name = "/api/coupon [Random]";
  a.method = "GET";
  a.start_time = 1700000000.0;
  for (int i = 1; i <= 100; ++i) a.log(i * 1.0 + 0.25, 10, 1700000000.5);
  a.log_error(1700000000.5, 2);
  StatsEntry idle;  // no activity: not sent
  idle.name = "/idle";
  idle.method = "GET";
  report.stats = {a, idle};
  report.total = a;
  report.total.name = "Aggregated";
  report.total.method = "";
  report.errors[error_key("GET", a.name, "HTTP 503")] = {"GET", a.name, "HTTP 503", 2};
  report.user_classes_count = {{"Shopper", 2}};
  report.user_count = 2;
  std::ofstream(dir_ / "frame.bin", std::ios::binary) << encode_stats("w_1", report);

  const auto run = testing::run_python(dir_, R"(
import json
from locust.rpc.protocol import Message
from locust.event import Events
from locust.stats import RequestStats, setup_distributed_stats_event_listeners
m = Message.unserialize(open("frame.bin", "rb").read())
events = Events()
stats = RequestStats()
setup_distributed_stats_event_listeners(events, stats)
events.worker_report.fire(client_id=m.node_id, data=m.data)
e = stats.get("/api/coupon [Random]", "GET")
err = list(stats.errors.values())[0]
print(json.dumps({"entries": len(stats.entries), "requests": e.num_requests, "failures": e.num_failures,
                  "median": e.median_response_time, "p90": e.get_response_time_percentile(0.9),
                  "min": e.min_response_time, "max": e.max_response_time, "bytes": e.total_content_length,
                  "total_requests": stats.total.num_requests, "rps_keys": list(e.num_reqs_per_sec.keys()),
                  "error": [err.method, err.name, err.error, err.occurrences],
                  "users": m.data["user_count"]}))
)");
  ASSERT_EQ(run.status, 0) << run.out;
  const json got = json::parse(run.out);
  EXPECT_EQ(got["entries"], 1);  // the idle entry was not sent
  EXPECT_EQ(got["requests"], 100);
  EXPECT_EQ(got["failures"], 2);
  EXPECT_EQ(got["median"], 50);  // 50.25 ms rounds to 50
  EXPECT_EQ(got["p90"], 91);  // Locust's percentile: the 10 slowest of 100 go down to 91
  EXPECT_EQ(got["min"], 1.25);
  EXPECT_EQ(got["max"], 100.25);
  EXPECT_EQ(got["bytes"], 1000);
  EXPECT_EQ(got["total_requests"], 100);
  EXPECT_EQ(got["rps_keys"], json::parse("[1700000000]"));
  EXPECT_EQ(got["error"], json::parse(R"(["GET", "/api/coupon [Random]", "HTTP 503", 2])"));
  EXPECT_EQ(got["users"], 2);
}

TEST_F(LocustMessages, MasterMessagesPackedByLocustDecode) {
  const std::vector<std::pair<std::string, MasterMessage::Type>> simple{
      {"stop", MasterMessage::Type::kStop},           {"quit", MasterMessage::Type::kQuit},
      {"heartbeat", MasterMessage::Type::kHeartbeat}, {"reconnect", MasterMessage::Type::kReconnect},
      {"custom_thing", MasterMessage::Type::kOther}};
  std::vector<std::pair<std::string, std::string>> messages{
      {"spawn", R"({"timestamp": 1700000000.25, "user_classes_count": {"Shopper": 3, "Browser": 0},
                    "host": "http://127.0.0.1:8000", "stop_timeout": None,
                    "parsed_options": {"expect_workers": 2, "tags": None}})"},
      {"ack", R"({"index": 2})"},
      {"spawn", "{'timestamp': 1}"},                                        // no user_classes_count
      {"spawn", "{'timestamp': 1, 'user_classes_count': {'A': -1}}"}};  // not a user count
  for (const auto& [name, type] : simple) messages.push_back({name, "None"});
  const std::vector<std::string> bytes = packed_by_locust(messages);
  ASSERT_EQ(bytes.size(), messages.size());

  const MasterMessage m = decode_master_message(bytes[0].data(), bytes[0].size());
  EXPECT_EQ(m.type, MasterMessage::Type::kSpawn);
  EXPECT_EQ(m.node_id, "master_1");
  EXPECT_DOUBLE_EQ(m.spawn.timestamp, 1700000000.25);
  EXPECT_EQ(m.spawn.user_classes_count, (std::map<std::string, int>{{"Browser", 0}, {"Shopper", 3}}));
  EXPECT_EQ(m.spawn.host, "http://127.0.0.1:8000");
  EXPECT_FALSE(m.spawn.stop_timeout.has_value());

  const MasterMessage a = decode_master_message(bytes[1].data(), bytes[1].size());
  EXPECT_EQ(a.type, MasterMessage::Type::kAck);
  EXPECT_EQ(a.ack_index, 2);

  try {
    decode_master_message(bytes[2].data(), bytes[2].size());
    FAIL() << "decoded a spawn without counts";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("user_classes_count"), std::string::npos) << e.what();
  }
  EXPECT_THROW(decode_master_message(bytes[3].data(), bytes[3].size()), ProtocolError);

  for (std::size_t i = 0; i < simple.size(); ++i) {
    const MasterMessage d = decode_master_message(bytes[4 + i].data(), bytes[4 + i].size());
    EXPECT_EQ(d.type, simple[i].second) << simple[i].first;
    EXPECT_EQ(d.type_name, simple[i].first);
  }
}

TEST(LocustMessageBytes, GarbageIsAProtocolError) {
  const std::string garbage = "\xc1\xc1 not msgpack";
  EXPECT_THROW(decode_master_message(garbage.data(), garbage.size()), ProtocolError);
  const std::string empty;
  EXPECT_THROW(decode_master_message(empty.data(), empty.size()), ProtocolError);
}

}  // namespace
}  // namespace stampede::locust
