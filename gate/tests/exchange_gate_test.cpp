// How the requests travelled, in the gate: connect.*, tls.*, ttfb.* judge the connections'
// TCP connect and TLS handshake and the time to first byte, cache_hit_ratio the
// Server-Timing cache entries (results::ExchangeStats) — parsed, validated (clear errors,
// never per shard), and evaluated over the whole run, per endpoint, over windows and after
// a warm-up, on a result folder written and read back; a run without the figures is NO DATA.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "gate/evaluate.h"
#include "gate/regression.h"
#include "gate/report.h"
#include "results/result_folder.h"

namespace stampede::gate {
namespace {

results::Histogram constant(std::uint64_t us, std::uint64_t n) {
  results::Histogram h;
  h.record(us, n);
  return h;
}

// 10 one-second intervals of an https run, two endpoints, 10 requests each per second.
//   GET /items: 4 connections opened in each of seconds 1-2 (connect 1 ms, TLS 8 ms) and 2
//               in second 6 (connect 40 ms, TLS 30 ms: a reconnect storm); time to first
//               byte 4 ms, 50 ms in seconds 6-7; Server-Timing cache: all 10 misses in
//               seconds 1-2, then 8 hits and 2 misses a second.
//   POST /cart: 2 connections in second 1 (connect 2 ms, TLS 10 ms, one resumed); time to
//               first byte 25 ms; no cache entries.
results::RunResult exchange_run() {
  results::RunResult r;
  r.info.status = "complete";
  r.info.label = "exchange";
  r.info.scenario_name = "shop";
  r.info.target_host = "https://127.0.0.1:8443";
  r.info.duration_s = 10;
  r.info.started_unix_ms = 1795000000000;
  r.info.ended_unix_ms = 1795000010000;
  for (int s = 1; s <= 10; ++s) {
    results::HistoryPoint p;
    p.elapsed_s = s;
    p.interval_s = 1;
    p.unix_ms = r.info.started_unix_ms + s * 1000;
    results::IntervalEndpoint items;
    items.method = "GET";
    items.name = "/items";
    items.requests = 10;
    items.latency = constant(s == 6 || s == 7 ? 60'000 : 6'000, 10);
    const std::uint64_t opened = s <= 2 ? 4 : s == 6 ? 2 : 0;
    items.exchange.new_connections = opened;
    items.exchange.tls_handshakes = opened;
    if (opened > 0) {
      items.exchange.connect = constant(s == 6 ? 40'000 : 1'000, opened);
      items.exchange.tls = constant(s == 6 ? 30'000 : 8'000, opened);
    }
    items.exchange.ttfb = constant(s == 6 || s == 7 ? 50'000 : 4'000, 10);
    items.exchange.cache_misses = s <= 2 ? 10 : 2;
    items.exchange.cache_hits = 10 - items.exchange.cache_misses;
    results::IntervalEndpoint cart;
    cart.method = "POST";
    cart.name = "/cart";
    cart.requests = 10;
    cart.latency = constant(30'000, 10);
    if (s == 1) {
      cart.exchange.new_connections = 2;
      cart.exchange.connect = constant(2'000, 2);
      cart.exchange.tls_handshakes = 2;
      cart.exchange.tls_resumed = 1;
      cart.exchange.tls = constant(10'000, 2);
    }
    cart.exchange.ttfb = constant(25'000, 10);
    p.endpoints = {items, cart};
    r.history.push_back(p);
  }
  for (const results::HistoryPoint& p : r.history) {
    for (const results::IntervalEndpoint& e : p.endpoints) {
      auto it = std::find_if(r.endpoints.begin(), r.endpoints.end(),
                             [&](const auto& x) { return x.method == e.method && x.name == e.name; });
      if (it == r.endpoints.end()) {
        results::EndpointStats row;
        row.method = e.method;
        row.name = e.name;
        r.endpoints.push_back(row);
        it = r.endpoints.end() - 1;
      }
      for (results::EndpointStats* row : {&*it, &r.aggregated}) {
        row->requests += e.requests;
        row->latency.merge(e.latency);
        row->exchange.merge(e.exchange);
        row->last_request_s = p.elapsed_s;
      }
    }
  }
  r.aggregated.name = results::kAggregatedName;
  return r;
}

// The same run as an older engine wrote it: no exchange figures anywhere.
results::RunResult without_exchange(results::RunResult r) {
  r.aggregated.exchange = {};
  for (auto& e : r.endpoints) e.exchange = {};
  for (auto& p : r.history)
    for (auto& e : p.endpoints) e.exchange = {};
  return r;
}

Outcome eval(const std::string& expr, const results::RunResult& r, EvaluateOptions o = {}) {
  return evaluate(parse_threshold(expr), r, o);
}

class ExchangeGate : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stampede-exchange-gate-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The run written as a result folder and read back, as `stampede check` sees it.
  results::RunResult on_disk(const results::RunResult& run) {
    results::ResultWriter writer(dir_);
    writer.write_run_info(run.info);
    writer.write_scenario(nlohmann::json::object());
    for (const auto& p : run.history) writer.append_history(p);
    writer.finish(run);
    return results::read_result_folder(dir_);
  }

  std::filesystem::path dir_;
};

TEST(ExchangeThreshold, ParsesTheFiguresAndCacheHitRatio) {
  const Threshold connect = parse_threshold(R"(connect.p95{name="/items"} < 5ms over 10s abort)");
  EXPECT_EQ(connect.of, LatencyOf::kConnect);
  EXPECT_EQ(connect.metric, Metric::kPercentile);
  EXPECT_DOUBLE_EQ(connect.percentile, 95);
  EXPECT_DOUBLE_EQ(connect.limit, 5'000);
  EXPECT_TRUE(connect.is_exchange());
  EXPECT_TRUE(connect.abort);
  EXPECT_EQ(connect.metric_name(), "connect.p95");
  EXPECT_EQ(parse_threshold("tls.p99.9 < 1s").metric_name(), "tls.p99.9");
  EXPECT_EQ(parse_threshold("tls.avg < 1s").of, LatencyOf::kTls);
  EXPECT_EQ(parse_threshold("ttfb.max <= 2 s").metric_name(), "ttfb.max");
  EXPECT_EQ(parse_threshold("ttfb.min < 1ms").of, LatencyOf::kTtfb);
  EXPECT_FALSE(parse_threshold("p95 < 1ms").is_exchange());
  EXPECT_FALSE(parse_threshold("service.p95 < 1ms").is_exchange());

  const Threshold ratio = parse_threshold(R"(cache_hit_ratio{method="GET"} > 80%)");
  EXPECT_EQ(ratio.metric, Metric::kCacheHitRatio);
  EXPECT_TRUE(ratio.is_exchange());
  EXPECT_DOUBLE_EQ(ratio.limit, 0.8);
  EXPECT_EQ(ratio.format_limit(), "> 80%");
  EXPECT_EQ(ratio.format_value(0.6), "60.00%");
  EXPECT_DOUBLE_EQ(parse_threshold("cache_hit_ratio >= 0.9").limit, 0.9);
  EXPECT_EQ(parse_threshold("cache_hit_ratio >= 0.9").format_value(0.75), "0.7500");
}

struct Bad {
  const char* text;
  std::size_t column;
  const char* says;
};

class ExchangeThresholdErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(ExchangeThresholdErrors, NameColumnAndProblem) {
  const Bad& bad = GetParam();
  try {
    parse_threshold(bad.text);
    FAIL() << "accepted: " << bad.text;
  } catch (const ThresholdError& e) {
    EXPECT_EQ(e.column(), bad.column) << e.what();
    EXPECT_NE(e.problem().find(bad.says), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Invalid, ExchangeThresholdErrors,
    ::testing::Values(Bad{"connect < 5ms", 1, "expected 'connect.' and a latency metric (connect.p99, connect.avg"},
                      Bad{"tls. < 5ms", 5, "expected a latency metric after 'tls.'"},
                      Bad{"ttfb.p101 < 1ms", 6, "bad percentile"},
                      Bad{"ttfb.median < 1ms", 6, "unknown latency metric 'median' after 'ttfb.'"},
                      Bad{"connect.rps > 1", 9, "'connect.' goes with a latency metric"},
                      Bad{"tls.cache_hit_ratio > 1%", 5, "'tls.' goes with a latency metric"},
                      Bad{"ttfb.p95 < 20", 14, "missing unit"},
                      Bad{"connect.p95{shard=0} < 1ms", 13, "'connect.p95' is not recorded per shard"},
                      Bad{"ttfb.p95{name=\"/x\", shard=1} < 1ms", 21, "not recorded per shard"},
                      Bad{"cache_hit_ratio{shard=2} > 50%", 17, "'cache_hit_ratio' is not recorded per shard"},
                      Bad{"cache_hit_ratio > 80", 19, "cache_hit_ratio without % is a fraction"},
                      Bad{"cache_hit_ratio > 120%", 19, "at most 100%"},
                      Bad{"cache_hit_ratio > 5ms", 20, "cache_hit_ratio takes %"},
                      Bad{"hit_ratio > 50%", 1, "cache_hit_ratio"},
                      Bad{"ttfb95 < 1ms", 1, "connect., tls. or ttfb."}));

TEST_F(ExchangeGate, WholeRunAndPerEndpoint) {
  const results::RunResult run = on_disk(exchange_run());
  ASSERT_FALSE(run.aggregated.exchange.empty()) << "the folder kept the figures";
  // 12 connections: 10 at 1-2 ms, 2 at 40 ms; p95 is the storm's.
  Outcome connect = eval("connect.p95 < 5ms", run);
  EXPECT_EQ(connect.verdict, Verdict::kFail);
  EXPECT_NEAR(connect.measured, 40'000, 40);
  EXPECT_EQ(connect.message,
            "connect.p95 = 40.0ms (TCP connect of the requests that opened a connection), limit < 5ms (all requests)");
  EXPECT_NEAR(eval("connect.p50 < 5ms", run).measured, 1'000, 1);
  EXPECT_NEAR(eval(R"(connect.max{name="/cart"} < 5ms)", run).measured, 2'000, 2);
  EXPECT_EQ(eval(R"(connect.max{name="/cart"} < 5ms)", run).verdict, Verdict::kPass);
  EXPECT_NEAR(eval("tls.max < 1s", run).measured, 30'000, 30);
  EXPECT_NEAR(eval(R"(tls.avg{method="POST"} < 1s)", run).measured, 10'000, 10);
  Outcome ttfb = eval("ttfb.p99 < 40ms", run);
  EXPECT_EQ(ttfb.verdict, Verdict::kFail);
  EXPECT_NEAR(ttfb.measured, 50'000, 50);
  EXPECT_NE(ttfb.message.find("(time to first byte, from the send on a ready connection)"), std::string::npos)
      << ttfb.message;
  EXPECT_NEAR(eval(R"(ttfb.p50{name="/cart"} < 1s)", run).measured, 25'000, 25);
  // Cache: /items 20 misses then 8 of 10 hits for 8 s: 64 of 100; /cart said nothing.
  Outcome ratio = eval("cache_hit_ratio > 80%", run);
  EXPECT_EQ(ratio.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(ratio.measured, 0.64);
  EXPECT_EQ(ratio.message, "cache_hit_ratio = 64.00% (Server-Timing cache;desc=hit of hit or miss), limit > 80% "
                           "(all requests)");
  EXPECT_EQ(eval("cache_hit_ratio > 0.6", run).verdict, Verdict::kPass);
  Outcome cart = eval(R"(cache_hit_ratio{name="/cart"} > 50%)", run);
  EXPECT_EQ(cart.verdict, Verdict::kNoData);
  EXPECT_NE(cart.message.find("no response said cache;desc=hit or miss"), std::string::npos) << cart.message;
  EXPECT_EQ(eval(R"(ttfb.p95{name="/nowhere"} < 1s)", run).verdict, Verdict::kNoData);
}

TEST_F(ExchangeGate, WindowsAndWarmupReadTheIntervals) {
  const results::RunResult run = on_disk(exchange_run());
  // The worst 2 s window of time to first byte holds seconds 6-7.
  Outcome ttfb = eval(R"(ttfb.p95{name="/items"} < 10ms over 2s)", run);
  EXPECT_EQ(ttfb.verdict, Verdict::kFail);
  EXPECT_NEAR(ttfb.measured, 50'000, 50);
  EXPECT_TRUE(ttfb.window_end_s == 6 || ttfb.window_end_s == 7) << ttfb.window_end_s;
  // Windows without a new connection say nothing about connect times: only those with one count.
  Outcome connect = eval("connect.max < 5ms over 1s", run);
  EXPECT_EQ(connect.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(connect.window_end_s, 6);
  EXPECT_NE(connect.message.find(", 3 windows"), std::string::npos) << connect.message;
  // The worst 2 s window of the cache is the cold start: all misses.
  Outcome cold = eval("cache_hit_ratio > 50% over 2s", run);
  EXPECT_EQ(cold.verdict, Verdict::kFail);
  EXPECT_DOUBLE_EQ(cold.measured, 0);
  // After a 2 s warm-up the cache is warm (80 %) and the connect times are the storm's only.
  const EvaluateOptions warmup{std::chrono::seconds(2)};
  EXPECT_DOUBLE_EQ(eval("cache_hit_ratio > 50%", run, warmup).measured, 0.8);
  EXPECT_NEAR(eval("connect.min < 1s", run, warmup).measured, 40'000, 40);
  // After 7 s nothing opened a connection: no data, saying why.
  Outcome late = eval("connect.p95 < 1s", run, {std::chrono::seconds(7)});
  EXPECT_EQ(late.verdict, Verdict::kNoData);
  EXPECT_NE(late.message.find("no request opened a connection"), std::string::npos) << late.message;
}

TEST(ExchangeGateNoDisk, ARunWithoutTheFiguresIsNoDataSayingSo) {
  const results::RunResult old = without_exchange(exchange_run());
  for (const std::string expr : {"connect.p95 < 1s", "tls.p95 < 1s over 2s", "ttfb.p95 < 1s",
                                 "cache_hit_ratio > 1%", "ttfb.p50 < 1s over 2s"}) {
    Outcome o = eval(expr, old);
    EXPECT_EQ(o.verdict, Verdict::kNoData) << expr;
    EXPECT_NE(o.message.find("recorded no"), std::string::npos) << o.message;
  }
  // The other metrics are judged as before.
  EXPECT_EQ(eval("p95 < 1s", old).verdict, Verdict::kPass);
}

TEST(ExchangeGateNoDisk, AnHttpRunHasNoTlsHandshakes) {
  results::RunResult http = exchange_run();
  for (auto* x : {&http.aggregated.exchange, &http.endpoints[0].exchange, &http.endpoints[1].exchange}) {
    x->tls_handshakes = 0;
    x->tls_resumed = 0;
    x->tls = {};
  }
  Outcome tls = eval("tls.p95 < 1s", http);
  EXPECT_EQ(tls.verdict, Verdict::kNoData);
  EXPECT_NE(tls.message.find("no TLS handshake"), std::string::npos) << tls.message;
  EXPECT_EQ(eval("connect.p95 < 1s", http).verdict, Verdict::kPass);
}

TEST(ExchangeGateNoDisk, RegressionRulesCompareTheFiguresPerEndpointNotPerShard) {
  results::RunResult base = exchange_run();
  results::ShardStats shard;
  shard.method = "GET";
  shard.name = "/items";
  shard.count = 100;
  shard.shard_time = constant(1'000, 100);
  base.shards = {shard};
  results::RunResult slower = base;
  for (auto* x : {&slower.aggregated.exchange, &slower.endpoints[0].exchange}) x->ttfb = constant(80'000, 100);
  const RegressionResult result = judge_regressions(
      base, slower, {parse_regression_rule("ttfb.p95:10%"), parse_regression_rule("cache_hit_ratio:-5%")});
  bool judged_items = false;
  for (const RegressionRow& row : result.rows) {
    EXPECT_EQ(row.scope.find("shard"), std::string::npos) << "per shard: " << row.scope;
    if (row.scope == "GET /items" && row.rule.text == "ttfb.p95:10%") {
      judged_items = true;
      EXPECT_EQ(row.verdict, Verdict::kFail) << row.message;
    }
  }
  EXPECT_TRUE(judged_items);
  EXPECT_EQ(parse_regression_rule("cache_hit_ratio:-5%").metric.unit, Unit::kPercent);
  EXPECT_THROW(parse_regression_rule("connect:10%"), ThresholdError);
}

TEST(ExchangeGateNoDisk, ReportsNameTheFigure) {
  const results::RunResult run = exchange_run();
  const GateReport report = make_threshold_report(
      run, "results/runs/exchange", evaluate_all({parse_threshold("ttfb.p95 < 10ms"), parse_threshold("cache_hit_ratio > 90%")}, run));
  std::ostringstream table;
  write_gate_table(table, report);
  EXPECT_NE(table.str().find("FAIL    | ttfb.p95 < 10ms"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("cache_hit_ratio = 64.00%"), std::string::npos) << table.str();
}

}  // namespace
}  // namespace stampede::gate
