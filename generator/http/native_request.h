// The bytes of one request as the native client sends it (NativeConnection): written by hand
// into a buffer the connection reuses, so a request costs no allocation once the buffer has
// grown to the largest request.
//
// Thread-safety: none needed (values in, a buffer out).
#pragma once

#include <string>
#include <string_view>

#include "scenarios/user_session.h"

namespace stampede::http::native {

// `out` (cleared first) becomes `request` as HTTP/1.1: the request line (target "/" when
// empty), `Host: host_header` unless the request has a Host header of its own, the request's
// header lines, Content-Length when there is a body or the method is POST, PUT or PATCH,
// then the body.
void serialize_request(const scenarios::RenderedRequest& request, std::string_view host_header, std::string& out);

}  // namespace stampede::http::native
