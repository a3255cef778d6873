// The router's handlers for the queued write path (grab_queue.h): the grab's answer when
// RouterOptions::grab_queue is set, and GET /admin/queue (the drain proof). No I/O of their
// own; store and queue errors propagate to the router (503/500), as in api_routes.h.
#pragma once

#include "reference-server/route_support.h"

namespace stampede::server::queue_routes {

// The sync answer's fields (api_routes.cpp) with `result_id` null (the row is written
// later by a consumer) plus `"queued": true|false` and, when queued, `grab_id`; its
// Server-Timing is `queue;dur=<publish + confirm ms>` when queued.
HttpResponse grab(const RouteContext& ctx, const GrabRequest& grab);

// GET /admin/queue: 404 on the sync write path, else GrabQueue::drain_report().
HttpResponse drain(const RouteContext& ctx);

}  // namespace stampede::server::queue_routes
