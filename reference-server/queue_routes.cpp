#include "reference-server/queue_routes.h"

#include <cstdio>
#include <mutex>

#include "reference-server/grab_queue.h"

namespace stampede::server::queue_routes {

HttpResponse grab(const RouteContext& ctx, const GrabRequest& grab) {
  const GrabQueue::Answer answer = ctx.options.grab_queue->grab(grab);
  if (ctx.cache != nullptr && answer.queued) ctx.cache->after_grab(grab.coupon_id, grab.room_id, grab.user_id);
  const GrabOutcome& outcome = answer.outcome;
  JsonWriter w;
  w.begin_object();
  w.key("grab_status").value(outcome.success ? 1 : 0);
  w.key("fail_reason");
  if (outcome.fail_reason == FailReason::none) {
    w.null();
  } else {
    w.value(to_string(outcome.fail_reason));
  }
  w.key("remaining_stock").value(outcome.remaining_stock);
  w.key("result_id").null();
  w.key("shard").value(outcome.shard);
  w.key("user_id").value(grab.user_id);
  w.key("coupon_id").value(grab.coupon_id);
  w.key("room_id").value(grab.room_id);
  w.key("grab_time_ms").value(grab.grab_time_ms);
  w.key("queued").value(answer.queued);
  if (answer.queued) w.key("grab_id").value(answer.grab_id);
  w.end_object();
  HttpResponse response = make_written(w, {});
  if (answer.queued) {
    char timing[48];
    std::snprintf(timing, sizeof timing, "queue;dur=%.3f",
                  std::chrono::duration<double, std::milli>(answer.publish).count());
    response.server_timing = timing;
  }
  return response;
}

HttpResponse drain(const RouteContext& ctx) {
  if (ctx.options.grab_queue == nullptr) {
    return make_error(404, "no queue: this server writes grabs synchronously", {"start it with --write-path queue"});
  }
  std::shared_lock lock(ctx.reset_mutex);
  return make_json(200, ctx.options.grab_queue->drain_report());
}

}  // namespace stampede::server::queue_routes
