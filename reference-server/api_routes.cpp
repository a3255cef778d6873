#include "reference-server/api_routes.h"

#include "reference-server/queue_routes.h"

#include <charconv>
#include <cmath>
#include <mutex>
#include <optional>
#include <vector>

namespace stampede::server::api {

namespace {

using nlohmann::json;

constexpr std::int64_t kHourMs = 3'600'000;
constexpr double kMaxHours = 24.0 * 366 * 10;

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

// The answers the cache keeps (cache_aside.h), as the database gives them.
HttpResponse room_stats_answer(const RouteContext& ctx, const RoomInfo& room, const ShardList& shards);
HttpResponse global_stats_answer(const RouteContext& ctx, const ShardList& shards);

}  // namespace

HttpResponse grab(const RouteContext& ctx, const HttpRequest& request) {
  const json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return make_error(400, "malformed JSON body");
  if (!body.is_object()) return make_error(400, "body must be a JSON object", {std::string("got ") + body.type_name()});
  std::vector<std::string> details;
  const auto user_id = int_field(body, "user_id", true, details);
  const auto coupon_id = int_field(body, "coupon_id", true, details);
  const auto room_id = int_field(body, "room_id", false, details);
  if (!details.empty()) return make_error(400, "invalid grab request", details);

  std::shared_lock lock(ctx.reset_mutex);
  if (!ctx.store.user_exists(*user_id)) return make_error(404, "unknown user", {std::to_string(*user_id)});
  const auto coupon = ctx.store.find_coupon(*coupon_id);
  if (!coupon) return make_error(404, "unknown coupon", {std::to_string(*coupon_id)});
  if (room_id) {
    if (!ctx.store.find_room(*room_id)) return make_error(404, "unknown room", {std::to_string(*room_id)});
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
  grab.grab_time_ms = ctx.clock();
  grab.shard = shard_for_write(ctx.options.routing, grab.user_id, grab.room_id, grab.grab_time_ms);
  if (ctx.options.grab_queue != nullptr) return queue_routes::grab(ctx, grab);  // --write-path queue
  const GrabOutcome outcome = ctx.store.grab(grab);  // never through the cache: no oversell
  ctx.metrics.record_shards(outcome.timings);
  if (ctx.cache != nullptr) ctx.cache->after_grab(grab.coupon_id, grab.room_id, grab.user_id);
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

HttpResponse user_coupons(const RouteContext& ctx, const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto user_id = int_param(path[2], "user id", details);
  const int limit = parse_limit(path, ctx.options, details);
  if (!details.empty()) return make_error(400, "invalid request", details);
  std::shared_lock lock(ctx.reset_mutex);
  if (!ctx.store.user_exists(*user_id)) return make_error(404, "unknown user", {std::to_string(*user_id)});
  const ShardList shards = shards_for_user_query(ctx.options.routing, *user_id);
  return cache_aside(ctx, Endpoint::user_coupons, cache_keys::user_coupons(*user_id),
                     "limit=" + std::to_string(limit), [&] {
                       auto results = ctx.store.user_results(*user_id, shards, limit);
                       ctx.metrics.record_shards(results.timings);
                       return rows_response([&](JsonWriter& w) { w.key("user_id").value(*user_id); },
                                            "coupons", results, shards);
                     });
}

HttpResponse coupon_stock(const RouteContext& ctx, const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto coupon_id = int_param(path[2], "coupon id", details);
  if (!coupon_id) return make_error(400, "invalid request", details);
  std::shared_lock lock(ctx.reset_mutex);
  const auto coupon = ctx.store.find_coupon(*coupon_id);
  if (!coupon) return make_error(404, "unknown coupon", {std::to_string(*coupon_id)});
  return cache_aside(ctx, Endpoint::coupon_stock, cache_keys::stock(*coupon_id), cache_keys::kWhole, [&] {
    const auto stock = ctx.store.stock(*coupon_id);
    if (!stock) return make_error(404, "unknown coupon", {std::to_string(*coupon_id)});
    return make_json(200, {{"coupon_id", stock->coupon_id},
                           {"room_id", coupon->room_id},
                           {"total_stock", stock->total_stock},
                           {"remaining_stock", stock->remaining_stock}});
  });
}

HttpResponse room_stats(const RouteContext& ctx, const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto room_id = int_param(path[2], "room id", details);
  if (!room_id) return make_error(400, "invalid request", details);
  std::shared_lock lock(ctx.reset_mutex);
  const auto room = ctx.store.find_room(*room_id);
  if (!room) return make_error(404, "unknown room", {std::to_string(*room_id)});
  const ShardList shards = shards_for_room_query(ctx.options.routing, *room_id);
  return cache_aside(ctx, Endpoint::room_stats, cache_keys::room_stats(*room_id), cache_keys::kWhole,
                     [&] { return room_stats_answer(ctx, *room, shards); });
}

namespace {

HttpResponse room_stats_answer(const RouteContext& ctx, const RoomInfo& room, const ShardList& shards) {
  auto stats = ctx.store.room_stats(room.room_id, shards);
  ctx.metrics.record_shards(stats.timings);
  std::int64_t grabs = 0;
  std::int64_t successes = 0;
  json by_coupon = json::array();
  for (const auto& c : stats.value) {
    grabs += c.grabs;
    successes += c.successes;
    by_coupon.push_back({{"coupon_id", c.coupon_id}, {"grabs", c.grabs}, {"successes", c.successes}});
  }
  return make_json({{"room_id", room.room_id},
                    {"hot", room.hot},
                    {"grabs", grabs},
                    {"successes", successes},
                    {"by_coupon", std::move(by_coupon)},
                    {"shards_queried", shards}},
                   stats.timings);
}

}  // namespace

HttpResponse room_orders(const RouteContext& ctx, const HttpRequest& request) {
  const PathView path(request.target);
  std::vector<std::string> details;
  const auto room_id = int_param(path[2], "room id", details);
  const int limit = parse_limit(path, ctx.options, details);
  if (!details.empty()) return make_error(400, "invalid request", details);
  std::shared_lock lock(ctx.reset_mutex);
  if (!ctx.store.find_room(*room_id)) return make_error(404, "unknown room", {std::to_string(*room_id)});
  const ShardList shards = shards_for_room_query(ctx.options.routing, *room_id);
  auto orders = ctx.store.room_orders(*room_id, shards, limit);
  ctx.metrics.record_shards(orders.timings);
  return rows_response([&](JsonWriter& w) { w.key("room_id").value(*room_id); }, "orders", orders,
                       shards);
}

HttpResponse recent_orders(const RouteContext& ctx, const HttpRequest& request) {
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
  const int limit = parse_limit(path, ctx.options, details);
  if (!details.empty()) return make_error(400, "invalid request", details);
  const std::int64_t now = ctx.clock();
  const auto window_ms = static_cast<std::int64_t>(hours * static_cast<double>(kHourMs));
  const ShardList shards = shards_for_recent_query(ctx.options.routing, now, window_ms);
  std::shared_lock lock(ctx.reset_mutex);
  auto orders = ctx.store.recent_orders(now - window_ms, shards, limit);
  ctx.metrics.record_shards(orders.timings);
  const auto head = [&](JsonWriter& w) {
    w.key("hours").value(hours);
    w.key("since_ms").value(now - window_ms);
  };
  return rows_response(head, "orders", orders, shards);
}

HttpResponse global_stats(const RouteContext& ctx) {
  const ShardList shards = all_shards(ctx.options.routing);
  std::shared_lock lock(ctx.reset_mutex);
  return cache_aside(ctx, Endpoint::global_stats, cache_keys::kGlobal, cache_keys::kWhole,
                     [&] { return global_stats_answer(ctx, shards); });
}

namespace {

HttpResponse global_stats_answer(const RouteContext& ctx, const ShardList& shards) {
  auto totals = ctx.store.global_stats(shards);
  ctx.metrics.record_shards(totals.timings);
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

}  // namespace

}  // namespace stampede::server::api
