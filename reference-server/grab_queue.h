// The seam of the queued write path (`--write-path queue`): what the router asks of it.
// The router knows only this interface (RouterOptions::grab_queue); the implementation on
// RabbitMQ + Redis + the MariaDB shards is QueueWritePath (queue_write_path.h), built with
// the mysql store.
//
// grab(): takes the stock in Redis (one Lua script: no oversell, one win per user and
// coupon), publishes a successful grab as a persistent message to a durable queue with
// publisher confirms, and returns once the broker confirmed it. A failed grab (duplicate,
// out of stock) is answered from Redis alone: nothing is queued, no row is written. The
// result row is written later by a consumer; Answer::outcome.result_id is 0.
// Errors: DependencyUnavailable("grab queue (rabbitmq)") when the broker cannot be reached
// or does not confirm (the stock is given back first: never a lost grab),
// DependencyUnavailable(kRedisDependency) when Redis is down, StoreError otherwise.
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "reference-server/store.h"

namespace stampede::server {

// How a client is told the broker is down (DependencyUnavailable::dependency()).
inline constexpr const char* kQueueDependency = "grab queue (rabbitmq)";

class GrabQueue {
 public:
  struct Answer {
    GrabOutcome outcome;  // success, fail_reason, remaining_stock, shard (no row yet)
    bool queued = false;  // published and confirmed
    std::string grab_id;  // when queued
    std::chrono::nanoseconds publish{0};  // publish + confirm (Server-Timing `queue;dur=`)
  };

  virtual ~GrabQueue() = default;

  virtual Answer grab(const GrabRequest& request) = 0;
  // Cheap (counters only; may run on an event loop): the /admin/stats "queue" object.
  virtual nlohmann::json stats() const = 0;
  // Cheap: Prometheus text appended to /metrics.
  virtual std::string prometheus_text() const = 0;
  // Blocking (asks the broker, Redis and every shard): GET /admin/queue, the drain proof.
  virtual nlohmann::json drain_report() = 0;
};

}  // namespace stampede::server
