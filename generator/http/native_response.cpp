#include "generator/http/native_response.h"

#include <string_view>

#include <boost/beast/http/error.hpp>

#include "generator/http/native_connection.h"

namespace stampede::http {

void prepare_response_parser(NativeResponseParser& parser, bool head, BodyAllowance* bodies, BodyUse use) {
  // The limit both transports share. Beast refuses a larger Content-Length before reading
  // the body; the ResponseBody refuses a larger body of unannounced length, and one the
  // memory limit has no room for.
  parser.body_limit(bodies != nullptr ? bodies->limits().max_body_bytes() : kDefaultMaxBodyBytes);
  parser.header_limit(NativeConnection::kHeaderLimit);
  parser.get().body().start(bodies, use);
  if (head) parser.skip(true);
  parser.eager(true);  // a body that arrived with the head is parsed in the same call
}

void parse_some(NativeResponseParser& parser, boost::beast::flat_buffer& buffer, boost::system::error_code& ec) {
  ec = {};
  while (buffer.size() > 0 && !parser.is_done()) {
    const std::size_t used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == boost::beast::http::error::need_more) {
      ec = {};
      return;
    }
    if (ec || used == 0) return;
  }
}

Exchange exchange_of(const NativeResponseParser::value_type& response, std::vector<ShardTiming>& shards) {
  shards.clear();
  Exchange exchange;
  for (auto [it, end] = response.equal_range("Server-Timing"); it != end; ++it) {
    const auto value = it->value();
    parse_server_timing(std::string_view(value.data(), value.size()), shards, exchange.server_timing);
  }
  exchange.status = response.result_int();
  exchange.body = response.body().kept();
  exchange.body_bytes = response.body().received();
  exchange.shards = &shards;
  return exchange;
}

}  // namespace stampede::http
