// The coupon API as a pure function: request in, response out. No sockets, no threads of
// its own; it validates input, routes to shards (routing.h), calls the Store and builds
// JSON responses with a Server-Timing header (one `shard-<k>;dur=<ms>` entry per shard
// touched, ms with 3 decimals; `pool-<k>;dur=<ms>`, the wait for the shard's connection, when
// the store has a bounded pool).
//
// Status codes: 200 ok; 400 malformed JSON / missing or wrong-typed fields / bad query
// parameters / a room that doesn't own the coupon (body: {"error": ..., "details": [...]},
// every problem listed); 404 unknown user, coupon, room or path; 405 wrong method;
// 413 body over max_body_bytes; 503 with `Retry-After: 1` when a shard the request needs
// is unavailable ({"error":"shard unavailable","shard":k,"details":[...]}) or another
// dependency of the store is (DependencyUnavailable: {"error":"stock store (redis)
// unavailable","dependency":"stock store (redis)","details":[...]}); 500 any other store
// failure ({"error":"internal error","details":["... logged as error N"]}).
// The store's error text never reaches the client (it may hold file paths and addresses):
// it goes to RouterOptions::log_error: each 500's with the number its answer names, the
// causes of 503s at most once a second (a down shard fails every request that needs it).
// handle() never throws.
//
// GET /admin/reshard?to=K: the resharding estimate (reshard.h) from the stored rows' keys.
//
// With RouterOptions::cache, the read endpoints are answered cache-aside (cache_aside.h):
// their Server-Timing then ends with `cache;desc=hit` (no shard entries: no shard was
// asked) or `cache;desc=miss`.
//
// /admin routes are checked first by the admin guard (admin_guard.h, RouterOptions::admin):
// 403 foreign Host or Origin, 415 a POST that is not application/json, 401 a missing or
// wrong Bearer token (with WWW-Authenticate: Bearer) on every /admin route but GET
// /admin/stats and GET /admin/shards/status. /admin/shards/status shows each store file by
// its name in the data folder, never a full path.
//
// Thread-safety: handle() may be called from many threads at once. POST /admin/reset
// takes an exclusive lock against all other store calls (Store::reset's contract).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "reference-server/admin_guard.h"
#include "reference-server/cache_aside.h"
#include "reference-server/endpoint.h"
#include "reference-server/grab_queue.h"
#include "reference-server/metrics.h"
#include "reference-server/routing.h"
#include "reference-server/store.h"

namespace stampede::server {

class RateLimiter;

struct HttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view target;  // path and query, e.g. "/api/orders/recent?hours=1"
  std::string_view body;
  AdminHeaders headers;  // the only headers the router reads (for /admin routes)
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string_view content_type = "application/json";
  std::string server_timing;  // header value; empty when no shard was touched
  std::string_view www_authenticate;  // header value of a 401; empty otherwise
  std::string_view retry_after;       // header value (seconds) of a 503 or 429; empty otherwise
  Endpoint endpoint = Endpoint::not_found;
};

struct RouterOptions {
  RoutingConfig routing;
  std::size_t max_body_bytes = 16 * 1024;
  int default_limit = 50;  // ?limit= default for order/result lists
  int max_limit = 1000;
  int max_in_flight = 0;  // shown in /admin/stats (the server enforces it)
  // Fault injection: POST /admin/shards/{k}/offline|online. Empty: 404. The server wires
  // it to Store::set_shard_offline when the store can_set_shard_offline().
  std::function<void(int shard, bool offline)> set_shard_offline;
  // Who may use /admin (admin_guard.h). The default has no token: the token routes answer 401.
  AdminPolicy admin;
  // Where the admin token came from ("--admin-token", "generated into <data>/admin-token",
  // ...), shown in GET /admin/stats; never the token itself.
  std::string admin_token_source;
  // Receives the full text of each store error that an answer leaves out (503, 500), e.g.
  // "error 3: grab: shard 2: ...". Called from any request thread, concurrently. Empty:
  // not logged. main.cpp writes it to stderr.
  std::function<void(std::string_view line)> log_error;
  // The read cache (--cache memory|redis; cache_aside.h), owned by the caller and outliving
  // the router. nullptr: no cache (--cache off). Cache failures are logged through log_error.
  ReadCache* cache = nullptr;
  // The queued write path (--write-path queue; grab_queue.h), owned by the caller and
  // outliving the router. nullptr: grabs are written synchronously by the store.
  GrabQueue* grab_queue = nullptr;
  // --rate-limit (rate_limit.h; the HTTP server asks it), owned by the caller and outliving
  // the router: shown in GET /admin/stats. nullptr: no limit.
  const RateLimiter* rate_limiter = nullptr;
};

class Router {
 public:
  using WallClock = std::function<std::int64_t()>;  // milliseconds since the Unix epoch

  Router(Store& store, RouterOptions options, Metrics& metrics, WallClock clock);

  HttpResponse handle(const HttpRequest& request);

  // The wall clock used by default: std::chrono::system_clock in milliseconds.
  static std::int64_t system_now_ms();

  const RouterOptions& options() const { return options_; }

 private:
  // The handlers are in api_routes.cpp (/api) and admin_routes.cpp (/admin).
  HttpResponse dispatch(Endpoint endpoint, const HttpRequest& request);
  // Logs "error N (endpoint): what" through options_.log_error; returns N.
  std::uint64_t log_error(Endpoint endpoint, std::string_view what);
  // Logs a 503's cause, at most one line a second (with the count of those left out).
  void log_unavailable(Endpoint endpoint, std::string_view what);
  HttpResponse health();
  HttpResponse metrics_text();

  Store& store_;
  RouterOptions options_;
  Metrics& metrics_;
  WallClock clock_;
  std::int64_t started_ms_;
  std::shared_mutex reset_mutex_;
  std::atomic<std::uint64_t> errors_logged_{0};
  std::atomic<std::int64_t> last_unavailable_log_ms_{INT64_MIN / 2};
  std::atomic<std::uint64_t> unlogged_unavailable_{0};
  std::unique_ptr<CacheAside> cache_;  // null without RouterOptions::cache
};

// "shard-0;dur=0.412, shard-3;dur=0.390" (empty for no timings), then for a store with a
// bounded pool the time each waited for a connection: ", pool-0;dur=0.002, pool-3;dur=0.150".
std::string format_server_timing(const ShardTimings& timings);
// /metrics lines of the store's read replicas (lag, up, reads, fallbacks); "" without replicas.
std::string format_replica_metrics(const std::vector<ReplicaStatus>& replicas);

}  // namespace stampede::server
