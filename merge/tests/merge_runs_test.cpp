#include "merge/merge_runs.h"

#include <gtest/gtest.h>

#include "merge/tests/merge_test_runs.h"

namespace stampede::merge {
namespace {

using testing::make_run;

struct TwoRuns {
  results::Histogram all, all_a;
  std::vector<MergePart> parts;
};

TwoRuns two_runs() {
  TwoRuns t;
  std::mt19937_64 rng(42);
  t.parts.push_back({"runs/w1", make_run("coupon", "w1", 1'700'000'000'000, 5, 40, rng, t.all, t.all_a)});
  // The second worker started 2.3 s later and ran longer.
  t.parts.push_back({"runs/w2", make_run("coupon", "w2", 1'700'000'002'300, 7, 30, rng, t.all, t.all_a)});
  return t;
}

TEST(MergeRuns, HistogramsEqualOneHistogramOfAllSamples) {
  TwoRuns t = two_runs();
  const results::RunResult merged = merge_runs(t.parts, "", {"stampede", "merge"});
  EXPECT_EQ(merged.aggregated.latency, t.all);
  EXPECT_EQ(merged.aggregated.latency.value_at_percentile(99), t.all.value_at_percentile(99));
  ASSERT_EQ(merged.endpoints.size(), 2u);
  EXPECT_EQ(merged.endpoints[0].name, "/a");
  EXPECT_EQ(merged.endpoints[0].latency, t.all_a);
  EXPECT_EQ(merged.endpoints[0].requests, 5u * 40 + 7u * 30);
  EXPECT_EQ(merged.aggregated.requests, t.all.count());
  EXPECT_EQ(merged.endpoints[1].failures, t.parts[0].run.endpoints[1].failures + t.parts[1].run.endpoints[1].failures);
}

TEST(MergeRuns, ShardsAndFailuresMergedByKey) {
  TwoRuns t = two_runs();
  const results::RunResult merged = merge_runs(t.parts, "", {});
  ASSERT_EQ(merged.shards.size(), 2u);
  for (int k = 0; k < 2; ++k) {
    results::Histogram expected = t.parts[0].run.shards[k].shard_time;
    expected.merge(t.parts[1].run.shards[k].shard_time);
    EXPECT_EQ(merged.shards[k].shard, k);
    EXPECT_EQ(merged.shards[k].shard_time, expected);
    EXPECT_EQ(merged.shards[k].count, t.parts[0].run.shards[k].count + t.parts[1].run.shards[k].count);
  }
  ASSERT_EQ(merged.failures.size(), 1u);
  EXPECT_EQ(merged.failures[0].error, "HTTP 503");
  EXPECT_EQ(merged.failures[0].occurrences, merged.aggregated.failures);
}

TEST(MergeRuns, TimesMovedOntoTheEarliestStart) {
  TwoRuns t = two_runs();
  const results::RunResult merged = merge_runs(t.parts, "big", {"stampede", "merge"});
  EXPECT_EQ(merged.info.started_unix_ms, 1'700'000'000'000);
  EXPECT_EQ(merged.info.ended_unix_ms, 1'700'000'002'300 + 7'000);
  EXPECT_DOUBLE_EQ(merged.info.duration_s, 9.3);
  EXPECT_DOUBLE_EQ(merged.aggregated.first_request_s, 0.5);
  EXPECT_DOUBLE_EQ(merged.aggregated.last_request_s, 2.3 + 7 - 0.25);
  EXPECT_EQ(merged.info.label, "big");
  EXPECT_EQ(merged.info.users, 20);
  EXPECT_EQ(merged.info.threads, 4);
  EXPECT_EQ(merged.info.hostname, "host-w1,host-w2");
  EXPECT_FALSE(merged.info.pid.has_value());
}

TEST(MergeRuns, RunJsonRecordsTheParts) {
  TwoRuns t = two_runs();
  t.parts[1].run.info.status = "interrupted";
  const results::RunResult merged = merge_runs(t.parts, "", {});
  EXPECT_EQ(merged.info.label, "w1+w2");
  EXPECT_EQ(merged.info.status, "interrupted");
  const nlohmann::json& from = merged.info.extra.at("merged_from");
  ASSERT_EQ(from.size(), 2u);
  EXPECT_EQ(from[0]["folder"], "runs/w1");
  EXPECT_EQ(from[1]["label"], "w2");
  EXPECT_EQ(from[1]["status"], "interrupted");
  EXPECT_EQ(from[0]["requests"].get<std::uint64_t>() + from[1]["requests"].get<std::uint64_t>(),
            merged.aggregated.requests);
}

TEST(MergeRuns, ExchangeFiguresAndSingleShardServiceMerge) {
  TwoRuns t = two_runs();
  results::ExchangeStats expected;
  for (std::size_t i = 0; i < 2; ++i) {
    results::ExchangeStats x;
    x.new_connections = 3 + i;
    x.connect.record(100 + i);
    x.ttfb.record(2000 * (i + 1));
    x.cache_hits = 5;
    x.cache_misses = i;
    x.servers[static_cast<int>(i)] = 7;
    t.parts[i].run.endpoints[0].exchange = x;
    t.parts[i].run.aggregated.exchange = x;
    t.parts[i].run.history[0].endpoints[0].exchange = x;
    t.parts[i].run.shards[0].single_shard_service.record(300 * (i + 1));
    expected.merge(x);
  }
  const results::RunResult merged = merge_runs(t.parts, "", {});
  EXPECT_EQ(merged.endpoints[0].exchange, expected);
  EXPECT_EQ(merged.aggregated.exchange, expected);
  EXPECT_EQ(merged.aggregated.exchange.new_connections, 7u);
  EXPECT_EQ(merged.aggregated.exchange.servers.size(), 2u);
  EXPECT_EQ(merged.shards[0].single_shard_service.count(), 2u);
  results::ExchangeStats in_history;
  for (const auto& p : merged.history)
    for (const auto& e : p.endpoints) in_history.merge(e.exchange);
  EXPECT_EQ(in_history, expected);
}

TEST(MergeRuns, OpenModelRatesAdd) {
  TwoRuns t = two_runs();
  for (auto& p : t.parts) {
    p.run.info.open_model = results::OpenModelInfo{};
    p.run.info.open_model->arrival_rate = 50;
    p.run.info.open_model->dropped = 3;
    p.run.info.open_model->dropped_by_class["Shopper"] = 3;
    p.run.info.open_model->max_schedule_lag_ms = p.folder == "runs/w1" ? 4 : 9;
  }
  const results::RunResult merged = merge_runs(t.parts, "", {});
  ASSERT_TRUE(merged.info.open_model.has_value());
  EXPECT_DOUBLE_EQ(merged.info.open_model->arrival_rate, 100);
  EXPECT_EQ(merged.info.open_model->dropped, 6u);
  EXPECT_EQ(merged.info.open_model->dropped_by_class.at("Shopper"), 6u);
  EXPECT_DOUBLE_EQ(merged.info.open_model->max_schedule_lag_ms, 9);
  t.parts[1].run.info.open_model.reset();
  EXPECT_FALSE(merge_runs(t.parts, "", {}).info.open_model.has_value());
}

TEST(MergeRuns, RefusesDifferentScenariosNamingBoth) {
  TwoRuns t = two_runs();
  t.parts[1].run.scenario["name"] = "other";
  t.parts[1].run.info.scenario_name = "other";
  try {
    merge_runs(t.parts, "", {});
    FAIL() << "merged runs of different scenarios";
  } catch (const MergeError& e) {
    EXPECT_EQ(e.kind(), MergeError::Kind::kDifferentScenarios);
    EXPECT_NE(std::string(e.what()).find("runs/w2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("runs/w1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'other' is not 'coupon'"), std::string::npos) << e.what();
  }
}

TEST(MergeRuns, RefusesSameNamedScenarioWithOtherContent) {
  TwoRuns t = two_runs();
  t.parts[1].run.scenario["user_classes"][0]["weight"] = 3;
  try {
    check_mergeable(t.parts);
    FAIL() << "merged runs of different scenarios";
  } catch (const MergeError& e) {
    EXPECT_EQ(e.kind(), MergeError::Kind::kDifferentScenarios);
    EXPECT_NE(std::string(e.what()).find("scenario.json differs"), std::string::npos) << e.what();
  }
}

TEST(MergeRuns, RefusesOverlappingLabels) {
  TwoRuns t = two_runs();
  t.parts[1].run.info.label = "w1";
  try {
    check_mergeable(t.parts);
    FAIL() << "merged two runs labelled w1";
  } catch (const MergeError& e) {
    EXPECT_EQ(e.kind(), MergeError::Kind::kOverlappingLabels);
    EXPECT_NE(std::string(e.what()).find("both labelled 'w1'"), std::string::npos) << e.what();
  }
}

TEST(MergeRuns, RefusesFewerThanTwoRuns) {
  TwoRuns t = two_runs();
  t.parts.pop_back();
  try {
    merge_runs(t.parts, "", {});
    FAIL() << "merged one run";
  } catch (const MergeError& e) {
    EXPECT_EQ(e.kind(), MergeError::Kind::kTooFewRuns);
  }
}

}  // namespace
}  // namespace stampede::merge
