// What every route handler of the router needs (api_routes.h, admin_routes.h): the state
// they share, JSON responses in the API's error shape, and the parsing of ids and
// parameters that names each problem. Internal to the router; no I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "reference-server/json_writer.h"
#include "reference-server/metrics.h"
#include "reference-server/path.h"
#include "reference-server/router.h"
#include "reference-server/store.h"

namespace stampede::server {

// The router's state as its handlers see it. Handlers take `reset_mutex` shared around
// their store calls; POST /admin/reset takes it exclusively (Store::reset's contract).
struct RouteContext {
  Store& store;
  const RouterOptions& options;
  Metrics& metrics;
  const Router::WallClock& clock;
  std::shared_mutex& reset_mutex;
  std::int64_t started_ms;  // when the router was made (the clock's milliseconds)
  CacheAside* cache;        // nullptr: no read cache
};

// A read endpoint's answer, cache-aside (cache_aside.h). Without a cache: load(). With one:
// the body cached under (key, field) as a 200 with Server-Timing `cache;desc=hit`, else
// load()'s answer with `cache;desc=miss` added to its Server-Timing, its body stored when
// the status is 200. load() may throw (store errors), as the handlers do.
HttpResponse cache_aside(const RouteContext& ctx, Endpoint endpoint, std::string_view key,
                         std::string_view field, const std::function<HttpResponse()>& load);

// `body` as the response, with `status`.
HttpResponse make_json(int status, const nlohmann::json& body);
// A 200 answer read from the shards: `body` with their Server-Timing.
HttpResponse make_json(const nlohmann::json& body, const ShardTimings& timings);
// {"error": message, "details": [...]} (details left out when empty).
HttpResponse make_error(int status, std::string_view message, const std::vector<std::string>& details = {});
// A 200 answer written with a JsonWriter, with the shards' Server-Timing.
HttpResponse make_written(JsonWriter& w, const ShardTimings& timings);

// An integer path or query parameter: nullopt when `raw` is not one, and then a problem
// naming `what` is appended to `details` ("user id: expected an integer, got 'x'").
std::optional<std::int64_t> int_param(std::string_view raw, std::string_view what,
                                      std::vector<std::string>& details,
                                      std::string_view expected = "an integer");

// ?limit= (default options.default_limit, 1..options.max_limit); problems are appended
// to `details`.
int parse_limit(const PathView& path, const RouterOptions& options, std::vector<std::string>& details);

// An integer field of a JSON object: nullopt when absent (or null and optional); a
// problem is appended to `details` when present with the wrong type or beyond int64.
std::optional<std::int64_t> int_field(const nlohmann::json& object, const char* name, bool required,
                                      std::vector<std::string>& details);

// `text` with every absolute or relative file path in it ("/srv/data/shard-2.db",
// "./x/main.db", "~/d/f") cut down to its last component ("shard-2.db"): for the store
// texts an answer shows (/admin/shards/status errors), which must not tell clients where
// the server keeps its files.
std::string without_paths(std::string_view text);

}  // namespace stampede::server
