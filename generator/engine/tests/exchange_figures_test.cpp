// The exchange figures end to end (results/README.md, "Exchange figures"), on both
// transports against the local test servers: the connections each endpoint's requests
// opened equal the connections the server accepted and run.json's connections_opened, with
// one connect time each; every response has a time to first byte; https with --insecure
// records TLS handshakes and (native) resumed sessions as the server saw them; Server-Timing
// cache hits and misses and the answering server are counted per endpoint; the open model
// records each shard's service time; the live view has the open model's counts as they go.
// Bounds only: nothing asserts how fast this machine is.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "generator/engine/runner.h"
#include "generator/engine/tests/engine_fixture.h"
#include "generator/http/tests/test_certificates.h"
#include "generator/http/tests/test_http_server.h"
#include "generator/http/tests/test_tls_server.h"
#include "results/result_folder.h"

namespace stampede::engine {
namespace {
using namespace std::chrono_literals;

class ExchangeFigures : public testing::EngineRun {};

const results::EndpointStats& endpoint(const results::RunResult& r, const std::string& name) {
  for (const auto& e : r.endpoints)
    if (e.name == name) return e;
  throw std::runtime_error("no endpoint " + name);
}

// What history.jsonl's slices of an endpoint add up to.
results::ExchangeStats history_sum(const results::RunResult& r, const std::string& name) {
  results::ExchangeStats sum;
  for (const auto& p : r.history)
    for (const auto& e : p.endpoints)
      if (e.name == name) sum.merge(e.exchange);
  return sum;
}

TEST_P(ExchangeFigures, NewConnectionsAreTheServersConnectionsWithOneConnectTimeEach) {
  // /close/ makes every request of its endpoint open a connection; /keep is kept alive.
  auto s = scenario(R"({"stampede_scenario": 1, "name": "connections", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.02}, "tasks": [
      {"request": {"method": "GET", "path": "/keep", "name": "keep"}},
      {"request": {"method": "GET", "path": "/close/x", "name": "close"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 4, 2s), s).failures, 0u) << err_.str();

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  const results::ExchangeStats& all = r.aggregated.exchange;
  EXPECT_EQ(all.new_connections, server.connections()) << "every connection the server accepted, once";
  ASSERT_TRUE(r.info.connections_opened.has_value());
  EXPECT_EQ(all.new_connections, *r.info.connections_opened);
  const results::EndpointStats& close = endpoint(r, "close");
  const results::EndpointStats& keep = endpoint(r, "keep");
  EXPECT_GE(close.requests, 8u);
  // A request after a /close/ reply opens a connection, whatever its endpoint; a /keep after
  // a /keep does not. So /close/ opens at least as many as it has requests less the users'.
  EXPECT_GE(close.exchange.new_connections + keep.exchange.new_connections, close.requests);
  EXPECT_LT(keep.exchange.new_connections, keep.requests) << "keep-alive reuses connections";
  for (const auto* e : {&close, &keep}) {
    EXPECT_EQ(e->exchange.connect.count(), e->exchange.new_connections) << e->name;
    EXPECT_EQ(e->exchange.ttfb.count(), e->requests) << e->name << ": every response has a time to first byte";
    EXPECT_LE(e->exchange.ttfb.max(), e->latency.max()) << e->name;
    EXPECT_EQ(e->exchange.tls_handshakes, 0u) << "http://";
    EXPECT_TRUE(e->exchange.tls.empty());
    EXPECT_EQ(history_sum(r, e->name), e->exchange) << e->name << ": the history's slices add up";
  }
  EXPECT_EQ(all.cache_hits + all.cache_misses, 0u) << "no Server-Timing cache entry";
  EXPECT_TRUE(all.servers.empty());
}

TEST_P(ExchangeFigures, HttpsHandshakesAndResumedSessionsAsTheServerSawThem) {
  http::testing::TestCertificates certs;
  http::testing::TestTlsServer server(certs.server_cert, certs.server_key);
  // /drop/ closes the connection after each reply: each request reconnects, and a user's
  // reconnect can resume its session.
  auto s = scenario(R"({"stampede_scenario": 1, "name": "tls", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [
      {"request": {"method": "GET", "path": "/drop/x", "name": "drop"}}]}]})");
  RunConfig c = config(server.url(), 2, 2s);
  c.tls.verify = false;  // --insecure
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  const results::ExchangeStats& x = endpoint(r, "drop").exchange;
  EXPECT_GE(x.new_connections, 4u);
  EXPECT_EQ(x.tls_handshakes, server.handshakes()) << "every handshake the server completed";
  EXPECT_EQ(x.tls_handshakes, x.new_connections);
  EXPECT_EQ(x.tls.count(), x.tls_handshakes);
  EXPECT_GT(x.tls.min(), 0u);
  EXPECT_EQ(x.connect.count(), x.new_connections);
  EXPECT_EQ(x.ttfb.count(), endpoint(r, "drop").requests);
  if (GetParam() == RunConfig::Transport::kNative) {
    EXPECT_EQ(x.tls_resumed, server.resumed_handshakes()) << "the resumptions the server saw";
    EXPECT_GT(x.tls_resumed, 0u) << "a user's reconnects resume its session";
  } else {
    EXPECT_EQ(x.tls_resumed, 0u) << "libcurl does not say (results/README.md)";
  }
}

