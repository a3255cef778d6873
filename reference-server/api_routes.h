// The coupon API's handlers (the /api routes): validate the request, route to shards
// (routing.h), call the store, answer JSON with Server-Timing. The router (router.h) has
// already checked the method and the body size; store errors propagate to it, which turns
// them into 503/500 answers. No I/O of their own.
#pragma once

#include "reference-server/route_support.h"

namespace stampede::server::api {

HttpResponse grab(const RouteContext& ctx, const HttpRequest& request);
HttpResponse user_coupons(const RouteContext& ctx, const HttpRequest& request);
HttpResponse coupon_stock(const RouteContext& ctx, const HttpRequest& request);
HttpResponse room_stats(const RouteContext& ctx, const HttpRequest& request);
HttpResponse room_orders(const RouteContext& ctx, const HttpRequest& request);
HttpResponse recent_orders(const RouteContext& ctx, const HttpRequest& request);
HttpResponse global_stats(const RouteContext& ctx);

}  // namespace stampede::server::api
