// The open model's bookkeeping (docs/open-model.md): a dropped arrival counts for the
// endpoint of its task's first request, per interval and in the totals (an endpoint with
// only drops is a row with 0 requests); run.json's open_model from the totals; the plans
// that split the schedule and --max-users over workers; the end-of-run warning.
#include "generator/engine/open_model_run.h"

#include <sstream>

#include <gtest/gtest.h>

#include "generator/engine/stats_aggregator.h"
#include "scenarios/user_session.h"

namespace stampede::engine {
namespace {

scenarios::Scenario two_tasks() {
  return scenarios::Scenario::parse_text(R"({"stampede_scenario": 1, "name": "t", "user_classes": [
      {"name": "A", "tasks": [
        {"weight": 3, "request": {"method": "GET", "path": "/one"}},
        {"weight": 1, "sequence": [{"method": "POST", "path": "/seq/first"}, {"method": "GET", "path": "/seq/second"}]}]},
      {"name": "B", "tasks": [{"request": {"method": "GET", "path": "/b"}}]}]})",
                                         "t.json");
}

std::uint32_t endpoint_id(const scenarios::Scenario& s, const std::string& name) {
  for (std::uint32_t i = 0; i < s.endpoints().size(); ++i)
    if (s.endpoints()[i].name == name) return i;
  ADD_FAILURE() << name;
  return 0;
}

TEST(TaskChoice, PicksByTaskWeightAndNamesTheFirstRequestsEndpoint) {
  const scenarios::Scenario s = two_tasks();
  const scenarios::UserClass& a = s.user_classes()[0];
  const auto low = scenarios::choose_task(a, 0.1);
  const auto high = scenarios::choose_task(a, 0.9);
  ASSERT_TRUE(low && high);
  EXPECT_EQ(low->task, 0u);
  EXPECT_EQ(low->first_endpoint, endpoint_id(s, "/one"));
  EXPECT_EQ(high->task, 1u);
  EXPECT_EQ(high->first_endpoint, endpoint_id(s, "/seq/first")) << "a sequence's first step";
  int first = 0;
  for (int k = 0; k < 400; ++k) first += scenarios::choose_task(a, (k + 0.5) / 400)->task == 0 ? 1 : 0;
  EXPECT_EQ(first, 300) << "weights 3:1";

  // The session runs the chosen task from its first step.
  scenarios::UserSession session(a, scenarios::Rng(1));
  scenarios::RenderedRequest r;
  session.render(session.start_task(1), r);
  EXPECT_EQ(r.endpoint_id, endpoint_id(s, "/seq/first"));
  EXPECT_FALSE(session.task_finished());
  session.render(session.next(), r);
  EXPECT_EQ(r.endpoint_id, endpoint_id(s, "/seq/second"));
  EXPECT_TRUE(session.task_finished());
}

TEST(DroppedArrivals, CountPerEndpointPerIntervalAndInTheTotals) {
  const scenarios::Scenario s = two_tasks();
  const std::uint32_t one = endpoint_id(s, "/one"), first = endpoint_id(s, "/seq/first");
  StatsAggregator agg(s.endpoints());
  StatsRecorder w0(s.endpoints().size()), w1(s.endpoints().size());
  w0.record(one, 1000, 10, false);
  w0.record_arrival(0, false, 0, one);
  w0.record_arrival(20'000, true, 0, one);
  w1.record_arrival(0, true, 0, first);
  w1.record_arrival(0, true, 0, first);
  std::vector<Interval> intervals;
  intervals.push_back(w0.take());
  intervals.push_back(w1.take());
  const results::HistoryPoint p = agg.add(std::move(intervals), 1.0, 1.0, 0, 2);
  ASSERT_EQ(p.endpoints.size(), 2u) << "an endpoint with only drops is in the history";
  EXPECT_EQ(p.total().dropped, 3u);
  EXPECT_EQ(p.total().requests, 1u);

  results::RunResult r;
  agg.fill(r);
  ASSERT_EQ(r.endpoints.size(), 2u);
  EXPECT_EQ(r.endpoints[0].name, "/one");
  EXPECT_EQ(r.endpoints[0].dropped, 1u);
  EXPECT_EQ(r.endpoints[1].name, "/seq/first");
  EXPECT_EQ(r.endpoints[1].requests, 0u);
  EXPECT_EQ(r.endpoints[1].dropped, 2u);
  EXPECT_EQ(r.aggregated.dropped, 3u);
  EXPECT_EQ(r.aggregated.requests, 1u);

  RunConfig config;
  config.arrival_rate = 40;
  config.max_users = 2;
  const results::OpenModelInfo o = open_model_info(config, s.user_classes(), agg.open_totals());
  EXPECT_EQ(o.arrival_rate, 40.0);
  EXPECT_EQ(o.max_users, 2);
  EXPECT_EQ(o.iterations_started, 1u);
  EXPECT_EQ(o.dropped, 3u);
  EXPECT_EQ(o.dropped_by_class, (std::map<std::string, std::uint64_t>{{"A", 3}}));
  EXPECT_EQ(o.late_arrivals, 1u);
  EXPECT_DOUBLE_EQ(o.max_schedule_lag_ms, 20.0);
}

TEST(ArrivalPlans, SplitTheScheduleAndTheUsersOverTheWorkers) {
  RunConfig config;
  config.arrival_rate = 90;
  config.max_users = 7;
  const auto plans = arrival_plans(config, 3, {});
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].max_users + plans[1].max_users + plans[2].max_users, 7);
  EXPECT_EQ(plans[0].max_users, 3);
  for (int w = 0; w < 3; ++w) {
    EXPECT_EQ(plans[static_cast<std::size_t>(w)].index, w);
    EXPECT_EQ(plans[static_cast<std::size_t>(w)].workers, 3);
  }
  config.max_users = 2;
  EXPECT_EQ(arrival_plans(config, 4, {}).size(), 2u) << "each worker taking arrivals needs a user";
}

TEST(OpenModelReport, WarnsWhenLateAndNotesDrops) {
  RunConfig config;
  config.arrival_rate = 1000;
  config.max_users = 5;
  OpenModelInterval o;
  o.arrivals = 100;
  std::ostringstream quiet_run;
  report_open_model(config, o, quiet_run);
  EXPECT_EQ(quiet_run.str(), "");
  o.dropped = 4;
  o.late_arrivals = 7;
  o.lag_max_us = 35'000;
  std::ostringstream err;
  report_open_model(config, o, err);
  EXPECT_NE(err.str().find("note: 4 of 100 arrivals dropped: no free user under --max-users 5"), std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("warning: the generator fell behind its own arrival schedule: 7 arrivals were started more "
                           "than 10 ms late (at most 35 ms)"),
            std::string::npos)
      << err.str();
}

}  // namespace
}  // namespace stampede::engine