TEST_P(ExchangeFigures, ServerTimingCacheAndServerPerEndpoint) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "cache", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.01}, "tasks": [
      {"weight": 1, "request": {"method": "GET", "path": "/item/cache-hit/srv-1/a", "name": "hit"}},
      {"weight": 1, "request": {"method": "GET", "path": "/item/cache-miss/srv-0/a", "name": "miss"}},
      {"weight": 1, "request": {"method": "GET", "path": "/plain", "name": "plain"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 3, 2s), s).failures, 0u) << err_.str();
  const auto seen = server.requests();

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  const results::EndpointStats& hit = endpoint(r, "hit");
  const results::EndpointStats& miss = endpoint(r, "miss");
  const results::EndpointStats& plain = endpoint(r, "plain");
  ASSERT_GT(hit.requests, 5u);
  EXPECT_EQ(hit.requests, seen.at("GET /item/cache-hit/srv-1/a"));
  EXPECT_EQ(hit.exchange.cache_hits, hit.requests);
  EXPECT_EQ(hit.exchange.cache_misses, 0u);
  EXPECT_EQ(miss.exchange.cache_misses, miss.requests);
  EXPECT_EQ(miss.exchange.cache_hits, 0u);
  EXPECT_EQ(plain.exchange.cache_hits + plain.exchange.cache_misses, 0u);
  EXPECT_EQ(hit.exchange.servers, (std::map<int, std::uint64_t>{{1, hit.requests}}));
  EXPECT_EQ(miss.exchange.servers, (std::map<int, std::uint64_t>{{0, miss.requests}}));
  EXPECT_TRUE(plain.exchange.servers.empty());
  const auto ratio = r.aggregated.exchange.cache_hit_ratio();
  ASSERT_TRUE(ratio.has_value());
  EXPECT_DOUBLE_EQ(*ratio, static_cast<double>(hit.requests) / static_cast<double>(hit.requests + miss.requests));
  EXPECT_EQ(history_sum(r, "hit"), hit.exchange);
}

TEST_P(ExchangeFigures, OpenModelRecordsEachShardsServiceTime) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "open-shards", "user_classes": [
    {"name": "U", "tasks": [{"request": {"method": "GET", "path": "/shards/2/x", "name": "one"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 1, 2s);
  c.users = 0;
  c.arrival_rate = 40;
  c.max_users = 10;
  EXPECT_EQ(run(c, s).failures, 0u) << err_.str();

  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.shards.size(), 1u);
  const results::ShardStats& shard = r.shards[0];
  EXPECT_EQ(shard.shard, 2);
  EXPECT_GE(shard.single_shard_requests, 20u);
  EXPECT_EQ(shard.single_shard_service.count(), shard.single_shard_requests);
  EXPECT_EQ(shard.single_shard_latency.count(), shard.single_shard_requests);
  EXPECT_GE(shard.single_shard_latency.sum(), shard.single_shard_service.sum())
      << "from the intended start is never shorter than from the send";
}

TEST_P(ExchangeFigures, ClosedModelHasNoShardServiceTime) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "closed-shards", "user_classes": [
    {"name": "U", "wait_time": {"constant": 0.05}, "tasks": [{"request": {"method": "GET", "path": "/shards/1/x"}}]}]})");
  http::testing::TestHttpServer server;
  EXPECT_EQ(run(config(server.url(), 2, 1s), s).failures, 0u) << err_.str();
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_EQ(r.shards.size(), 1u);
  EXPECT_GT(r.shards[0].single_shard_requests, 0u);
  EXPECT_TRUE(r.shards[0].single_shard_service.empty());
}

// The live view (the live table, the abort check) has the open model's counts as the run
// goes, not the zeros run.json holds until the end.
TEST_P(ExchangeFigures, LiveViewHasTheOpenModelsCountsAsTheRunGoes) {
  auto s = scenario(R"({"stampede_scenario": 1, "name": "live-open", "user_classes": [
    {"name": "U", "tasks": [{"request": {"method": "GET", "path": "/delay/300/x"}}]}]})");
  http::testing::TestHttpServer server;
  RunConfig c = config(server.url(), 1, 3s);
  c.users = 0;
  c.arrival_rate = 20;
  c.max_users = 1;  // one user busy 300 ms: most arrivals are dropped
  std::mutex m;
  std::uint64_t live_dropped = 0, live_started = 0, live_agg_dropped = 0;
  c.abort_check = [&](const results::RunResult& view) -> std::optional<std::string> {
    std::lock_guard lock(m);
    if (view.info.open_model) {
      live_dropped = std::max(live_dropped, view.info.open_model->dropped);
      live_started = std::max(live_started, view.info.open_model->iterations_started);
    }
    live_agg_dropped = std::max(live_agg_dropped, view.aggregated.dropped);
    return std::nullopt;
  };
  run(c, s);
  const results::RunResult r = results::read_result_folder(dir_ / "run");
  ASSERT_TRUE(r.info.open_model.has_value());
  std::lock_guard lock(m);
  EXPECT_GT(live_dropped, 0u) << "dropped arrivals seen while the run went";
  EXPECT_GT(live_started, 0u);
  EXPECT_LE(live_dropped, r.info.open_model->dropped);
  EXPECT_EQ(live_dropped, live_agg_dropped) << "run.json's counts and the endpoint rows agree live";
}

STAMPEDE_ON_EVERY_TRANSPORT(ExchangeFigures);

}  // namespace
}  // namespace stampede::engine
