// Who may use the /admin endpoints: a pure check of a request's method and four headers,
// no I/O. The router asks it before dispatching any /admin route.
//
// Every /admin route:
//   - Host must name this server: a loopback name or address (localhost, 127.x.x.x,
//     [::1]; any port) or one of `allowed_hosts` (the bind address, --allowed-host). A
//     missing Host is refused too. Stops DNS rebinding: a page on attacker.example whose
//     name later resolves to 127.0.0.1 still sends `Host: attacker.example`. -> 403
//   - An Origin header, when present, must be this server's own origin: http(s)://<Host>.
//     Browsers send it on cross-site POSTs and fetches; curl, the lab and Locust send
//     none. -> 403
//   - POST needs `Content-Type: application/json` (parameters allowed), also with an
//     empty body: an HTML form or a no-cors fetch cannot send that type without a CORS
//     preflight, which this server never answers. -> 415
// Every /admin route except the two the coupon study's load reads (GET /admin/stats,
// GET /admin/shards/status):
//   - `Authorization: Bearer <token>` with the server's token, compared in constant
//     time. Missing or wrong -> 401 (the router adds `WWW-Authenticate: Bearer`). An
//     empty `token` in the policy refuses every such request (fails closed).
//
// The checks run in that order; the first that fails is the answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reference-server/endpoint.h"

namespace stampede::server {

struct AdminPolicy {
  std::string token;                       // the Bearer token; empty: token routes always 401
  std::vector<std::string> allowed_hosts;  // besides loopback; lower case, no port, IPv6 in []
};

// The headers the guard reads; empty = absent.
struct AdminHeaders {
  std::string_view host;
  std::string_view origin;
  std::string_view content_type;
  std::string_view authorization;
};

enum class AdminAccess {
  none,   // not an /admin route
  open,   // /admin, readable without the token (Host and Origin still checked)
  token,  // /admin, needs the token
};
AdminAccess admin_access(Endpoint endpoint);

struct AdminRefusal {
  int status = 403;          // 401, 403 or 415
  std::string error;         // short, for {"error": ...}
  std::string detail;        // what to change, for {"details": [...]}
};

// nullopt: the request may proceed. `method` is the request's ("GET", "POST", ...).
std::optional<AdminRefusal> check_admin_request(const AdminPolicy& policy, Endpoint endpoint,
                                                std::string_view method, const AdminHeaders& headers);

// True when `host_header` ("name[:port]", "[v6]:port") names this server under `policy`.
bool host_allowed(const AdminPolicy& policy, std::string_view host_header);

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.x.x written as an IP literal (no brackets).
bool is_loopback_address(std::string_view address);

// An --allowed-host / bind value in the form host_allowed compares: lower case, IPv6
// addresses in brackets. nullopt when it is not a host name or IP address (a port, a
// scheme or a path are refused).
std::optional<std::string> normalize_allowed_host(std::string_view host);

// Equality whose time depends only on `expected`'s length, not on where `given` differs.
bool tokens_equal(std::string_view given, std::string_view expected);

}  // namespace stampede::server
