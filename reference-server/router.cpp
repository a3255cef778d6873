#include "reference-server/router.h"

#include <cstdio>

#include "reference-server/admin_routes.h"
#include "reference-server/api_routes.h"
#include "reference-server/queue_routes.h"
#include "reference-server/route_support.h"

namespace stampede::server {

namespace {

using nlohmann::json;

// A dependency that went away (a restart) is usually back within a second or two.
constexpr std::string_view kRetryAfterSeconds = "1";
// While something is down, every request that needs it fails: one log line a second.
constexpr std::int64_t kUnavailableLogIntervalMs = 1000;

}  // namespace

std::string format_server_timing(const ShardTimings& timings) {
  std::string out;
  char entry[64];
  for (const auto& t : timings) {
    const double ms = std::chrono::duration<double, std::milli>(t.elapsed).count();
    const int n = std::snprintf(entry, sizeof entry, "%sshard-%d;dur=%.3f", out.empty() ? "" : ", ",
                                t.shard, ms);
    out.append(entry, static_cast<std::size_t>(n));
  }
  for (const auto& t : timings) {
    if (!t.pool_wait) continue;
    const double ms = std::chrono::duration<double, std::milli>(*t.pool_wait).count();
    const int n = std::snprintf(entry, sizeof entry, ", pool-%d;dur=%.3f", t.shard, ms);
    out.append(entry, static_cast<std::size_t>(n));
  }
  for (const auto& t : timings) {  // which copy answered a read (--read-from replicas)
    if (!t.replica) continue;
    const int n = *t.replica > 0 ? std::snprintf(entry, sizeof entry, ", replica-%d;desc=r%d", t.shard, *t.replica)
                                 : std::snprintf(entry, sizeof entry, ", replica-%d;desc=primary", t.shard);
    out.append(entry, static_cast<std::size_t>(n));
  }
  return out;
}

std::string format_replica_metrics(const std::vector<ReplicaStatus>& replicas) {
  if (replicas.empty()) return {};
  std::string out;
  char line[256];
  const auto each = [&](const char* name, const char* help, const char* type, auto value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    for (const auto& r : replicas) {
      const int n = std::snprintf(line, sizeof line, "%s{shard=\"%d\",replica=\"%d\"} ", name, r.shard, r.replica);
      out.append(line, static_cast<std::size_t>(n)) += value(r) + "\n";
    }
  };
  each("stampede_server_replica_lag_seconds",
       "seconds the replica is behind its primary (Seconds_Behind_Master; -1 unknown or not replicating)", "gauge",
       [](const ReplicaStatus& r) {
         char v[32];
         std::snprintf(v, sizeof v, "%.0f", r.lag_s);
         return std::string(v);
       });
  each("stampede_server_replica_up", "1 when the replica answers and its replication threads run", "gauge",
       [](const ReplicaStatus& r) { return std::string(r.replicating && r.error.empty() ? "1" : "0"); });
  each("stampede_server_replica_reads_total", "shard reads the replica answered", "counter",
       [](const ReplicaStatus& r) { return std::to_string(r.reads); });
  each("stampede_server_replica_fallbacks_total",
       "reads whose turn it was that another replica or the primary answered (it was unreachable)", "counter",
       [](const ReplicaStatus& r) { return std::to_string(r.fallbacks); });
  return out;
}

std::int64_t Router::system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Router::Router(Store& store, RouterOptions options, Metrics& metrics, WallClock clock)
    : store_(store),
      options_(std::move(options)),
      metrics_(metrics),
      clock_(clock ? std::move(clock) : WallClock(&Router::system_now_ms)),
      started_ms_(clock_()) {
  if (options_.cache != nullptr) {
    cache_ = std::make_unique<CacheAside>(*options_.cache, metrics_, clock_, options_.log_error);
  }
}

HttpResponse Router::handle(const HttpRequest& request) {
  const Endpoint endpoint = classify_path(request.target);
  HttpResponse response;
  try {
    if (auto refusal = check_admin_request(options_.admin, endpoint, request.method, request.headers)) {
      response = make_error(refusal->status, refusal->error, {refusal->detail});
      if (refusal->status == 401) response.www_authenticate = R"(Bearer realm="stampede-server admin")";
    } else if (request.body.size() > options_.max_body_bytes) {
      response = make_error(413, "request body too large",
                            {"limit is " + std::to_string(options_.max_body_bytes) + " bytes"});
    } else {
      response = dispatch(endpoint, request);
    }
  } catch (const ShardUnavailable& e) {
    metrics_.record_shard_unavailable(e.shard());
    log_unavailable(endpoint, e.what());
    const std::string why = "shard " + std::to_string(e.shard()) + " is down or not answering; retry later";
    response = make_json(503, {{"error", "shard unavailable"}, {"shard", e.shard()}, {"details", json::array({why})}});
    response.retry_after = kRetryAfterSeconds;
  } catch (const DependencyUnavailable& e) {
    log_unavailable(endpoint, e.what());
    response = make_json(503, {{"error", e.dependency() + " unavailable"},
                               {"dependency", e.dependency()},
                               {"details", json::array({"the server cannot reach it; retry later"})}});
    response.retry_after = kRetryAfterSeconds;
  } catch (const std::exception& e) {
    const auto n = log_error(endpoint, e.what());
    response = make_error(500, "internal error", {"the server logged the cause as error " + std::to_string(n)});
  }
  response.endpoint = endpoint;
  return response;
}

void Router::log_unavailable(Endpoint endpoint, std::string_view what) {
  const std::int64_t now = clock_();
  std::int64_t last = last_unavailable_log_ms_.load(std::memory_order_relaxed);
  if (now - last < kUnavailableLogIntervalMs ||
      !last_unavailable_log_ms_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    unlogged_unavailable_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (!options_.log_error) return;
  const auto unlogged = unlogged_unavailable_.exchange(0, std::memory_order_relaxed);
  std::string line = "unavailable (" + std::string(endpoint_name(endpoint)) + "): " + std::string(what);
  if (unlogged > 0) line += " [" + std::to_string(unlogged) + " more 503s since the last such line]";
  options_.log_error(line);
}

std::uint64_t Router::log_error(Endpoint endpoint, std::string_view what) {
  const auto n = errors_logged_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (options_.log_error) {
    options_.log_error("error " + std::to_string(n) + " (" + std::string(endpoint_name(endpoint)) +
                       "): " + std::string(what));
  }
  return n;
}

HttpResponse Router::dispatch(Endpoint endpoint, const HttpRequest& request) {
  const bool post = endpoint == Endpoint::grab || endpoint == Endpoint::admin_reset ||
                    endpoint == Endpoint::admin_shard_fault;
  if (endpoint != Endpoint::not_found && request.method != (post ? "POST" : "GET")) {
    return make_error(405, "method not allowed", {"use " + std::string(post ? "POST" : "GET")});
  }
  const RouteContext ctx{store_, options_, metrics_, clock_, reset_mutex_, started_ms_, cache_.get()};
  switch (endpoint) {
    case Endpoint::grab: return api::grab(ctx, request);
    case Endpoint::user_coupons: return api::user_coupons(ctx, request);
    case Endpoint::coupon_stock: return api::coupon_stock(ctx, request);
    case Endpoint::room_stats: return api::room_stats(ctx, request);
    case Endpoint::room_orders: return api::room_orders(ctx, request);
    case Endpoint::recent_orders: return api::recent_orders(ctx, request);
    case Endpoint::global_stats: return api::global_stats(ctx);
    case Endpoint::admin_stats: return admin::stats(ctx);
    case Endpoint::shards_status: return admin::shards_status(ctx);
    case Endpoint::admin_reset: return admin::reset(ctx);
    case Endpoint::admin_shard_fault: return admin::shard_fault(ctx, request);
    case Endpoint::admin_reshard: return admin::reshard(ctx, request);
    case Endpoint::admin_queue: return queue_routes::drain(ctx);
    case Endpoint::health: return health();
    case Endpoint::metrics: return metrics_text();
    case Endpoint::not_found: break;
  }
  return make_error(404, "not found", {std::string(request.target.substr(0, 200))});
}

HttpResponse Router::health() {
  HttpResponse response;
  response.body = R"({"status":"ok"})";
  return response;
}

HttpResponse Router::metrics_text() {
  HttpResponse response;
  response.body = metrics_.prometheus_text() + format_replica_metrics(store_.replica_status());
  if (options_.grab_queue != nullptr) response.body += options_.grab_queue->prometheus_text();
  response.content_type = "text/plain; version=0.0.4";
  return response;
}

}  // namespace stampede::server
