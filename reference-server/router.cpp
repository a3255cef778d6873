#include "reference-server/router.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "reference-server/json_writer.h"
#include "reference-server/path.h"
#include "reference-server/reshard.h"

namespace stampede::server {

namespace {

using nlohmann::json;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr double kMaxHours = 24.0 * 366 * 10;

HttpResponse make_json(int status, const json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump();
  return response;
}

HttpResponse make_error(int status, std::string_view message,
                        const std::vector<std::string>& details = {}) {
  json body = {{"error", message}};
  if (!details.empty()) body["details"] = details;
  return make_json(status, body);
}

void write_fail_reason(JsonWriter& w, FailReason reason) {
  if (reason == FailReason::none) {
    w.null();
  } else {
    w.value(to_string(reason));
  }
}

void write_rows(JsonWriter& w, const std::vector<ResultRow>& rows) {
  w.begin_array();
  for (const auto& row : rows) {
    w.begin_object();
    w.key("result_id").value(row.result_id);
    w.key("shard").value(row.shard);
    w.key("user_id").value(row.user_id);
    w.key("coupon_id").value(row.coupon_id);
    w.key("room_id").value(row.room_id);
    w.key("grab_status").value(row.success ? 1 : 0);
    w.key("fail_reason");
    write_fail_reason(w, row.fail_reason);
    w.key("grab_time_ms").value(row.grab_time_ms);
    w.end_object();
  }
  w.end_array();
}

void write_shards(JsonWriter& w, const ShardList& shards) {
  w.begin_array();
  for (int k : shards) w.value(k);
  w.end_array();
}

HttpResponse make_written(JsonWriter& w, const ShardTimings& timings) {
  HttpResponse response;
  response.body = w.take();
  response.server_timing = format_server_timing(timings);
  return response;
}

// A 200 answer read from the shards: `body` with their Server-Timing.
HttpResponse make_json(const json& body, const ShardTimings& timings) {
  HttpResponse response = make_json(200, body);
  response.server_timing = format_server_timing(timings);
  return response;
}

// The list endpoints' body: `head(w)` writes the leading fields, then `list_key` holds the
// rows, then "count" and "shards_queried".
template <class Head>
HttpResponse rows_response(Head head, std::string_view list_key,
                           const Fanout<std::vector<ResultRow>>& rows, const ShardList& shards) {
  JsonWriter w(256 + 200 * rows.value.size());
  w.begin_object();
  head(w);
  w.key(list_key);
  write_rows(w, rows.value);
  w.key("count").value(static_cast<std::int64_t>(rows.value.size()));
  w.key("shards_queried");
  write_shards(w, shards);
  w.end_object();
  return make_written(w, rows.timings);
}

// An integer path or query parameter: nullopt when `raw` is not one, and then a problem
// naming `what` is appended to `details` ("user id: expected an integer, got 'x'").
std::optional<std::int64_t> int_param(std::string_view raw, std::string_view what,
                                      std::vector<std::string>& details,
                                      std::string_view expected = "an integer") {
  const auto value = parse_int(raw);
  if (!value) {
    details.push_back(std::string(what) + ": expected " + std::string(expected) + ", got '" +
                      std::string(raw.substr(0, 40)) + "'");
  }
  return value;
}

// Parses ?limit=; problems are appended to `details`.
int parse_limit(const PathView& path, const RouterOptions& options,
                std::vector<std::string>& details) {
  const auto raw = path.param("limit");
  if (!raw) return options.default_limit;
  const auto value = parse_int(*raw);
  if (!value || *value < 1 || *value > options.max_limit) {
    details.push_back("limit: expected an integer between 1 and " +
                      std::to_string(options.max_limit));
    return options.default_limit;
  }
  return static_cast<int>(*value);
}

// An integer field of a JSON object: nullopt when absent (or null and optional); a
// problem is appended to `details` when present with the wrong type.
std::optional<std::int64_t> int_field(const json& object, const char* name, bool required,
                                      std::vector<std::string>& details) {
  const auto it = object.find(name);
  if (it == object.end() || (!required && it->is_null())) {
    if (required) details.push_back(std::string(name) + ": missing (expected an integer)");
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    details.push_back(std::string(name) + ": expected an integer, got " + it->type_name());
    return std::nullopt;
  }
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    details.push_back(std::string(name) + ": expected an integer in the int64 range, got " + it->dump());
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

// A store address as /admin/shards/status shows it: a file by its name in the data folder
// (no absolute path of the server's machine in a response), host:port as it is.
std::string display_address(const std::string& address) {
  const auto slash = address.find_last_of('/');
  return slash == std::string::npos ? address : address.substr(slash + 1);
}

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
      started_ms_(clock_()) {}

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
    response = make_json(503, {{"error", "shard unavailable"}, {"shard", e.shard()}, {"detail", e.what()}});
  } catch (const std::exception& e) {
    response = make_error(500, "internal error", {e.what()});
  }
  response.endpoint = endpoint;
  return response;
}

HttpResponse Router::dispatch(Endpoint endpoint, const HttpRequest& request) {
  const bool post = endpoint == Endpoint::grab || endpoint == Endpoint::admin_reset ||
                    endpoint == Endpoint::admin_shard_fault;
  if (endpoint != Endpoint::not_found && request.method != (post ? "POST" : "GET")) {
    return make_error(405, "method not allowed", {"use " + std::string(post ? "POST" : "GET")});
  }
  switch (endpoint) {
    case Endpoint::grab: return grab(request);
    case Endpoint::user_coupons: return user_coupons(request);
    case Endpoint::coupon_stock: return coupon_stock(request);
    case Endpoint::room_stats: return room_stats(request);
    case Endpoint::room_orders: return room_orders(request);
    case Endpoint::recent_orders: return recent_orders(request);
    case Endpoint::global_stats: return global_stats();
    case Endpoint::admin_stats: return admin_stats();
    case Endpoint::shards_status: return shards_status();
    case Endpoint::admin_reset: return admin_reset();
    case Endpoint::admin_shard_fault: return shard_fault(request);
    case Endpoint::admin_reshard: return reshard(request);
    case Endpoint::health: return health();
    case Endpoint::metrics: return metrics_text();
    case Endpoint::not_found: break;
  }
  return make_error(404, "not found", {std::string(request.target.substr(0, 200))});
}

HttpResponse Router::grab(const HttpRequest& request) {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return make_error(400, "malformed JSON body");
  if (!body.is_object()) return make_error(400, "body must be a JSON object", {std::string("got ") + body.type_name()});
  std::vector<std::string> details;
  const auto user_id = int_field(body, "user_id", true, details);
  const auto coupon_id = int_field(body, "coupon_id", true, details);
  const auto room_id = int_field(body, "room_id", false, details);
  if (!details.empty()) return make_error(400, "invalid grab request", details);

  std::shared_lock lock(reset_mutex_);
  if (!store_.user_exists(*user_id)) return make_error(404, "unknown user", {std::to_string(*user_id)});
  const auto coupon = store_.find_coupon(*coupon_id);
  if (!coupon) return make_error(404, "unknown coupon", {std::to_string(*coupon_id)});
  if (room_id) {
    if (!store_.find_room(*room_id)) return make_error(404, "unknown room", {std::to_string(*room_id)});
    if (*room_id != coupon->room_id) {
      return make_error(400, "room does not own the coupon",
                        {"coupon " + std::to_string(*coupon_id) + " belongs to room " +
                         std::to_string(coupon->room_id) + ", not " + std::to_string(*room_id)});
    }
  }
  GrabRequest grab;
  grab.user_id = *user_id;
  grab.coupon_id = *coupon_id;
  grab.room_id = coupon->room_id;
  grab.grab_time_ms = clock_();
  grab.shard = shard_for_write(options_.routing, grab.user_id, grab.room_id, grab.grab_time_ms);
  const GrabOutcome outcome = store_.grab(grab);
  metrics_.record_shards(outcome.timings);
  JsonWriter w;
  w.begin_object();
  w.key("grab_status").value(outcome.success ? 1 : 0);
  w.key("fail_reason");
  write_fail_reason(w, outcome.fail_reason);
  w.key("remaining_stock").value(outcome.remaining_stock);
  w.key("result_id").value(outcome.result_id);
  w.key("shard").value(outcome.shard);
  w.key("user_id").value(grab.user_id);
  w.key("coupon_id").value(grab.coupon_id);
  w.key("room_id").value(grab.room_id);
  w.key("grab_time_ms").value(grab.grab_time_ms);
  w.end_object();
  return make_written(w, outcome.timings);
}

HttpResponse Router::user_coupons(const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto user_id = int_param(path[2], "user id", details);
  const int limit = parse_limit(path, options_, details);
  if (!details.empty()) return make_error(400, "invalid request", details);
  std::shared_lock lock(reset_mutex_);
  if (!store_.user_exists(*user_id)) return make_error(404, "unknown user", {std::to_string(*user_id)});
  const ShardList shards = shards_for_user_query(options_.routing, *user_id);
  auto results = store_.user_results(*user_id, shards, limit);
  metrics_.record_shards(results.timings);
  return rows_response([&](JsonWriter& w) { w.key("user_id").value(*user_id); }, "coupons", results,
                       shards);
}

HttpResponse Router::coupon_stock(const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto coupon_id = int_param(path[2], "coupon id", details);
  if (!coupon_id) return make_error(400, "invalid request", details);
  std::shared_lock lock(reset_mutex_);
  const auto stock = store_.stock(*coupon_id);
  if (!stock) return make_error(404, "unknown coupon", {std::to_string(*coupon_id)});
  const auto coupon = store_.find_coupon(*coupon_id);
  return make_json(200, {{"coupon_id", stock->coupon_id},
                         {"room_id", coupon ? coupon->room_id : 0},
                         {"total_stock", stock->total_stock},
                         {"remaining_stock", stock->remaining_stock}});
}

HttpResponse Router::room_stats(const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto room_id = int_param(path[2], "room id", details);
  if (!room_id) return make_error(400, "invalid request", details);
  std::shared_lock lock(reset_mutex_);
  const auto room = store_.find_room(*room_id);
  if (!room) return make_error(404, "unknown room", {std::to_string(*room_id)});
  const ShardList shards = shards_for_room_query(options_.routing, *room_id);
  auto stats = store_.room_stats(*room_id, shards);
  metrics_.record_shards(stats.timings);
  std::int64_t grabs = 0;
  std::int64_t successes = 0;
  json by_coupon = json::array();
  for (const auto& c : stats.value) {
    grabs += c.grabs;
    successes += c.successes;
    by_coupon.push_back({{"coupon_id", c.coupon_id}, {"grabs", c.grabs}, {"successes", c.successes}});
  }
  return make_json({{"room_id", *room_id},
                    {"hot", room->hot},
                    {"grabs", grabs},
                    {"successes", successes},
                    {"by_coupon", std::move(by_coupon)},
                    {"shards_queried", shards}},
                   stats.timings);
}

HttpResponse Router::room_orders(const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto room_id = int_param(path[2], "room id", details);
  const int limit = parse_limit(path, options_, details);
  if (!details.empty()) return make_error(400, "invalid request", details);
  std::shared_lock lock(reset_mutex_);
  if (!store_.find_room(*room_id)) return make_error(404, "unknown room", {std::to_string(*room_id)});
  const ShardList shards = shards_for_room_query(options_.routing, *room_id);
  auto orders = store_.room_orders(*room_id, shards, limit);
  metrics_.record_shards(orders.timings);
  return rows_response([&](JsonWriter& w) { w.key("room_id").value(*room_id); }, "orders", orders,
                       shards);
}

HttpResponse Router::recent_orders(const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  double hours = 1.0;
  if (const auto raw = path.param("hours")) {
    const char* end = raw->data() + raw->size();
    auto [ptr, ec] = std::from_chars(raw->data(), end, hours);
    if (ec != std::errc{} || ptr != end || !std::isfinite(hours) || hours <= 0 || hours > kMaxHours) {
      details.push_back("hours: expected a positive number up to " + std::to_string(static_cast<int>(kMaxHours)));
    }
  }
  const int limit = parse_limit(path, options_, details);
  if (!details.empty()) return make_error(400, "invalid request", details);
  const std::int64_t now = clock_();
  const auto window_ms = static_cast<std::int64_t>(hours * static_cast<double>(kHourMs));
  const ShardList shards = shards_for_recent_query(options_.routing, now, window_ms);
  std::shared_lock lock(reset_mutex_);
  auto orders = store_.recent_orders(now - window_ms, shards, limit);
  metrics_.record_shards(orders.timings);
  const auto head = [&](JsonWriter& w) {
    w.key("hours").value(hours);
    w.key("since_ms").value(now - window_ms);
  };
  return rows_response(head, "orders", orders, shards);
}

HttpResponse Router::global_stats() {
  const ShardList shards = all_shards(options_.routing);
  std::shared_lock lock(reset_mutex_);
  auto totals = store_.global_stats(shards);
  metrics_.record_shards(totals.timings);
  std::int64_t total = 0;
  std::int64_t successful = 0;
  json per_shard = json::array();
  for (const auto& t : totals.value) {
    total += t.total_grabs;
    successful += t.successful_grabs;
    per_shard.push_back({{"shard", t.shard},
                         {"total_grabs", t.total_grabs},
                         {"successful_grabs", t.successful_grabs},
                         {"failed_grabs", t.total_grabs - t.successful_grabs}});
  }
  return make_json({{"total_grabs", total},
                    {"successful_grabs", successful},
                    {"failed_grabs", total - successful},
                    {"per_shard", std::move(per_shard)},
                    {"shards_queried", shards}},
                   totals.timings);
}

HttpResponse Router::admin_stats() {
  json requests = json::object();
  for (std::size_t e = 0; e < kEndpointCount; ++e) {
    requests[std::string(endpoint_name(static_cast<Endpoint>(e)))] = metrics_.requests(static_cast<Endpoint>(e));
  }
  json shards = json::array();
  for (int k = 0; k < metrics_.shard_count(); ++k) {
    shards.push_back({{"shard", k},
                      {"queries", metrics_.shard_queries(k)},
                      {"seconds", metrics_.shard_seconds(k)},
                      {"unavailable", metrics_.shard_unavailable(k)}});
  }
  return make_json(200, {{"uptime_s", static_cast<double>(clock_() - started_ms_) / 1000.0},
                         {"strategy", to_string(options_.routing.strategy)},
                         {"store", store_.kind()},
                         {"shard_count", store_.shard_count()},
                         {"requests", std::move(requests)},
                         {"shard_queries", std::move(shards)},
                         {"pool", {{"in_flight", metrics_.in_flight().load(std::memory_order_relaxed)},
                                   {"max_in_flight", options_.max_in_flight},
                                   {"shed", metrics_.shed()}}}});
}

HttpResponse Router::shards_status() {
  std::shared_lock lock(reset_mutex_);
  json shards = json::array();
  for (const auto& s : store_.shard_status()) {
    shards.push_back({{"shard", s.shard},
                      {"up", s.up},
                      {"rows", s.result_rows},
                      {"ping_ms", s.ping_ms},
                      {"address", display_address(s.address)},
                      {"error", s.error.empty() ? json(nullptr) : json(s.error)},
                      {"pool_in_use", s.pool_in_use},
                      {"pool_size", s.pool_size}});
  }
  return make_json(200, {{"strategy", to_string(options_.routing.strategy)},
                         {"store", store_.kind()},
                         {"main", display_address(store_.main_address())},
                         {"shards", std::move(shards)}});
}

HttpResponse Router::admin_reset() {
  std::unique_lock lock(reset_mutex_);
  StoreMeta meta = store_.meta().value_or(StoreMeta{});
  meta.strategy = std::string(to_string(options_.routing.strategy));
  meta.shard_count = store_.shard_count();
  store_.reset(meta);
  return make_json(200, {{"reset", true}, {"strategy", meta.strategy}, {"shard_count", meta.shard_count}});
}

HttpResponse Router::shard_fault(const HttpRequest& request) {
  const PathView path(request.target);
  if (!options_.set_shard_offline) {
    return make_error(404, "fault injection is not available for this store");
  }
  const auto shard = parse_int(path[2]);
  if (!shard || *shard < 0 || *shard >= store_.shard_count()) {
    return make_error(404, "unknown shard", {std::string(path[2].substr(0, 40))});
  }
  const bool offline = path[3] == "offline";
  options_.set_shard_offline(static_cast<int>(*shard), offline);
  return make_json(200, {{"shard", *shard}, {"offline", offline}});
}

HttpResponse Router::reshard(const HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();  // elapsed_ms is a measurement
  const PathView path(request.target);
  const int from = options_.routing.shard_count;
  std::int64_t to = static_cast<std::int64_t>(from) + 1;
  if (const auto raw = path.param("to")) {
    std::vector<std::string> details;
    const auto value = int_param(*raw, "to", details, "an integer shard count");
    if (!value) return make_error(400, "invalid request", details);
    to = *value;
  }
  if (const auto problem = check_reshard_target(to)) return make_error(400, "invalid request", {*problem});
  std::shared_lock lock(reset_mutex_);
  auto counts = store_.result_key_counts(all_shards(options_.routing), options_.routing.time_bucket);
  lock.unlock();
  metrics_.record_shards(counts.timings);
  const auto estimates = estimate_reshard(options_.routing, static_cast<int>(to), counts.value);
  json list = json::array();
  for (const auto& e : estimates) list.push_back(to_json(e));
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return make_json({{"from_shards", from},
                    {"to_shards", to},
                    {"rows", estimates.front().rows},
                    {"current_strategy", to_string(options_.routing.strategy)},
                    {"store", store_.kind()},
                    {"estimates", std::move(list)},
                    {"elapsed_ms", elapsed_ms}},
                   counts.timings);
}

HttpResponse Router::health() {
  HttpResponse response;
  response.body = R"({"status":"ok"})";
  return response;
}

HttpResponse Router::metrics_text() {
  HttpResponse response;
  response.body = metrics_.prometheus_text();
  response.content_type = "text/plain; version=0.0.4";
  return response;
}

}  // namespace stampede::server
