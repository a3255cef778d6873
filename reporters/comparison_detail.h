// Internal to the comparison report: the steps of build_comparison that live in their own
// files. Not part of the library's public API.
#pragma once

#include <cstddef>
#include <string_view>

#include "reporters/comparison.h"

namespace stampede::reporters::detail {

// The seed's two query endpoints in scenarios/coupon.json (both GET).
inline constexpr std::string_view kUserCouponsEndpoint = "/api/user/:id/coupons [Query Own]";
inline constexpr std::string_view kRoomOrdersEndpoint = "/api/room/:id/orders [Cross Shard]";

// Endpoint p95 ratios below this are not worth a sentence in the reading.
inline constexpr double kNotableRatio = 1.25;
// A write endpoint's hot shard is worth a sentence this many percentage points above 1/N.
inline constexpr double kNotableSkewPoints = 10;
// Endpoints with fewer requests than this in a run are left out of the reading: a p95 of
// fewer samples is a handful of slow requests, not a property of the strategy.
inline constexpr std::uint64_t kMinRequestsForReading = 50;
// Below this many users, hash sharding by user_id cannot spread writes evenly: each user is
// pinned to one shard, and the split follows how few users fell on each shard.
inline constexpr int kFewUsersForHash = 200;

// Fills Comparison::reading from the numbers already in the model.
void add_reading(Comparison& c);
// Fills Comparison::seed_checks / seed_note (the four directions of issue #5). The write
// directions need only their own run (hash or range), the query directions both.
void add_seed_checks(Comparison& c);
// The hash balance check's limit in percent for a run over `shards` shards: 1.2× the even
// share (the seed's 30% over 4), i.e. 120 / shards; 30 when the shard count is unknown (0).
double hash_balance_limit_pct(std::size_t shards);

// Index of the run whose strategy (else label) is `name`, or -1.
int find_run(const Comparison& c, std::string_view name);
// Index of the endpoint row (method, name), or -1.
int find_endpoint(const Comparison& c, std::string_view method, std::string_view name);

}  // namespace stampede::reporters::detail
