// HTTP 429 answers as their own outcome (results/README.md, "rate limited"): rate_limited
// per endpoint and per history interval, beside failures and not among them; written only
// when not 0, read as 0 when absent (older folders), refused with its path when it
// exceeds requests - failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
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

EndpointStats limited_row() {
  EndpointStats e;
  e.method = "POST";
  e.name = "/api/grab";
  e.requests = 100;
  e.failures = 5;
  e.rate_limited = 40;
  e.latency.record(1'000);
  return e;
}

TEST(RateLimited, StatsRowCarriesCountAndRatioApartFromFailures) {
  const json j = to_json(limited_row());
  EXPECT_EQ(j.at("rate_limited"), 40);
  EXPECT_DOUBLE_EQ(j.at("rate_limited_ratio").get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(j.at("fail_ratio").get<double>(), 0.05);  // 429s are not failures
  EXPECT_EQ(endpoint_from_json(j).rate_limited, 40u);
}

TEST(RateLimited, AbsentWhenZeroAndReadAsZero) {
  EndpointStats e = limited_row();
  e.rate_limited = 0;
  const json j = to_json(e);
  EXPECT_FALSE(j.contains("rate_limited"));
  EXPECT_FALSE(j.contains("rate_limited_ratio"));
  EXPECT_EQ(endpoint_from_json(j).rate_limited, 0u);
  const RunResult v1 = read_result_folder(kFixtures / "sample-run-v1");
  EXPECT_EQ(v1.aggregated.rate_limited, 0u);
}

TEST(RateLimited, MoreThanRequestsMinusFailuresIsRefusedWithItsPath) {
  json j = to_json(limited_row());
  j["rate_limited"] = 96;  // 100 requests, 5 failures: at most 95
  const std::string err = error_of([&] { endpoint_from_json(j); });
  EXPECT_NE(err.find("/rate_limited: 96 rate-limited answers but requests - failures is 95"), std::string::npos) << err;
  j["rate_limited"] = 95;
  EXPECT_EQ(endpoint_from_json(j).rate_limited, 95u);
  j["rate_limited"] = "many";
  EXPECT_NE(error_of([&] { endpoint_from_json(j); }).find("/rate_limited: expected a non-negative integer"),
            std::string::npos);
}

TEST(RateLimited, HistorySliceCarriesItAndTotalSumsIt) {
  HistoryPoint p;
  p.elapsed_s = 3;
  IntervalEndpoint a;
  a.method = "GET";
  a.name = "/a";
  a.requests = 10;
  a.rate_limited = 4;
  IntervalEndpoint b = a;
  b.name = "/b";
  b.rate_limited = 0;
  p.endpoints = {a, b};
  EXPECT_EQ(p.total().rate_limited, 4u);
  const json line = to_json(p);
  EXPECT_EQ(line.at("endpoints").at(0).at("rate_limited"), 4);
  EXPECT_FALSE(line.at("endpoints").at(1).contains("rate_limited"));
  EXPECT_EQ(history_point_from_json(line).endpoints.at(0).rate_limited, 4u);
}

class RateLimitedFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("stampede-rate-limited-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(RateLimitedFolder, ALiveRunSumsItFromItsHistory) {
  const RunResult run = testing::make_rate_limited_run();
  ASSERT_GT(run.aggregated.rate_limited, 0u);
  {
    ResultWriter writer(root_ / "live");
    testing::start_result_folder(writer, run);
    for (const HistoryPoint& p : run.history) writer.append_history(p);
  }
  const RunResult live = read_result_folder(root_ / "live");
  EXPECT_EQ(live.aggregated.rate_limited, run.aggregated.rate_limited);
  EXPECT_EQ(live.aggregated.failures, run.aggregated.failures);
}

TEST(ResultFixtures, RateLimitedRunMatchesGenerator) {
  const fs::path dir = kFixtures / "rate-limited-run";
  if (std::getenv("STAMPEDE_REGENERATE_FIXTURES") != nullptr) {
    fs::remove_all(dir);
    testing::write_result_folder(dir, testing::make_rate_limited_run());
  }
  testing::expect_same_result(read_result_folder(dir), testing::make_rate_limited_run());
}

}  // namespace
}  // namespace stampede::results
