#include "reporters/tests/sample_result.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace stampede::reporters::testing {

namespace {

struct EndpointSpec {
  std::string method;
  std::string name;
  std::uint64_t base_us;    // fastest response
  std::uint64_t spread_us;  // responses spread over [base, base + spread)
  int per_second;           // requests per one-second interval at full load
  int fail_every;           // every n-th request fails (0 = never)
  std::uint64_t body_bytes;
};

const std::vector<EndpointSpec>& specs() {
  static const std::vector<EndpointSpec> s = {
      {"GET", "home page", 900, 2500, 25, 0, 6},
      {"GET", "/big, \"quoted\"", 1100, 3000, 15, 0, 2000},
      {"POST", "home page", 1200, 9000, 7, 1, 357},
      {"GET", "missing", 800, 4000, 9, 1, 335},
      {"GET", "/api/v1/customers/{customer_id}/orders/{order_id}/items?expand=all", 95000,
       1400000, 3, 0, 41234},
  };
  return s;
}

// Users ramp 2, 4, then 5; load scales with users.
int users_at(int second) { return second == 0 ? 2 : second == 1 ? 4 : 5; }

}  // namespace

results::RunResult make_sample_result(bool with_shards) {
  results::RunResult r;
  r.info.status = "complete";
  r.info.stop_reason = "run time reached";
  r.info.label = "golden";
  r.info.scenario_name = "sample";
  r.info.target_host = "http://127.0.0.1:8000";
  r.info.started_unix_ms = 1795321229000;
  r.info.ended_unix_ms = 1795321241000;
  r.info.duration_s = 12.0;
  r.info.users = 5;
  r.info.spawn_rate = 2;
  r.info.run_time_s = 12;

  std::vector<results::EndpointStats> totals;
  for (const auto& s : specs()) {
    results::EndpointStats e;
    e.method = s.method;
    e.name = s.name;
    totals.push_back(e);
  }

  std::uint64_t sequence = 0;
  constexpr int kSeconds = 12;
  for (int sec = 0; sec < kSeconds; ++sec) {
    results::HistoryPoint p;
    p.elapsed_s = sec + 1;
    p.interval_s = 1;
    p.unix_ms = r.info.started_unix_ms + (sec + 1) * 1000 + 250;
    p.users = users_at(sec);
    for (std::size_t k = 0; k < specs().size(); ++k) {
      const auto& s = specs()[k];
      const int n = s.per_second * p.users / 5;
      if (n == 0 || (k == 4 && sec % 4 == 3)) continue;  // the slow one skips some seconds
      results::IntervalEndpoint ie;
      ie.method = s.method;
      ie.name = s.name;
      for (int j = 0; j < n; ++j) {
        ++sequence;
        // A fixed pseudo-random walk over [base, base + spread): deterministic everywhere.
        const std::uint64_t v = s.base_us + (sequence * 7919 + static_cast<std::uint64_t>(j) * 104729) % s.spread_us;
        ie.latency.record(v);
        ie.requests += 1;
        ie.content_bytes += s.body_bytes;
        if (s.fail_every && (sequence % s.fail_every == 0)) ie.failures += 1;
      }
      auto& t = totals[k];
      if (t.requests == 0) t.first_request_s = sec + 0.01 * static_cast<double>(k + 1);
      t.last_request_s = sec + 0.9 + 0.01 * static_cast<double>(k);
      t.requests += ie.requests;
      t.failures += ie.failures;
      t.content_bytes += ie.content_bytes;
      t.latency.merge(ie.latency);
      p.endpoints.push_back(std::move(ie));
    }
    r.history.push_back(std::move(p));
  }

  r.aggregated.method = "";
  r.aggregated.name = results::kAggregatedName;
  r.aggregated.first_request_s = 1e9;
  for (const auto& t : totals) {
    r.aggregated.requests += t.requests;
    r.aggregated.failures += t.failures;
    r.aggregated.content_bytes += t.content_bytes;
    r.aggregated.latency.merge(t.latency);
    r.aggregated.first_request_s = std::min(r.aggregated.first_request_s, t.first_request_s);
    r.aggregated.last_request_s = std::max(r.aggregated.last_request_s, t.last_request_s);
  }
  r.endpoints = totals;  // in first-seen order; reporters sort

  r.failures.push_back({"GET", "missing", "HTTP 404", totals[3].failures});
  r.failures.push_back({"POST", "home page", "check: custom failure, with comma", totals[2].failures});
  if (r.failures[0].occurrences < r.failures[1].occurrences) std::swap(r.failures[0], r.failures[1]);

  if (with_shards) {
    // home page hits one shard per request, round-robin; the long one fans out to all four.
    for (int shard = 0; shard < 4; ++shard) {
      results::ShardStats hs;
      hs.method = "GET";
      hs.name = "home page";
      hs.shard = shard;
      results::ShardStats ls;
      ls.method = "GET";
      ls.name = specs()[4].name;
      ls.shard = shard;
      for (std::uint64_t i = 0; i < totals[0].requests; ++i) {
        if (static_cast<int>(i % 4) != shard && !(shard == 3 && i % 5 == 0)) continue;
        hs.count += 1;
        hs.shard_time.record(300 + (i * 37 + static_cast<std::uint64_t>(shard) * 11) % 700);
        if (static_cast<int>(i % 4) == shard && i % 5 != 0) {
          hs.single_shard_requests += 1;
          hs.single_shard_latency.record(900 + (i * 53) % 2500);
        }
      }
      for (std::uint64_t i = 0; i < totals[4].requests; ++i) {
        ls.count += 1;
        ls.shard_time.record(40000 + (i * 7717 + static_cast<std::uint64_t>(shard) * 3001) % 600000);
      }
      r.shards.push_back(std::move(hs));
      r.shards.push_back(std::move(ls));
    }
    std::sort(r.shards.begin(), r.shards.end(), [](const auto& a, const auto& b) {
      return std::tie(a.shard, a.name, a.method) < std::tie(b.shard, b.name, b.method);
    });
  }
  return r;
}

