#include "results/server_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "results/result_folder.h"
#include "sample_run.h"

namespace stampede::results {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("stampede-server-report-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

ServerReport sample_report() {
  ServerReport r;
  r.collected_unix_ms = 1795000000123;
  r.source = "http://127.0.0.1:8000";
  r.strategy = "range";
  r.store = "sqlite";
  r.shard_count = 2;
  r.shards = {{0, true, 700, 1200, 0.5}, {1, false, 300, 800, 0.25}};
  ReshardEstimate e;
  e.strategy = "hash";
  e.from_shards = 2;
  e.to_shards = 3;
  e.rows = 1000;
  e.moved = 667;
  e.how = "user_id mod 2 -> user_id mod 3";
  e.rows_before = {500, 500};
  e.rows_after = {333, 333, 334};
  r.reshard = {e};
  r.documents = {{"/admin/stats", {{"uptime_s", 3.5}}}};
  return r;
}

TEST(ServerReport, RoundTripsThroughTheResultFolder) {
  const fs::path dir = fresh_dir("roundtrip");
  {
    ResultWriter writer(dir);
    RunResult run = testing::make_sample_run();
    writer.write_run_info(run.info);
    writer.finish(run);
  }
  EXPECT_FALSE(read_result_folder(dir).server.has_value()) << "a run made by hand has no server report";

  write_server_report(dir, sample_report());
  const RunResult back = read_result_folder(dir);
  ASSERT_TRUE(back.server.has_value());
  const ServerReport& s = *back.server;
  EXPECT_EQ(s.strategy, "range");
  EXPECT_EQ(s.store, "sqlite");
  EXPECT_EQ(s.shard_count, 2);
  ASSERT_EQ(s.shards.size(), 2u);
  EXPECT_EQ(s.shards[0].result_rows, 700u);
  EXPECT_FALSE(s.shards[1].up);
  EXPECT_DOUBLE_EQ(s.shards[1].query_seconds, 0.25);
  ASSERT_EQ(s.reshard.size(), 1u);
  EXPECT_EQ(s.reshard[0].moved, 667u);
  EXPECT_NEAR(s.reshard[0].moved_share(), 0.667, 1e-9);
  EXPECT_EQ(s.reshard[0].rows_after, (std::vector<std::uint64_t>{333, 333, 334}));
  EXPECT_EQ(s.documents["/admin/stats"]["uptime_s"], 3.5);
  EXPECT_EQ(to_json(s), to_json(sample_report()));
  fs::remove_all(dir);
}

TEST(ServerReport, BadDocumentsNameFileAndPath) {
  json j = to_json(sample_report());
  j["reshard"][0]["moved"] = 5000;  // more than rows
  EXPECT_THROW(server_report_from_json(j), std::runtime_error);
  try {
    server_report_from_json(j);
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/reshard/0/moved"), std::string::npos) << e.what();
  }

  json k = to_json(sample_report());
  k["shards"][1]["up"] = "yes";
  try {
    server_report_from_json(k);
    FAIL() << "accepted a string for a boolean";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/shards/1/up"), std::string::npos) << e.what();
  }

  json newer = to_json(sample_report());
  newer["format_version"] = kFormatVersion + 1;
  EXPECT_THROW(server_report_from_json(newer), std::runtime_error);

  const fs::path dir = fresh_dir("bad");
  fs::create_directories(dir);
  std::ofstream(dir / "server.json") << "{\"format_version\": 1, \"shards\": [{}]}";
  try {
    read_server_report(dir);
    FAIL() << "accepted a shard without its number";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("server.json"), std::string::npos) << what;
    EXPECT_NE(what.find("/shards/0/shard"), std::string::npos) << what;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace stampede::results
