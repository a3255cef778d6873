// Parsing of the W3C Server-Timing response header
// (https://www.w3.org/TR/server-timing/): a comma-separated list of metrics, each
// `name *( OWS ";" OWS param [ "=" value ] )` where value is a token or a quoted string.
//
// Stampede reads three kinds of metric and skips the others:
//   `shard-<k>;dur=<ms>`   a shard the request touched and its time (per-shard statistics);
//   `cache;desc=hit|miss`  whether the backend answered from its cache (hit ratio);
//   `srv-<i>`              which server answered (e.g. behind a load balancer).
// Malformed entries are ignored (a header is advisory, never a reason to fail a request).
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

// What a response's Server-Timing said besides its shards.
enum class CacheOutcome : std::uint8_t { kNone, kHit, kMiss };
struct ServerTimingNotes {
  // `cache;desc=hit` or `desc=miss` (value case-insensitive, quoted or not); the first
  // `cache` metric with either decides. kNone: no such metric (or another desc).
  CacheOutcome cache = CacheOutcome::kNone;
  int server = -1;  // `srv-<i>`, 0 <= i <= kMaxServerIndex: the first; -1 when none
};

// Largest `srv-<i>` index accepted (as results::kMaxServers - 1); larger ones are ignored.
inline constexpr int kMaxServerIndex = 1023;

// Appends the shard entries of one header value to `shards` (which is not cleared) and sets
// what `notes` has not set yet. An entry without `dur` records 0 µs. Repeated headers: call
// once per header value, in order, with the same `notes` (reset it per response).
void parse_server_timing(std::string_view header_value, std::vector<ShardTiming>& shards, ServerTimingNotes& notes);

// The shard entries only.
void parse_shard_timings(std::string_view header_value, std::vector<ShardTiming>& out);

}  // namespace stampede::http
