// The open model's service histogram (docs/open-model.md): an optional member of format 2,
// written only when recorded, read back, and absent (read as empty) in closed-model rows
// and older folders.
#include <gtest/gtest.h>

#include "results/result_folder.h"
#include "sample_run.h"

namespace stampede::results {
namespace {

TEST(ServiceHistogram, RoundTripsInStatsAndHistory) {
  RunResult sample = testing::make_sample_run();
  EndpointStats e = sample.endpoints.at(0);
  e.service.record(1'000);
  e.service.record(2'000);
  const nlohmann::json j = to_json(e);
  ASSERT_TRUE(j.contains("service_hist"));
  EXPECT_EQ(j.at("service").at("count"), 2);
  EXPECT_EQ(endpoint_from_json(j).service, e.service);

  HistoryPoint p = sample.history.at(4);
  p.endpoints[1].service.record(5'000);
  const HistoryPoint back = history_point_from_json(to_json(p));
  EXPECT_EQ(back.endpoints[1].service, p.endpoints[1].service);
  EXPECT_EQ(back.total().service.count(), 1u);
}

TEST(ServiceHistogram, AbsentInTheClosedModelAndReadAsEmpty) {
  const RunResult sample = testing::make_sample_run();
  const nlohmann::json j = to_json(sample.endpoints.at(0));
  EXPECT_FALSE(j.contains("service_hist"));
  EXPECT_FALSE(j.contains("service"));
  EXPECT_TRUE(endpoint_from_json(j).service.empty());
}

}  // namespace
}  // namespace stampede::results
