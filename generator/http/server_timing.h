// Parsing of the W3C Server-Timing response header
// (https://www.w3.org/TR/server-timing/): a comma-separated list of metrics, each
// `name *( OWS ";" OWS param [ "=" value ] )` where value is a token or a quoted string.
//
// Stampede only needs the shard entries a backend emits as `shard-<k>;dur=<ms>`; other
// metrics are skipped. Malformed entries are ignored (a header is advisory, never a
// reason to fail a request).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace stampede::http {

struct ShardTiming {
  int shard = 0;
  std::uint64_t dur_us = 0;  // `dur` (ms, possibly fractional) converted to microseconds
};

// Largest shard index accepted; larger indices are ignored so a hostile header cannot make
// the recorder allocate without bound.
inline constexpr int kMaxShardIndex = 1023;

// Appends the shard entries of one header value to `out` (which is not cleared). An entry
// without `dur` records 0 µs. Repeated headers: call once per header value.
void parse_shard_timings(std::string_view header_value, std::vector<ShardTiming>& out);

}  // namespace stampede::http
