// The comparison report with runs that recorded how their requests travelled
// (reporters/comparison_exchange.h): the section with each run's and each endpoint's
// connections, TLS, time to first byte, cache hit % and servers, the TTFB ratio against
// the baseline, the JSON members — and nothing of it when no run recorded them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "reporters/comparison.h"
#include "reporters/comparison_format.h"
#include "reporters/tests/sample_result.h"

namespace stampede::reporters {
namespace {

using testing::expect_in_order;
using testing::make_exchange_result;
using testing::make_sample_result;

double p95_ms(const results::Histogram& h) { return static_cast<double>(h.value_at_percentile(95)) / 1000.0; }

// An older run (no figures) as the baseline, then the https run with a cache, then the
// same run with every time to first byte doubled.
std::vector<ComparedRun> three_runs() {
  results::RunResult slow = make_exchange_result(true, true);
  const auto doubled = [](results::ExchangeStats& x) {
    results::Histogram h;
    x.ttfb.for_each_bucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t n) { h.record(lo * 2, n); });
    x.ttfb = h;
  };
  for (auto& e : slow.endpoints) doubled(e.exchange);
  doubled(slow.aggregated.exchange);
  return {{"older", "runs/older", make_sample_result(false)},
          {"https", "runs/https", make_exchange_result(true, true)},
          {"slow", "runs/slow", slow}};
}

TEST(ExchangeComparison, TheModelHoldsEachRunsFigures) {
  const std::vector<ComparedRun> runs = three_runs();
  const Comparison c = build_comparison(runs);
  EXPECT_TRUE(c.any_exchange);
  EXPECT_FALSE(c.runs[0].exchange) << "an older run recorded nothing";
  ASSERT_TRUE(c.runs[1].exchange);
  const results::ExchangeStats& x = runs[1].run.aggregated.exchange;
  const ExchangeCell& whole = *c.runs[1].exchange;
  EXPECT_EQ(whole.new_connections, x.new_connections);
  EXPECT_DOUBLE_EQ(*whole.connect_p95_ms, p95_ms(x.connect));
  EXPECT_EQ(whole.tls_resumed, x.tls_resumed);
  EXPECT_DOUBLE_EQ(*whole.tls_p95_ms, p95_ms(x.tls));
  EXPECT_DOUBLE_EQ(*whole.ttfb_p95_ms, p95_ms(x.ttfb));
  EXPECT_DOUBLE_EQ(*whole.cache_hit_pct, 100.0 * *x.cache_hit_ratio());
  EXPECT_EQ(whole.servers, x.servers);
  // Per endpoint: the slow run's TTFB p95 against the https run's is not compared with the
  // baseline, which has none: the ratio is against runs[0] and so absent.
  for (const EndpointRow& row : c.endpoints) {
    EXPECT_FALSE(row.runs[0].exchange) << row.name;
    EXPECT_FALSE(row.runs[2].ttfb_p95_ratio) << row.name;
  }
}

TEST(ExchangeComparison, TtfbRatioAgainstTheBaseline) {
  std::vector<ComparedRun> runs = three_runs();
  runs.erase(runs.begin());  // https is now the baseline
  const Comparison c = build_comparison(runs);
  for (const EndpointRow& row : c.endpoints) {
    ASSERT_TRUE(row.runs[0].exchange && row.runs[0].exchange->ttfb_p95_ms) << row.name;
    EXPECT_DOUBLE_EQ(*row.runs[0].ttfb_p95_ratio, 1.0) << row.name;
    // Doubled bucket floors land within the histogram's precision of twice the p95.
    EXPECT_NEAR(*row.runs[1].ttfb_p95_ratio, 2.0, 0.01) << row.name;
  }
  // An endpoint without any cache entry (POST) has no hit %, the GET ones have one.
  for (const EndpointRow& row : c.endpoints)
    EXPECT_EQ(row.runs[0].exchange->cache_hit_pct.has_value(), row.method == "GET") << row.name;
}

TEST(ExchangeComparison, EveryRendererHasTheSection) {
  const std::vector<ComparedRun> runs = three_runs();
  const Comparison c = build_comparison(runs);
  const ExchangeCell& whole = *c.runs[1].exchange;
  const std::string ttfb = fmt_ms(*whole.ttfb_p95_ms);
  for (const std::string& text : {comparison_console(c), comparison_markdown(c), comparison_html(c)}) {
    expect_in_order(text, {"Connections, time to first byte and cache", "older", "https", ttfb,
                           fmt_pct(*whole.cache_hit_pct), "Per endpoint", "TTFB p95"});
    EXPECT_NE(text.find("srv-0 "), std::string::npos);
  }
  const nlohmann::json doc = comparison_json(c);
  EXPECT_TRUE(doc["runs"][0]["exchange"].is_null());
  EXPECT_DOUBLE_EQ(doc["runs"][1]["exchange"]["ttfb_p95_ms"].get<double>(), *whole.ttfb_p95_ms);
  EXPECT_EQ(doc["runs"][1]["exchange"]["servers"]["1"].get<std::uint64_t>(), whole.servers.at(1));
  EXPECT_EQ(doc["runs"][2]["exchange"]["tls_resumed"].get<std::uint64_t>(), whole.tls_resumed);
  const nlohmann::json& first = doc["endpoints"][0]["runs"];
  EXPECT_TRUE(first[0]["exchange"].is_null());
  EXPECT_TRUE(first[1]["exchange"]["connect_p95_ms"].is_number());
}

TEST(ExchangeComparison, NothingOfItWithoutTheFigures) {
  const Comparison c = build_comparison({{"a", "runs/a", make_sample_result(false)},
                                         {"b", "runs/b", make_sample_result(true)}});
  EXPECT_FALSE(c.any_exchange);
  for (const std::string& text : {comparison_console(c), comparison_markdown(c), comparison_html(c)})
    EXPECT_EQ(text.find("time to first byte"), std::string::npos);
  const nlohmann::json doc = comparison_json(c);
  EXPECT_FALSE(doc["runs"][0].contains("exchange"));
  EXPECT_FALSE(doc["endpoints"][0]["runs"][0].contains("exchange"));
}

}  // namespace
}  // namespace stampede::reporters
