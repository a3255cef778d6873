// Following redirects as browsers do (the engine follows them per user, on either
// transport, so that both behave the same): which statuses redirect, where to (same origin
// only: the engine's connections all go to the run's base URL), and the method rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scenarios/user_session.h"

namespace stampede::http {

// 301, 302, 303, 307, 308.
bool is_redirect(long status);

// Rewrites `request` to follow a redirect with status `status` to `location`, the request
// having gone to `request.target` on `base_url` ("scheme://host[:port]"). 303 becomes GET
// (HEAD stays HEAD), and so does a POST redirected by 301 or 302; a GET drops the body and
// its Content-Type. Returns an error text when the redirect cannot be followed (another
// origin, an empty Location), else std::nullopt.
std::optional<std::string> follow_redirect(scenarios::RenderedRequest& request, long status,
                                           std::string_view location, std::string_view base_url);

}  // namespace stampede::http
