// What the native client makes of the bytes of one response, apart from the socket: the
// limits its Beast parser reads under, and the Exchange a parsed response becomes (status,
// body, Server-Timing shards). NativeConnection's read and on_response steps, as functions
// that need no connection, so the response fuzzer (fuzz/response_fuzz.cpp) can feed them
// bytes.
//
// Thread-safety: none needed (values in, values out).
#pragma once

#include <vector>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "generator/http/http_connection.h"

namespace stampede::http {

using NativeResponseParser = boost::beast::http::response_parser<boost::beast::http::string_body>;

// Bodies up to kMaxResponseBodyBytes, header blocks up to NativeConnection::kHeaderLimit;
// the response to a HEAD request has no body, whatever its Content-Length says.
void prepare_response_parser(NativeResponseParser& parser, bool head);

// The Exchange of a complete response: its status and body, and `shards` (cleared, then
// filled from every Server-Timing header, in order). The Exchange views `response` and
// `shards`, which must outlive it.
Exchange exchange_of(const NativeResponseParser::value_type& response, std::vector<ShardTiming>& shards);

}  // namespace stampede::http
