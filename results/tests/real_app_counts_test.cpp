// Scenarios for real applications in the result folder: the requests and tasks a `when`
// skipped, and the Set-Cookie headers the user's cookie jar ignored (invalid_cookies), per
// endpoint in stats.json and per interval in history.jsonl. Optional members of format 2:
// written when not 0, read back, read as 0 when absent, validated naming their JSON path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
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

const EndpointStats& row(const RunResult& run, const std::string& name) {
  for (const EndpointStats& e : run.endpoints)
    if (e.name == name) return e;
  throw std::runtime_error("no row " + name);
}

TEST(SkippedAndInvalidCookies, RoundTripInStatsRows) {
  const RunResult run = testing::make_real_app_run();
  const EndpointStats& logout = row(run, "/logout");
  const json j = to_json(logout);
  EXPECT_EQ(j.at("requests"), 0);
  EXPECT_EQ(j.at("skipped"), 3);
  EXPECT_FALSE(j.contains("invalid_cookies"));
  EXPECT_EQ(endpoint_from_json(j).skipped, 3u);

  const json items = to_json(row(run, "/api/items/[id]"));
  EXPECT_EQ(items.at("invalid_cookies"), 6);  // seconds 1..3, two each
  EXPECT_EQ(endpoint_from_json(items).invalid_cookies, 6u);
  const json agg = to_json(run.aggregated);
  EXPECT_EQ(agg.at("skipped"), 5 + 3);  // the cart's odd seconds of 1..10, the logout's three
  EXPECT_EQ(agg.at("invalid_cookies"), 6);
}

TEST(SkippedAndInvalidCookies, HistorySlicesCarryThemAndTheTotalSumsThem) {
  const RunResult run = testing::make_real_app_run();
  const HistoryPoint& p = run.history.at(2);  // second 3: cart skipped 1, logout 1, items 2 cookies
  const json line = to_json(p);
  EXPECT_EQ(line.at("total").at("skipped"), 2);
  EXPECT_EQ(line.at("total").at("invalid_cookies"), 2);
  const HistoryPoint back = history_point_from_json(line);
  ASSERT_EQ(back.endpoints.size(), p.endpoints.size());
  for (std::size_t i = 0; i < p.endpoints.size(); ++i) {
    EXPECT_EQ(back.endpoints[i].skipped, p.endpoints[i].skipped) << p.endpoints[i].name;
    EXPECT_EQ(back.endpoints[i].invalid_cookies, p.endpoints[i].invalid_cookies) << p.endpoints[i].name;
  }
  EXPECT_EQ(back.total().skipped, 2u);
  EXPECT_EQ(back.total().invalid_cookies, 2u);
}

TEST(SkippedAndInvalidCookies, AbsentWhenZeroAndInOlderFolders) {
  const json j = to_json(testing::make_sample_run().endpoints.at(0));
  EXPECT_FALSE(j.contains("skipped"));
  EXPECT_FALSE(j.contains("invalid_cookies"));
  const EndpointStats e = endpoint_from_json(j);
  EXPECT_EQ(e.skipped, 0u);
  EXPECT_EQ(e.invalid_cookies, 0u);
}

TEST(SkippedAndInvalidCookies, BadTypesAreErrorsNamingTheirPath) {
  const RunResult run = testing::make_real_app_run();
  json e = to_json(run.endpoints.at(0));
  e["skipped"] = "some";
  std::string err = error_of([&] { endpoint_from_json(e); });
  EXPECT_NE(err.find("/skipped: expected a non-negative integer, found string"), std::string::npos) << err;
  json line = to_json(run.history.at(2));
  line["endpoints"][1]["invalid_cookies"] = -1;
  err = error_of([&] { history_point_from_json(line); });
  EXPECT_NE(err.find("/endpoints/1/invalid_cookies: expected a non-negative integer, found a negative integer"),
            std::string::npos)
      << err;
}

class RealAppRunFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stampede-real-app-run-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

// A live run (no stats.json) sums them from its history, per endpoint and in the aggregate;
// an endpoint that was only skipped is a row too.
TEST_F(RealAppRunFolder, ALiveRunSumsThemFromItsHistory) {
  const RunResult run = testing::make_real_app_run();
  {
    ResultWriter writer(root_ / "live");
    testing::start_result_folder(writer, run);
    for (const HistoryPoint& p : run.history) writer.append_history(p);
  }
  const RunResult live = read_result_folder(root_ / "live");
  ASSERT_EQ(live.endpoints.size(), run.endpoints.size());
  for (std::size_t i = 0; i < run.endpoints.size(); ++i) {
    EXPECT_EQ(live.endpoints[i].name, run.endpoints[i].name);
    EXPECT_EQ(live.endpoints[i].skipped, run.endpoints[i].skipped) << run.endpoints[i].name;
    EXPECT_EQ(live.endpoints[i].invalid_cookies, run.endpoints[i].invalid_cookies) << run.endpoints[i].name;
  }
  EXPECT_EQ(live.aggregated.skipped, 8u);
  EXPECT_EQ(live.aggregated.invalid_cookies, 6u);
}

// real-app-run/ is make_real_app_run() as a folder: other folders' tests (gate, reporters,
// GUI) read it, and results_schema checks it against the schema. Regenerate with
// STAMPEDE_REGENERATE_FIXTURES=1 after an intended format change.
TEST(ResultFixtures, RealAppRunMatchesGenerator) {
  const fs::path folder = kFixtures / "real-app-run";
  if (std::getenv("STAMPEDE_REGENERATE_FIXTURES") != nullptr) {
    fs::remove_all(folder);
    testing::write_result_folder(folder, testing::make_real_app_run());
  }
  testing::expect_same_result(read_result_folder(folder), testing::make_real_app_run());
}

}  // namespace
}  // namespace stampede::results
