// The study the lab reproduces (issue #5): students measured hash and range sharding of the
// coupon scenario (scenarios/coupon.json) on AWS and found four directions. This is the one
// place that knows them: the coupon scenario's query endpoints, the expected directions and
// figures, and the texts that explain a direction that did not come out. The general
// comparison report (reporters/comparison.h) judges nothing; the lab appends these checks to
// it as a reporters::CheckSection, and every renderer prints them as they are.
//
// The report's user-visible words are kept from the first reports: the section is titled
// "Compared with the seed" (the seed project, whose students measured the study), its HTML
// anchor is "seed" and its JSON keys are seed_checks and seed_note (docs/lab.md).
//
// Pure functions of the Comparison: no I/O, no clock. Thread-safety: none needed (values).
#pragma once

#include <cstddef>
#include <string_view>

#include "reporters/comparison.h"

namespace stampede::lab {

// The study's two query endpoints in scenarios/coupon.json (both GET).
inline constexpr std::string_view kUserCouponsEndpoint = "/api/user/:id/coupons [Query Own]";
inline constexpr std::string_view kRoomOrdersEndpoint = "/api/room/:id/orders [Cross Shard]";

// Below this many users, hash sharding by user_id cannot spread writes evenly: each user is
// pinned to one shard, and the split follows how few users fell on each shard.
inline constexpr int kFewUsersForHash = 200;

// The study's checks on the runs of `c`: the query directions when a run has strategy (or,
// without one, label) hash and another range; each write direction when its own run is there.
// The note says what was left out and why (also when nothing could be checked).
reporters::CheckSection study_checks(const reporters::Comparison& c);

// The lab's report: appends study_checks(c) to c.check_sections, whatever it holds.
void add_study_checks(reporters::Comparison& c);

// `stampede compare`: appends them only when at least one check applies to these runs (a
// hash or range run of the coupon scenario), so a comparison of other runs says nothing
// about the study. Returns whether it did.
bool add_study_checks_if_they_apply(reporters::Comparison& c);

// The hash balance check's limit in percent for a run over `shards` shards: 1.2× the even
// share (the study's 30% over 4), i.e. 120 / shards; 30 when the shard count is unknown (0).
double hash_balance_limit_pct(std::size_t shards);

}  // namespace stampede::lab
