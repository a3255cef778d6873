// The /admin routes' handlers: what the server is doing (stats, shard status), and what
// changes or scans the data (reset, fault injection, the resharding estimate). The router
// (router.h) runs the admin guard (admin_guard.h) and the method check before any of
// them; store errors propagate to it. No I/O of their own.
//
// /admin/shards/status shows each store file by its name in the data folder, never a full
// path, and a shard's error text with any path cut down to the file's name.
#pragma once

#include <string>
#include <string_view>

#include "reference-server/route_support.h"

namespace stampede::server::admin {

HttpResponse stats(const RouteContext& ctx);
HttpResponse shards_status(const RouteContext& ctx);
// Takes ctx.reset_mutex exclusively.
HttpResponse reset(const RouteContext& ctx);
HttpResponse shard_fault(const RouteContext& ctx, const HttpRequest& request);
HttpResponse reshard(const RouteContext& ctx, const HttpRequest& request);

// A store address as /admin/shards/status shows it: a file by its name ("shard-2.db"),
// host:port as it is.
std::string display_address(const std::string& address);

}  // namespace stampede::server::admin
