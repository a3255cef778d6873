// The open model in the result folder (docs/open-model.md): run.json's typed `open_model`
// and the dropped arrivals of stats.json's and history.jsonl's endpoint rows. Both are
// optional members of format 2: written and read back, validated naming their JSON path,
// absent (read as not recorded / 0) in closed-model runs and older folders.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "results/result_folder.h"
#include "sample_run.h"

namespace stampede::results {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixtures = fs::path(STAMPEDE_SOURCE_DIR) / "results/tests/fixtures";

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string error_reading_run_info(const json& j) {
  return error_of([&] { run_info_from_json(j); });
}

TEST(OpenModelInfo, RoundTripsThroughRunJson) {
  const RunInfo info = testing::make_open_run().info;
  ASSERT_TRUE(info.open_model.has_value());
  const json j = to_json(info);
  EXPECT_EQ(j.at("open_model").at("arrivals"), "poisson");
  EXPECT_EQ(j.at("open_model").at("dropped_by_class").at("Shopper"), info.open_model->dropped);
  const RunInfo back = run_info_from_json(j);
  EXPECT_EQ(back.open_model, info.open_model);
}

TEST(OpenModelInfo, AbsentInClosedModelRunsAndOlderFolders) {
  EXPECT_FALSE(to_json(testing::make_sample_run().info).contains("open_model"));
  for (const char* folder : {"sample-run", "lab-run", "sample-run-v1", "lab-run-v1", "live-run"}) {
    SCOPED_TRACE(folder);
    const RunResult run = read_result_folder(kFixtures / folder);
    EXPECT_FALSE(run.info.open_model.has_value());
    EXPECT_EQ(run.aggregated.dropped, 0u);
    for (const EndpointStats& e : run.endpoints) EXPECT_EQ(e.dropped, 0u) << e.name;
    for (const HistoryPoint& p : run.history)
      for (const IntervalEndpoint& e : p.endpoints) EXPECT_EQ(e.dropped, 0u) << e.name;
  }
}

TEST(OpenModelInfo, OnlyTheRateIsRequiredTheRestDefaults) {
  json j = to_json(testing::make_sample_run().info);
  j["open_model"] = {{"arrival_rate", 2000.0}};
  const RunInfo info = run_info_from_json(j);
  ASSERT_TRUE(info.open_model.has_value());
  OpenModelInfo expected;
  expected.arrival_rate = 2000.0;
  EXPECT_EQ(*info.open_model, expected);
  EXPECT_EQ(info.open_model->arrivals, Arrivals::kEven);
}

TEST(OpenModelInfo, BadMembersAreErrorsNamingTheirPath) {
  const json good = to_json(testing::make_open_run().info);
  struct Case {
    const char* key;
    json value;
    const char* message;
  };
  const Case cases[] = {
      {"arrival_rate", "fast", "/open_model/arrival_rate: expected a number, found string"},
      {"arrival_rate", 0, "/open_model/arrival_rate: must be positive"},
      {"arrivals", "bursty", "/open_model/arrivals: expected even or poisson, found \"bursty\""},
      {"arrivals", 1, "/open_model/arrivals: expected a string, found number"},
      {"max_users", -1, "/open_model/max_users: must be non-negative"},
      {"shape", "no", "/open_model/shape: expected true or false, found string"},
      {"iterations_started", 1.5, "/open_model/iterations_started: expected a non-negative integer, found a fractional number"},
      {"dropped", -3, "/open_model/dropped: expected a non-negative integer, found a negative integer"},
      {"dropped_by_class", json::array(), "/open_model/dropped_by_class: expected an object, found array"},
      {"dropped_by_class", {{"Shopper", "many"}}, "/open_model/dropped_by_class/Shopper: expected a non-negative integer, found string"},
      {"late_arrivals", "3", "/open_model/late_arrivals: expected a non-negative integer, found string"},
      {"max_schedule_lag_ms", -1.0, "/open_model/max_schedule_lag_ms: must be non-negative"},
      {"total_schedule_lag_ms", true, "/open_model/total_schedule_lag_ms: expected a number, found boolean"},
  };
  for (const Case& c : cases) {
    json j = good;
    j["open_model"][c.key] = c.value;
    const std::string err = error_reading_run_info(j);
    EXPECT_NE(err.find(c.message), std::string::npos) << c.key << ": " << err;
  }
  json j = good;
  j["open_model"].erase("arrival_rate");
  EXPECT_NE(error_reading_run_info(j).find("/open_model/arrival_rate: required member is missing"), std::string::npos);
  j["open_model"] = "open";
  EXPECT_NE(error_reading_run_info(j).find("/open_model: expected an object, found string"), std::string::npos);
}

TEST(DroppedArrivals, RoundTripInStatsAndHistoryRows) {
  const RunResult run = testing::make_open_run();
  const EndpointStats& slow = run.endpoints.back();
  ASSERT_EQ(slow.name, "/api/slow");
  const json j = to_json(slow);
  EXPECT_EQ(j.at("requests"), 0);
  EXPECT_EQ(j.at("dropped"), 6);
  EXPECT_EQ(endpoint_from_json(j).dropped, 6u);

  const HistoryPoint& p = run.history.at(4);  // second 5: cart drops 2, slow drops 2
  const json line = to_json(p);
  EXPECT_EQ(line.at("total").at("dropped"), 4);
  const HistoryPoint back = history_point_from_json(line);
  ASSERT_EQ(back.endpoints.size(), p.endpoints.size());
  for (std::size_t i = 0; i < p.endpoints.size(); ++i) EXPECT_EQ(back.endpoints[i].dropped, p.endpoints[i].dropped);
  EXPECT_EQ(back.total().dropped, 4u);
}

TEST(DroppedArrivals, AbsentWhenZero) {
  const json j = to_json(testing::make_sample_run().endpoints.at(0));
  EXPECT_FALSE(j.contains("dropped"));
  EXPECT_EQ(endpoint_from_json(j).dropped, 0u);
}

TEST(DroppedArrivals, BadTypesAreErrorsNamingTheirPath) {
  const RunResult run = testing::make_open_run();
  json e = to_json(run.endpoints.at(0));
  e["dropped"] = "some";
  std::string err = error_of([&] { endpoint_from_json(e); });
  EXPECT_NE(err.find("/dropped: expected a non-negative integer, found string"), std::string::npos) << err;
  json line = to_json(run.history.at(2));
  line["endpoints"][1]["dropped"] = -1;
  err = error_of([&] { history_point_from_json(line); });
  EXPECT_NE(err.find("/endpoints/1/dropped: expected a non-negative integer, found a negative integer"),
            std::string::npos)
      << err;
}

class OpenRunFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stampede-open-run-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(OpenRunFolder, MalformedDroppedInStatsJsonNamesFileAndPath) {
  testing::write_result_folder(root_ / "run", testing::make_open_run());
  std::ifstream in(root_ / "run/stats.json");
  json stats = json::parse(in);
  in.close();
  stats["aggregated"]["dropped"] = 2.5;
  std::ofstream(root_ / "run/stats.json", std::ios::trunc) << stats.dump();
  const std::string err = error_of([&] { read_result_folder(root_ / "run"); });
  EXPECT_NE(err.find("stats.json: /aggregated/dropped: expected a non-negative integer, found a fractional number"),
            std::string::npos)
      << err;
}

// A live run (no stats.json) sums the dropped arrivals of its history, per endpoint and in
// the aggregate, like every other count; an endpoint that only dropped is a row too.
TEST_F(OpenRunFolder, ALiveRunSumsDroppedFromItsHistory) {
  const RunResult run = testing::make_open_run();
  {
    ResultWriter writer(root_ / "live");
    testing::start_result_folder(writer, run);
    for (const HistoryPoint& p : run.history) writer.append_history(p);
  }
  const RunResult live = read_result_folder(root_ / "live");
  ASSERT_EQ(live.endpoints.size(), run.endpoints.size());
  for (std::size_t i = 0; i < run.endpoints.size(); ++i) {
    EXPECT_EQ(live.endpoints[i].name, run.endpoints[i].name);
    EXPECT_EQ(live.endpoints[i].dropped, run.endpoints[i].dropped) << run.endpoints[i].name;
  }
  EXPECT_EQ(live.aggregated.dropped, run.aggregated.dropped);
  EXPECT_GT(live.aggregated.dropped, 0u);
  ASSERT_TRUE(live.info.open_model.has_value());
  EXPECT_EQ(live.info.open_model->arrival_rate, 50.0);
}

// open-run/ is make_open_run() as a folder: other folders' tests (gate, reporters, GUI) read
// it, and results_schema checks it against the schema. Regenerate with
// STAMPEDE_REGENERATE_FIXTURES=1 after an intended format change.
TEST(ResultFixtures, OpenRunMatchesGenerator) {
  const fs::path open = kFixtures / "open-run";
  if (std::getenv("STAMPEDE_REGENERATE_FIXTURES") != nullptr) {
    fs::remove_all(open);
    testing::write_result_folder(open, testing::make_open_run());
  }
  testing::expect_same_result(read_result_folder(open), testing::make_open_run());
}

}  // namespace
}  // namespace stampede::results
