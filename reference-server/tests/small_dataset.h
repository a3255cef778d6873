// Test helper: a small data set whose coupons all hold the same stock.
#pragma once

#include <cstdint>

#include "reference-server/seeder.h"

namespace stampede::server::testing {

// `users` users and `rooms` rooms (1..hot_rooms hot) of 5 coupons each, every coupon (hot
// or not) seeded with `stock` units.
inline SeedConfig small_dataset(std::int64_t users, std::int64_t rooms, std::int64_t hot_rooms,
                                std::int64_t stock) {
  SeedConfig config;
  config.users = users;
  config.rooms = rooms;
  config.hot_rooms = hot_rooms;
  config.hot_stock_min = config.hot_stock_max = stock;
  config.stock_min = config.stock_max = stock;
  return config;
}

}  // namespace stampede::server::testing
