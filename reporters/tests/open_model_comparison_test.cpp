// The comparison report with an open-model run: its own section (dropped arrivals, the
// service time beside the intended-start p99), which latency the endpoints table shows, a
// warning for runs of different models, the JSON fields — and nothing of it when every run
// is closed-model.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "reporters/comparison.h"
#include "reporters/report_table.h"
#include "reporters/tests/lab_runs.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::expect_in_order;
using testing::make_lab_pair;

constexpr const char* kCoupons = "/api/user/:id/coupons [Query Own]";

results::EndpointStats& endpoint(results::RunResult& run, const std::string& name) {
  auto it = std::find_if(run.endpoints.begin(), run.endpoints.end(), [&](const auto& e) { return e.name == name; });
  EXPECT_NE(it, run.endpoints.end()) << name;
  return *it;
}

// hash stays closed-model; range becomes an open-model run at 50/s: every endpoint's service
// time is 2 ms whatever its (intended-start) latency, 7 arrivals of the Hot Room grab were
// dropped and "GET /api/sold-out" only dropped (3, no requests).
std::vector<ComparedRun> open_pair() {
  std::vector<ComparedRun> runs = make_lab_pair();
  results::RunResult& range = runs[1].run;
  results::OpenModelInfo open;
  open.arrival_rate = 50;
  open.max_users = 20;
  open.iterations_started = 1300;
  open.dropped = 10;
  open.max_schedule_lag_ms = 12.5;
  range.info.open_model = open;
  range.aggregated.service = {};
  for (results::EndpointStats& e : range.endpoints) {
    e.service.record(2'000, e.requests);
    range.aggregated.service.merge(e.service);
  }
  endpoint(range, "/api/coupon/grab [Hot Room]").dropped = 7;
  results::EndpointStats sold_out;
  sold_out.method = "GET";
  sold_out.name = "/api/sold-out";
  sold_out.dropped = 3;
  range.endpoints.push_back(sold_out);
  range.aggregated.dropped = 10;
  return runs;
}

const nlohmann::json& cell(const nlohmann::json& doc, const std::string& name, std::size_t run) {
  for (const auto& row : doc["endpoints"])
    if (row["name"] == name) return row["runs"][run];
  ADD_FAILURE() << "no endpoint " << name;
  static const nlohmann::json none;
  return none;
}

TEST(OpenModelComparison, ClosedRunsShowNoneOfIt) {
  const Comparison c = build_comparison(make_lab_pair());
  EXPECT_FALSE(c.any_open_model);
  const std::string console = comparison_console(c);
  for (const char* word : {"Open model", "svc p99", "dropped", "intended start", "load models"})
    EXPECT_EQ(console.find(word), std::string::npos) << word;
  const nlohmann::json doc = comparison_json(c);
  EXPECT_FALSE(doc["runs"][0].contains("dropped"));
  EXPECT_FALSE(doc["runs"][0].contains("open_model"));
  EXPECT_FALSE(cell(doc, kCoupons, 0).contains("service_p99_ms"));
}

TEST(OpenModelComparison, SectionWithDroppedAndServiceTime) {
  const Comparison c = build_comparison(open_pair());
  ASSERT_TRUE(c.any_open_model);
  const std::string console = comparison_console(c);
  expect_in_order(console, {"different load models — hash: closed, range: open", "\nEndpoints\n",
                            "open-model run are its latency from each request's intended start",
                            "\nOpen model: dropped arrivals and service time\n", "max lag ms", "closed, ",
                            "open, 50/s even", "1,310", "1,300", "10", "0.8%", "12.5", "Per endpoint:",
                            "svc p99 ms", "svc p99 ×r", "p99 ms: in an open-model run the latency from each "
                            "request's intended start", "\nShards touched per endpoint\n"});
  std::istringstream in(console);
  for (std::string line; std::getline(in, line);) EXPECT_LE(display_width(line), 120u) << line;
  for (const std::string& text : {comparison_markdown(c), comparison_html(c)}) {
    EXPECT_NE(text.find("Open model: dropped arrivals and service time"), std::string::npos);
    EXPECT_NE(text.find("svc p99 ms"), std::string::npos);
  }
}

TEST(OpenModelComparison, NumbersPerEndpointAndRun) {
  const Comparison c = build_comparison(open_pair());
  const int coupons = find_endpoint(c, "GET", kCoupons);
  ASSERT_GE(coupons, 0);
  const EndpointCell& hash = c.endpoints[static_cast<std::size_t>(coupons)].runs[0];
  const EndpointCell& range = c.endpoints[static_cast<std::size_t>(coupons)].runs[1];
  // The closed-model run's service time is its latency; the open one's its own histogram.
  ASSERT_TRUE(hash.service_p99_ms && range.service_p99_ms);
  EXPECT_DOUBLE_EQ(*hash.service_p99_ms, hash.p99_ms);
  EXPECT_NEAR(*range.service_p99_ms, 2.0, 0.002);
  EXPECT_NEAR(range.p99_ms, 4.0, 0.004) << "p99 stays the (intended-start) latency";
  EXPECT_NEAR(*range.service_p99_ratio, 2.0, 0.004);
  EXPECT_DOUBLE_EQ(*hash.service_p99_ratio, 1.0);
  // The endpoint that only dropped: a row, not present (no requests), its drops counted.
  const int sold_out = find_endpoint(c, "GET", "/api/sold-out");
  ASSERT_GE(sold_out, 0);
  const EndpointCell& dropped_only = c.endpoints[static_cast<std::size_t>(sold_out)].runs[1];
  EXPECT_FALSE(dropped_only.present);
  EXPECT_EQ(dropped_only.dropped, 3u);
  EXPECT_FALSE(dropped_only.service_p99_ms);
  EXPECT_EQ(c.runs[1].dropped, 10u);
  EXPECT_EQ(c.runs[0].dropped, 0u);

  const nlohmann::json doc = comparison_json(c);
  EXPECT_EQ(doc["runs"][0]["open_model"], nullptr);
  EXPECT_EQ(doc["runs"][1]["open_model"]["arrival_rate"], 50.0);
  EXPECT_EQ(doc["runs"][1]["open_model"]["arrivals"], "even");
  EXPECT_EQ(doc["runs"][1]["dropped"], 10);
  EXPECT_EQ(cell(doc, "/api/coupon/grab [Hot Room]", 1)["dropped"], 7);
  EXPECT_EQ(cell(doc, "/api/sold-out", 1)["dropped"], 3);
  EXPECT_EQ(cell(doc, "/api/sold-out", 1)["present"], false);
  EXPECT_EQ(cell(doc, "/api/sold-out", 1)["service_p99_ms"], nullptr);
  EXPECT_NEAR(cell(doc, kCoupons, 1)["service_p99_ms"].get<double>(), 2.0, 0.002);
}

TEST(OpenModelComparison, AnOpenRunWithoutServiceTimeShowsADash) {
  std::vector<ComparedRun> runs = open_pair();
  for (results::EndpointStats& e : runs[1].run.endpoints) e.service = {};
  runs[1].run.aggregated.service = {};
  const Comparison c = build_comparison(std::move(runs));
  const EndpointCell& range = c.endpoints[static_cast<std::size_t>(find_endpoint(c, "GET", kCoupons))].runs[1];
  EXPECT_TRUE(range.present);
  EXPECT_FALSE(range.service_p99_ms) << "its latency is from the intended start: no stand-in";
  EXPECT_FALSE(range.service_p99_ratio);
}

}  // namespace
}  // namespace stampede::reporters
