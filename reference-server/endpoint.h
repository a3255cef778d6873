// The API's endpoints, classified from method + target without any I/O. Shared by the
// router (dispatch), the metrics (labels) and the HTTP server (which endpoints must run
// on the worker pool because they call the store).
#pragma once

#include <cstddef>
#include <string_view>

namespace stampede::server {

enum class Endpoint : int {
  grab,
  user_coupons,
  coupon_stock,
  room_stats,
  room_orders,
  recent_orders,
  global_stats,
  admin_stats,
  shards_status,
  admin_reset,
  admin_shard_fault,
  admin_reshard,
  admin_queue,
  health,
  metrics,
  not_found,
};
inline constexpr std::size_t kEndpointCount = static_cast<std::size_t>(Endpoint::not_found) + 1;

// Stable label, e.g. "grab", "user_coupons"; used in /metrics and /admin/stats.
std::string_view endpoint_name(Endpoint endpoint);

// The endpoint a request path addresses (ignores the query string and the method; a wrong
// method is answered with 405 by the router).
Endpoint classify_path(std::string_view target);

// True when answering may block on the store (disk or network): run it off the event loop.
bool calls_store(Endpoint endpoint);

}  // namespace stampede::server