results::RunResult make_open_result() {
  results::RunResult r = make_sample_result(false);
  r.info.label = "open";
  r.info.users = 5;
  results::OpenModelInfo open;
  open.arrival_rate = 60;
  open.arrivals = results::Arrivals::kPoisson;
  open.max_users = 5;
  open.late_arrivals = 2;
  open.max_schedule_lag_ms = 14.5;
  open.total_schedule_lag_ms = 27.25;
  for (results::HistoryPoint& p : r.history) {
    for (results::IntervalEndpoint& e : p.endpoints) {
      e.latency.for_each_bucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t count) {
        e.service.record(lo * 3 / 4, count);
      });
      if (e.method == "POST" && p.elapsed_s >= 5 && p.elapsed_s <= 7) e.dropped = 2;
    }
    if (p.elapsed_s == 9) {
      results::IntervalEndpoint sold_out;
      sold_out.method = "GET";
      sold_out.name = "/sold-out";
      sold_out.dropped = 4;
      p.endpoints.push_back(sold_out);
    }
  }
  results::EndpointStats sold_out;
  sold_out.method = "GET";
  sold_out.name = "/sold-out";
  r.endpoints.push_back(sold_out);
  for (results::EndpointStats& t : r.endpoints) {
    for (const results::HistoryPoint& p : r.history)
      for (const results::IntervalEndpoint& e : p.endpoints) {
        if (e.method != t.method || e.name != t.name) continue;
        t.service.merge(e.service);
        t.dropped += e.dropped;
      }
    r.aggregated.service.merge(t.service);
    r.aggregated.dropped += t.dropped;
  }
  open.dropped = r.aggregated.dropped;
  open.iterations_started = r.aggregated.requests;  // one request per iteration in this sample
  r.info.open_model = open;
  return r;
}

results::RunResult make_exchange_result(bool tls, bool cache) {
  results::RunResult r = make_sample_result(false);
  r.info.label = "exchange";
  if (tls) r.info.target_host = "https://127.0.0.1:8443";
  int k = 0;
  for (results::HistoryPoint& p : r.history) {
    for (results::IntervalEndpoint& e : p.endpoints) {
      results::ExchangeStats& x = e.exchange;
      // Users open their connections in the first two seconds (one per user per endpoint
      // here); after that every request reuses one.
      if (p.elapsed_s <= 2) {
        x.new_connections = 2;
        x.connect.record(150 + 10 * static_cast<std::uint64_t>(k % 7), 2);
        if (tls) {
          x.tls_handshakes = 2;
          x.tls_resumed = p.elapsed_s == 2 ? 1 : 0;
          x.tls.record(2000 + 100 * static_cast<std::uint64_t>(k % 5), 2);
        }
      }
      // Time to first byte: each response's latency bucket at nine tenths.
      e.latency.for_each_bucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t count) {
        x.ttfb.record(lo * 9 / 10, count);
      });
      if (cache && e.method == "GET") {
        x.cache_misses = p.elapsed_s <= 2 ? e.requests : e.requests / 4;
        x.cache_hits = e.requests - x.cache_misses;
      }
      if (cache) {
        x.servers[0] += (e.requests + 1) / 2;
        if (e.requests / 2 > 0) x.servers[1] += e.requests / 2;
      }
      ++k;
    }
  }
  r.aggregated.exchange = {};
  for (results::EndpointStats& t : r.endpoints) {
    for (const results::HistoryPoint& p : r.history)
      for (const results::IntervalEndpoint& e : p.endpoints)
        if (e.method == t.method && e.name == t.name) t.exchange.merge(e.exchange);
    r.aggregated.exchange.merge(t.exchange);
  }
  return r;
}

results::RunResult make_empty_result() {
  results::RunResult r;
  r.info.users = 5;
  r.aggregated.name = results::kAggregatedName;
  return r;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  expect_golden_in("reporters/tests/golden", name, actual);
}

void expect_golden_in(const std::string& folder, const std::string& name, const std::string& actual) {
  const std::string path = std::string(STAMPEDE_SOURCE_DIR) + "/" + folder + "/" + name;
  const char* update = std::getenv("STAMPEDE_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream probe(path);
  ASSERT_TRUE(probe.good()) << "missing golden file " << path
                            << " (run with STAMPEDE_UPDATE_GOLDEN=1 to create it)";
  EXPECT_EQ(read_text_file(path), actual) << "golden file " << path << " differs";
}

void expect_in_order(const std::string& text, const std::vector<std::string>& parts) {
  std::size_t at = 0;
  for (const std::string& p : parts) {
    const std::size_t found = text.find(p, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << p;
    at = found + p.size();
  }
}

}  // namespace stampede::reporters::testing
