// The resharding estimate: how many coupon_results rows would move if the shard count
// went from N (config.shard_count) to K, under each strategy. Pure functions: counts in,
// estimate out; no I/O, no clock.
//
// The row keys (user_id, room_id, grab_time_ms) do not depend on which strategy stored the
// rows, so one set of counts (Store::result_key_counts) answers for all three strategies.
// Each estimate places the rows as that strategy would with N shards (`rows_before`) and
// after the move to K shards (`rows_after`); `moved` counts rows whose shard differs.
//
// The move assumed per strategy (the realistic way each scheme grows):
//
//   hash  : user_id mod N -> user_id mod K. A row moves when the two differ (for users
//           spread evenly, about 1 - 1/K of the rows when K = N+1 -- counted here, not
//           assumed). `jump_hash_moved` is what jump consistent hashing (Lamping & Veach,
//           2014) of user_id would move between N and K buckets: about |K-N|/max(N,K).
//   range : K > N: split ONE range per new shard, K-N times. Each split takes the
//           splittable range (two rooms or more) holding the most rows (ties: more rooms,
//           then the lower shard), cuts it at the room boundary whose lower part is
//           closest to half its rows (ties: the cut moving fewer rows, then the cut
//           closest to the middle room), and moves the upper rooms to the new shard
//           (numbered N, N+1, ...). A row moved twice counts once. When no range can be
//           split the new shard stays empty. K < N: the ranges of shards K..N-1 merge into
//           shard K-1 (ranges are in shard order), their rows move.
//           Rooms are 1..max(room_count, last range start, largest room with rows); room
//           ids below 1 count as room 1 (and above room_count as room_count under the
//           even split), as shard_for_room clamps them.
//   time  : bucket b -> shard b mod N becomes b mod K: `moved` counts the stored rows whose
//           bucket changes shard. A time scheme that applies the new layout only to buckets
//           after the change (old buckets stay) moves none: `moved_if_only_new_data` = 0.
//
// K == N moves nothing. Errors: estimate_reshard throws std::invalid_argument for a bad K
// (see check_reshard_target) or an invalid config (routing.h validate()).
// Thread-safety: all functions are pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "reference-server/routing.h"
#include "reference-server/store.h"

namespace stampede::server {

inline constexpr int kMaxReshardTarget = 64;

// One cut of a range (range strategy): rooms first_room..last_room left shard from_shard
// for shard to_shard, taking `rows` rows with them.
struct RangeSplit {
  int from_shard = 0;
  int to_shard = 0;
  std::int64_t first_room = 0;
  std::int64_t last_room = 0;
  std::int64_t rows = 0;
};

struct ReshardEstimate {
  Strategy strategy = Strategy::hash;
  int from_shards = 0;
  int to_shards = 0;
  std::int64_t rows = 0;   // rows counted
  std::int64_t moved = 0;  // rows whose shard changes
  std::string how;         // one plain-language sentence
  std::vector<std::int64_t> rows_before;  // per shard, size from_shards
  std::vector<std::int64_t> rows_after;   // per shard, size to_shards

  std::optional<std::int64_t> jump_hash_moved;         // hash only
  std::vector<RangeSplit> splits;                      // range only (K > N), in order
  std::optional<std::int64_t> moved_if_only_new_data;  // time only (always 0)
  std::string note;                                    // optional caveat

  // moved / rows in 0..1 (0 when there are no rows).
  double moved_share() const;
};

// A problem with the target shard count K, or nullopt when 1 < K <= kMaxReshardTarget.
std::optional<std::string> check_reshard_target(std::int64_t to_shards);

// Jump consistent hash: the bucket in [0, buckets) of `key`; buckets >= 1.
int jump_consistent_hash(std::uint64_t key, int buckets);

ReshardEstimate estimate_hash(int from_shards, int to_shards, const std::vector<KeyCount>& by_user);
ReshardEstimate estimate_range(const RoutingConfig& config, int to_shards,
                               const std::vector<KeyCount>& by_room);
ReshardEstimate estimate_time(int from_shards, int to_shards, std::chrono::milliseconds time_bucket,
                              const std::vector<KeyCount>& by_time_bucket);

// hash, range, time (in that order) for N = config.shard_count -> K = to_shards.
std::vector<ReshardEstimate> estimate_reshard(const RoutingConfig& config, int to_shards,
                                              const ResultKeyCounts& counts);

// The estimate as in the README ("Resharding estimate"): strategy, from_shards, to_shards,
// rows, moved, moved_share, how, rows_before, rows_after, plus the per-strategy keys.
nlohmann::json to_json(const ReshardEstimate& estimate);

// "1h", "30m", "45s", "250ms": the largest whole unit.
std::string format_bucket(std::chrono::milliseconds bucket);

}  // namespace stampede::server
