// A run that follows a scenario's arrival_rate load shape (the open model without a
// constant --arrival-rate), end to end against TestHttpServer on both transports: the run
// stops at the shape's end, never starts more arrivals than the shape has, and run.json
// says it followed a shape. Bounds only: nothing asserts how fast this machine is.
#include <chrono>

#include <gtest/gtest.h>

#include "generator/engine/runner.h"
#include "generator/engine/tests/engine_fixture.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class ArrivalShapeRun : public testing::EngineRun {};

// Ramp 0 -> 40/s over 1 s (20 arrivals), hold 40/s for 1 s (40), pause 0.5 s, 20/s for
// 0.5 s (10): 70 arrivals in 3 s.
constexpr const char* kShapeScenario = R"({"stampede_scenario": 1, "name": "shape-open",
    "load_shape": {"arrival_rate": {"stages": [{"duration": "1s", "target": 40},
                                               {"duration": "1s", "target": 40},
                                               {"duration": "500ms", "rate": 0},
                                               {"duration": "500ms", "rate": 20}]}},
    "user_classes": [{"name": "U", "tasks": [{"request": {"method": "GET", "path": "/shape"}}]}]})";

TEST_P(ArrivalShapeRun, FollowsTheShapeAndStopsAtItsEnd) {
  const scenarios::Scenario s = scenario(kShapeScenario);
  ASSERT_TRUE(s.arrival_shape());
  ASSERT_DOUBLE_EQ(s.arrival_shape()->expected_arrivals(), 70);
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 1, 60s);  // the run time only bounds a run that would not stop
  c.arrival_shape = s.arrival_shape();
  c.arrival_rate = s.arrival_shape()->peak_rate();
  c.max_users = 40;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s) << "the shape's end (3 s) stops the run";

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.stop_reason, "load shape finished");
  EXPECT_TRUE(r.info.load_shape);
  ASSERT_TRUE(r.info.open_model);
  EXPECT_TRUE(r.info.open_model->shape);
  EXPECT_DOUBLE_EQ(r.info.open_model->arrival_rate, 40) << "the shape's highest rate";
  const std::uint64_t arrivals = r.info.open_model->iterations_started + r.info.open_model->dropped;
  EXPECT_LE(arrivals, 70u) << "the schedule ends with the shape";
  // All 70 are due by 2.95 s, before the run stops at 3 s; a worker late by more than that
  // would also be warned about (schedule lag), so leave room for a very busy machine.
  EXPECT_GE(arrivals, 50u);
  EXPECT_EQ(r.aggregated.requests, r.info.open_model->iterations_started) << "one request per iteration";
  EXPECT_EQ(server.total_requests(), r.aggregated.requests);
}

// One arrival in all (1/s for 1 s) over two workers: worker 1's share is empty, it starts
// nothing, and the run still ends at the shape's end.
TEST_P(ArrivalShapeRun, AShortShapeOverSeveralWorkers) {
  const scenarios::Scenario s = scenario(R"({"stampede_scenario": 1, "name": "tiny",
      "load_shape": {"arrival_rate": {"start_rate": 1, "stages": [{"duration": "1s", "rate": 1}]}},
      "user_classes": [{"name": "U", "tasks": [{"request": {"method": "GET", "path": "/one"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 1, 60s);
  c.threads = 2;
  c.arrival_shape = s.arrival_shape();
  c.arrival_rate = s.arrival_shape()->peak_rate();
  c.max_users = 2;
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  EXPECT_EQ(r.info.stop_reason, "load shape finished");
  ASSERT_TRUE(r.info.open_model);
  EXPECT_EQ(r.info.open_model->iterations_started + r.info.open_model->dropped, 1u)
      << "1/s for 1 s: one arrival, at t = 0, on worker 0";
  EXPECT_EQ(server.total_requests(), 1u);
}

STAMPEDE_ON_EVERY_TRANSPORT(ArrivalShapeRun);

}  // namespace
}  // namespace stampede::engine
