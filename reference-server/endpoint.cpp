#include "reference-server/endpoint.h"

#include "reference-server/path.h"

namespace stampede::server {

std::string_view endpoint_name(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::grab: return "grab";
    case Endpoint::user_coupons: return "user_coupons";
    case Endpoint::coupon_stock: return "coupon_stock";
    case Endpoint::room_stats: return "room_stats";
    case Endpoint::room_orders: return "room_orders";
    case Endpoint::recent_orders: return "recent_orders";
    case Endpoint::global_stats: return "global_stats";
    case Endpoint::admin_stats: return "admin_stats";
    case Endpoint::shards_status: return "shards_status";
    case Endpoint::admin_reset: return "admin_reset";
    case Endpoint::admin_shard_fault: return "admin_shard_fault";
    case Endpoint::admin_reshard: return "admin_reshard";
    case Endpoint::admin_queue: return "admin_queue";
    case Endpoint::health: return "health";
    case Endpoint::metrics: return "metrics";
    case Endpoint::not_found: return "not_found";
  }
  return "not_found";
}

Endpoint classify_path(std::string_view target) {
  const PathView path(target);
  const auto n = path.size();
  if (n == 1 && path[0] == "health") return Endpoint::health;
  if (n == 1 && path[0] == "metrics") return Endpoint::metrics;
  if (n >= 2 && path[0] == "api") {
    if (n == 3 && path[1] == "coupon" && path[2] == "grab") return Endpoint::grab;
    if (n == 4 && path[1] == "user" && path[3] == "coupons") return Endpoint::user_coupons;
    if (n == 4 && path[1] == "coupon" && path[3] == "stock") return Endpoint::coupon_stock;
    if (n == 4 && path[1] == "room" && path[3] == "stats") return Endpoint::room_stats;
    if (n == 4 && path[1] == "room" && path[3] == "orders") return Endpoint::room_orders;
    if (n == 3 && path[1] == "orders" && path[2] == "recent") return Endpoint::recent_orders;
    if (n == 3 && path[1] == "statistics" && path[2] == "global") return Endpoint::global_stats;
  }
  if (n >= 2 && path[0] == "admin") {
    if (n == 2 && path[1] == "stats") return Endpoint::admin_stats;
    if (n == 2 && path[1] == "reset") return Endpoint::admin_reset;
    if (n == 2 && path[1] == "reshard") return Endpoint::admin_reshard;
    if (n == 2 && path[1] == "queue") return Endpoint::admin_queue;
    if (n == 3 && path[1] == "shards" && path[2] == "status") return Endpoint::shards_status;
    if (n == 4 && path[1] == "shards" && (path[3] == "offline" || path[3] == "online")) {
      return Endpoint::admin_shard_fault;
    }
  }
  return Endpoint::not_found;
}

bool calls_store(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::health:
    case Endpoint::metrics:
    case Endpoint::admin_stats:
    case Endpoint::not_found: return false;
    default: return true;  // coupon_stock too: in-process for sqlite, but Redis for mysql
  }
}

}  // namespace stampede::server
