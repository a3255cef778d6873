// The seeds' read-scaling checks (issue 16), shown by variant_checks.h only when the variants
// differ in the switch they are about, each with the seed's own number beside ours:
//
//  * the cache (--cache): each cached variant against the first variant without a cache — the
//    read p95 of stock and room stats at least 3× lower (issue 16's goal; seed 002 only says a
//    cache answers "up to 100× faster" than the database), and the hot rooms' stats answered
//    from the cache more than 90% of the time (Server-Timing cache;desc=hit);
//  * the replicas (--read-from): each variant reading from replicas against the first reading
//    from the primaries — the shard reads' p95 lower (seed 001: "read latency 50–100 ms →
//    20–40 ms" with 2 replicas) and the grab's p95 about the same (seed 001: "write latency
//    same").
//
// Pure: the numbers come from the Comparison; `servers` are the variants' servers in run
// order (variant_checks.h).
#pragma once

#include <vector>

#include "lab/variant_checks.h"
#include "reporters/comparison.h"

namespace stampede::lab {

// How much lower a cached read's p95 must be (issue 16), and the hot rooms' hit ratio.
inline constexpr double kCacheP95Factor = 3.0;
inline constexpr double kCacheHotHitPct = 90.0;
// A grab's p95 reading from replicas counts as "the same" within this factor of the primary's.
inline constexpr double kSameWriteFactor = 1.5;

reporters::CheckSection cache_checks(const reporters::Comparison& c, const std::vector<VariantServer>& servers);
reporters::CheckSection replica_checks(const reporters::Comparison& c, const std::vector<VariantServer>& servers);

}  // namespace stampede::lab
