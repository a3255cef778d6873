#include "reference-server/admin_routes.h"

#include <chrono>
#include <mutex>
#include <vector>

#include "reference-server/grab_queue.h"
#include "reference-server/rate_limit.h"
#include "reference-server/reshard.h"

namespace stampede::server::admin {

using nlohmann::json;

std::string display_address(const std::string& address) {
  const auto slash = address.find_last_of('/');
  return slash == std::string::npos ? address : address.substr(slash + 1);
}

// --rate-limit's settings and counts (rate_limit.h); null without a limit.
json rate_limit_stats(const RouteContext& ctx) {
  const RateLimiter* limiter = ctx.options.rate_limiter;
  if (limiter == nullptr) return nullptr;
  json by_endpoint = json::object();
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    if (const auto n = ctx.metrics.rate_limited(static_cast<Endpoint>(e)); n > 0)
      by_endpoint[std::string(endpoint_name(static_cast<Endpoint>(e)))] = n;
  }
  return {{"limit", limiter->config().rate_text},
          {"rate_per_s", limiter->config().rate_per_s},
          {"burst", static_cast<std::int64_t>(limiter->config().burst)},
          {"by", to_string(limiter->config().by)},
          {"allowed", limiter->allowed()},
          {"limited", limiter->limited()},
          {"limited_by_endpoint", std::move(by_endpoint)},
          {"keys", limiter->keys()},
          {"overflowed", limiter->overflowed()}};
}

HttpResponse stats(const RouteContext& ctx) {
  json requests = json::object();
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    requests[std::string(endpoint_name(static_cast<Endpoint>(e)))] = ctx.metrics.requests(static_cast<Endpoint>(e));
  }
  json shards = json::array();
  for (int k = 0; k < ctx.metrics.shard_count(); ++k) {
    shards.push_back({{"shard", k},
                      {"queries", ctx.metrics.shard_queries(k)},
                      {"seconds", ctx.metrics.shard_seconds(k)},
                      {"unavailable", ctx.metrics.shard_unavailable(k)},
                      {"pool_wait_s", ctx.metrics.shard_pool_wait_seconds(k)}});
  }
  return make_json(200, {{"uptime_s", static_cast<double>(ctx.clock() - ctx.started_ms) / 1000.0},
                         {"strategy", to_string(ctx.options.routing.strategy)},
                         {"store", ctx.store.kind()},
                         {"shard_count", ctx.store.shard_count()},
                         {"admin_token_source", ctx.options.admin_token_source.empty()
                                                    ? json(nullptr)
                                                    : json(ctx.options.admin_token_source)},
                         {"requests", std::move(requests)},
                         {"shard_queries", std::move(shards)},
                         {"pool", {{"in_flight", ctx.metrics.in_flight().load(std::memory_order_relaxed)},
                                   {"max_in_flight", ctx.options.max_in_flight},
                                   {"shed", ctx.metrics.shed()}}},
                         {"cache", ctx.cache == nullptr ? json("off") : json(ctx.cache->kind())},
                         {"cache_fallbacks", ctx.metrics.cache_fallbacks()},
                         {"write_path", ctx.options.grab_queue == nullptr ? "sync" : "queue"},
                         {"queue", ctx.options.grab_queue == nullptr ? json(nullptr) : ctx.options.grab_queue->stats()},
                         {"rate_limit", rate_limit_stats(ctx)}});
}

HttpResponse shards_status(const RouteContext& ctx) {
  std::shared_lock lock(ctx.reset_mutex);
  json shards = json::array();
  for (const auto& s : ctx.store.shard_status()) {
    shards.push_back({{"shard", s.shard},
                      {"up", s.up},
                      {"rows", s.result_rows},
                      {"ping_ms", s.ping_ms},
                      {"address", display_address(s.address)},
                      {"error", s.error.empty() ? json(nullptr) : json(without_paths(s.error))},
                      {"pool_in_use", s.pool_in_use},
                      {"pool_size", s.pool_size}});
  }
  json replicas = json::array();
  for (const auto& r : ctx.store.replica_status()) {
    replicas.push_back({{"shard", r.shard},
                        {"replica", r.replica},
                        {"address", r.address},
                        {"replicating", r.replicating},
                        {"lag_s", r.lag_s < 0 ? json(nullptr) : json(r.lag_s)},
                        {"reads", r.reads},
                        {"fallbacks", r.fallbacks},
                        {"error", r.error.empty() ? json(nullptr) : json(without_paths(r.error))}});
  }
  json body = {{"strategy", to_string(ctx.options.routing.strategy)},
               {"store", ctx.store.kind()},
               {"main", display_address(ctx.store.main_address())},
               {"shards", std::move(shards)}};
  if (!replicas.empty()) body["replicas"] = std::move(replicas);
  return make_json(200, body);
}

HttpResponse reset(const RouteContext& ctx) {
  std::unique_lock lock(ctx.reset_mutex);
  StoreMeta meta = ctx.store.meta().value_or(StoreMeta{});
  meta.strategy = std::string(to_string(ctx.options.routing.strategy));
  meta.shard_count = ctx.store.shard_count();
  ctx.store.reset(meta);
  if (ctx.cache != nullptr) ctx.cache->after_reset();  // under the exclusive lock: no read races it
  return make_json(200, {{"reset", true}, {"strategy", meta.strategy}, {"shard_count", meta.shard_count}});
}

HttpResponse shard_fault(const RouteContext& ctx, const HttpRequest& request) {
  const PathView path(request.target);
  if (!ctx.options.set_shard_offline) {
    return make_error(404, "fault injection is not available for this store");
  }
  const auto shard = parse_int(path[2]);
  if (!shard || *shard < 0 || *shard >= ctx.store.shard_count()) {
    return make_error(404, "unknown shard", {std::string(path[2].substr(0, 40))});
  }
  const bool offline = path[3] == "offline";
  ctx.options.set_shard_offline(static_cast<int>(*shard), offline);
  return make_json(200, {{"shard", *shard}, {"offline", offline}});
}

HttpResponse reshard(const RouteContext& ctx, const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();  // elapsed_ms is a measurement
  const PathView path(request.target);
  const RoutingConfig& routing = ctx.options.routing;
  const int from = routing.shard_count;
  std::int64_t to = static_cast<std::int64_t>(from) + 1;
  if (const auto raw = path.param("to")) {
    std::vector<std::string> details;
    const auto value = int_param(*raw, "to", details, "an integer shard count");
    if (!value) return make_error(400, "invalid request", details);
    to = *value;
  }
  if (const auto problem = check_reshard_target(to)) return make_error(400, "invalid request", {*problem});
  std::shared_lock lock(ctx.reset_mutex);
  auto counts = ctx.store.result_key_counts(all_shards(routing), routing.time_bucket);
  lock.unlock();
  ctx.metrics.record_shards(counts.timings);
  const auto estimates = estimate_reshard(routing, static_cast<int>(to), counts.value);
  json list = json::array();
  for (const auto& e : estimates) list.push_back(to_json(e));
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return make_json({{"from_shards", from},
                    {"to_shards", to},
                    {"rows", estimates.front().rows},
                    {"current_strategy", to_string(routing.strategy)},
                    {"store", ctx.store.kind()},
                    {"estimates", std::move(list)},
                    {"elapsed_ms", elapsed_ms}},
                   counts.timings);
}

}  // namespace stampede::server::admin
