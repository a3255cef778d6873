// Shard routing for coupon_results: pure functions, no I/O, no clock.
//
// Three strategies (the seed's experiments plus the handover guide's time variant):
//
//   hash  : a result lives on shard user_id mod N.
//   range : by room_id in contiguous ranges. By default the rooms 1..room_count are split
//           evenly (100 rooms / 4 shards: rooms 1-25 -> shard 0, 26-50 -> 1, ...), so all
//           hot rooms (1-5) share shard 0, as in the seed's range experiment. Explicit
//           boundaries can be given (first room of shards 1..N-1).
//   time  : by grab_time in contiguous buckets of `time_bucket` (default 1 h). Bucket b
//           (b = floor(grab_time / time_bucket), counted from the Unix epoch) lives on
//           shard b mod N, so the shards take turns: the current bucket's shard takes
//           every write, and a query over the last h hours needs only the shards of the
//           buckets that overlap [now - h, now].
//
// Which shards a read needs:
//   user queries   : 1 shard under hash, all under range/time.
//   room queries   : 1 shard under range, all under hash/time.
//   recent orders  : the covering buckets' shards under time, all under hash/range.
//
// Shard lists are returned sorted ascending without duplicates. Room ids outside the
// configured range are clamped to the first/last shard (the caller validates ids against
// the catalog before routing). All functions are thread-safe (they only read `config`).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::server {

enum class Strategy { hash, range, time };

// "hash" | "range" | "time"; nullopt for anything else.
std::optional<Strategy> parse_strategy(std::string_view text);
std::string_view to_string(Strategy strategy);

using ShardList = std::vector<int>;

struct RoutingConfig {
  Strategy strategy = Strategy::hash;
  int shard_count = 4;             // N >= 1
  std::int64_t room_count = 100;   // rooms are 1..room_count (range strategy)
  // Range strategy: first room id of shard 1, 2, ..., N-1 (ascending, size N-1).
  // Empty means an even split of 1..room_count.
  std::vector<std::int64_t> range_starts;
  // Time strategy: bucket length; must be > 0.
  std::chrono::milliseconds time_bucket = std::chrono::hours(1);
};

// Checks a config; returns a human-readable problem or nullopt when valid.
std::optional<std::string> validate(const RoutingConfig& config);


// The shard that stores a new result. grab_time_ms is milliseconds since the Unix epoch.
int shard_for_write(const RoutingConfig& config, std::int64_t user_id, std::int64_t room_id,
                    std::int64_t grab_time_ms);

// Range strategy helper (also meaningful for docs/tests under other strategies).
int shard_for_room(const RoutingConfig& config, std::int64_t room_id);

ShardList all_shards(const RoutingConfig& config);
ShardList shards_for_user_query(const RoutingConfig& config, std::int64_t user_id);
ShardList shards_for_room_query(const RoutingConfig& config, std::int64_t room_id);
// Orders with grab_time in [now_ms - window_ms, now_ms].
ShardList shards_for_recent_query(const RoutingConfig& config, std::int64_t now_ms,
                                  std::int64_t window_ms);

}  // namespace stampede::server
