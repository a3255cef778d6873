// The deterministic data set generator (the seed's data_seeder.py, minus the minutes).
//
// generate_dataset() is pure: the same SeedConfig always gives the same Dataset, on any
// platform (own SplitMix64 generator, no std:: distributions, no wall clock: timestamps
// start at a fixed epoch). Defaults reproduce the seed's data set:
//   100,000 users: 70% normal, 25% VIP, 5% SVIP (drawn per user);
//   100 rooms, rooms 1..5 hot;
//   5 coupons per room (500): coupon c belongs to room (c-1)/5+1, so the hot-room client's
//   (room-1)*5+k is right;
//   stock uniform in [5,000, 20,000] in hot rooms and [500, 5,000] elsewhere;
//   one coupon_details row per coupon.
// Loading it into a store is Store::load(); seed_store() does both and records meta.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "reference-server/store.h"

namespace stampede::server {

struct SeedConfig {
  std::uint64_t seed = 42;
  std::int64_t users = 100'000;
  std::int64_t rooms = 100;
  std::int64_t hot_rooms = 5;  // rooms 1..hot_rooms
  std::int64_t coupons_per_room = 5;
  int normal_percent = 70;
  int vip_percent = 25;  // the rest are SVIP
  std::int64_t hot_stock_min = 5'000;
  std::int64_t hot_stock_max = 20'000;
  std::int64_t stock_min = 500;
  std::int64_t stock_max = 5'000;
  std::int64_t epoch_ms = 1'735'689'600'000;  // 2025-01-01T00:00:00Z: first created_at
};

// A human-readable problem, or nullopt when the config is usable.
std::optional<std::string> validate(const SeedConfig& config);

// Throws std::invalid_argument when validate() reports a problem.
Dataset generate_dataset(const SeedConfig& config);

// Generates and loads the data set, recording seed, sizes, strategy and shard count.
void seed_store(Store& store, const SeedConfig& config, Strategy strategy);

}  // namespace stampede::server
