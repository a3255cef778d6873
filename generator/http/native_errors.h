// What the native client calls a failed operation (NativeConnection, native_connection.h):
// the phase it failed in and the error code become the TransportError the failures table
// shows, with the same names as the curl transport's; and which errors of a reused
// keep-alive connection mean the server closed it while idle (sent once more, not a failure).
// Only on the failure path.
//
// Thread-safety: none needed (values in, values out).
#pragma once

#include <boost/system/error_code.hpp>

#include "generator/http/transport_error.h"

namespace stampede::http::native {

enum class Phase { kConnect, kHandshake, kWrite, kRead };

// The failure of `phase` with `ec` (or its deadline passed: `timed_out`). TLS failures that
// name their host are the connection's (tls_client.h's verify_failure), not made here.
TransportError describe(const boost::system::error_code& ec, Phase phase, bool timed_out);

// The server closed a kept-alive connection before answering (idle timeout race): reset,
// EOF, a broken pipe, an empty reply, a TLS stream cut without close_notify.
bool closed_while_idle(const boost::system::error_code& ec);

}  // namespace stampede::http::native
