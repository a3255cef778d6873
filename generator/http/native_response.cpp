#include "generator/http/native_response.h"

#include <string_view>

#include "generator/http/native_connection.h"

namespace stampede::http {

void prepare_response_parser(NativeResponseParser& parser, bool head) {
  parser.body_limit(kMaxResponseBodyBytes);  // the limit both transports share
  parser.header_limit(NativeConnection::kHeaderLimit);
  if (head) parser.skip(true);
}

Exchange exchange_of(const NativeResponseParser::value_type& response, std::vector<ShardTiming>& shards) {
  shards.clear();
  for (auto [it, end] = response.equal_range("Server-Timing"); it != end; ++it) {
    const auto value = it->value();
    parse_shard_timings(std::string_view(value.data(), value.size()), shards);
  }
  Exchange exchange;
  exchange.status = response.result_int();
  exchange.body = response.body();
  exchange.shards = &shards;
  return exchange;
}

}  // namespace stampede::http
