// What the native client makes of the bytes of one response, apart from the socket: the
// limits its Beast parser reads under, and the Exchange a parsed response becomes (status,
// body, Server-Timing shards). NativeConnection's read and on_response steps, as functions
// that need no connection, so the response fuzzer (fuzz/response_fuzz.cpp) can feed them
// bytes.
//
// Thread-safety: none needed (values in, values out).
#pragma once

#include <vector>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "generator/http/http_connection.h"
#include "generator/http/native_body.h"

namespace stampede::http {

using NativeResponseParser = boost::beast::http::response_parser<NativeBody>;

// Bodies up to the run's --max-body (`bodies`' limits; without an allowance the default,
// kDefaultMaxBodyBytes, and no memory limit), kept or only counted as `use` says; header
// blocks up to NativeConnection::kHeaderLimit; the response to a HEAD request has no body,
// whatever its Content-Length says. Call on a freshly constructed parser.
void prepare_response_parser(NativeResponseParser& parser, bool head, BodyAllowance* bodies = nullptr,
                             BodyUse use = BodyUse::kKeep);

// Parses what `buffer` holds into `parser` (the bytes it used are consumed) until the response
// is complete or the bytes run out (then more are to be read; ec stays clear). A malformed
// response or a refused body sets ec (Beast's http::error, or NativeBody's errors).
void parse_some(NativeResponseParser& parser, boost::beast::flat_buffer& buffer, boost::system::error_code& ec);

// The Exchange of a complete response: its status and body, `shards` (cleared, then
// filled from every Server-Timing header, in order) and the Server-Timing notes. The Exchange views `response` and
// `shards`, which must outlive it.
Exchange exchange_of(const NativeResponseParser::value_type& response, std::vector<ShardTiming>& shards);

}  // namespace stampede::http
