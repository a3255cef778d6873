#include "reference-server/seeder.h"

#include <stdexcept>

namespace stampede::server {

namespace {

// SplitMix64: tiny, fast, and fully specified, so data sets are identical everywhere.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi] (modulo bias below 2^-40 for the ranges used here).
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(next() % span);
  }

 private:
  std::uint64_t state_;
};

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

}  // namespace

std::optional<std::string> validate(const SeedConfig& c) {
  if (c.users < 1) return "users must be positive";
  if (c.rooms < 1) return "rooms must be positive";
  if (c.hot_rooms < 0 || c.hot_rooms > c.rooms) return "hot rooms must be within 0..rooms";
  if (c.coupons_per_room < 1) return "coupons per room must be positive";
  if (c.normal_percent < 0 || c.vip_percent < 0 || c.normal_percent + c.vip_percent > 100) {
    return "user level percentages must be >= 0 and sum to at most 100";
  }
  if (c.hot_stock_min < 0 || c.hot_stock_min > c.hot_stock_max) return "bad hot stock range";
  if (c.stock_min < 0 || c.stock_min > c.stock_max) return "bad stock range";
  return std::nullopt;
}

Dataset generate_dataset(const SeedConfig& c) {
  if (auto problem = validate(c)) throw std::invalid_argument("seed config: " + *problem);
  Dataset data;
  data.seed = c.seed;
  // Separate streams per table, so changing one size does not reshuffle the others.
  SplitMix64 user_rng(c.seed ^ 0x75736572ULL);
  SplitMix64 room_rng(c.seed ^ 0x726f6f6dULL);
  SplitMix64 coupon_rng(c.seed ^ 0x636f7570ULL);

  data.users.reserve(static_cast<std::size_t>(c.users));
  for (std::int64_t id = 1; id <= c.users; ++id) {
    const auto draw = static_cast<int>(user_rng.next() % 100);
    UserRow user;
    user.id = id;
    user.name = "user_" + std::to_string(id);
    user.level = draw < c.normal_percent                 ? UserLevel::normal
                 : draw < c.normal_percent + c.vip_percent ? UserLevel::vip
                                                           : UserLevel::svip;
    user.created_at_ms = c.epoch_ms + user_rng.between(0, 365 * kDayMs);
    data.users.push_back(std::move(user));
  }

  data.rooms.reserve(static_cast<std::size_t>(c.rooms));
  for (std::int64_t id = 1; id <= c.rooms; ++id) {
    RoomRow room;
    room.id = id;
    room.hot = id <= c.hot_rooms;
    room.title = (room.hot ? "Hot live room " : "Live room ") + std::to_string(id);
    room.streamer_id = room_rng.between(1, c.users);
    room.created_at_ms = c.epoch_ms + room_rng.between(0, 30 * kDayMs);
    data.rooms.push_back(std::move(room));
  }

  const std::int64_t coupons = c.rooms * c.coupons_per_room;
  data.coupons.reserve(static_cast<std::size_t>(coupons));
  data.details.reserve(static_cast<std::size_t>(coupons));
  static constexpr std::int64_t kAmounts[] = {500, 1000, 2000, 5000, 10000};
  for (std::int64_t id = 1; id <= coupons; ++id) {
    CouponRow coupon;
    coupon.id = id;
    coupon.room_id = (id - 1) / c.coupons_per_room + 1;
    const bool hot = coupon.room_id <= c.hot_rooms;
    coupon.total_stock = hot ? coupon_rng.between(c.hot_stock_min, c.hot_stock_max)
                             : coupon_rng.between(c.stock_min, c.stock_max);
    coupon.amount_cents = kAmounts[coupon_rng.next() % 5];
    coupon.min_spend_cents = coupon.amount_cents * coupon_rng.between(2, 10);
    coupon.name = std::to_string(coupon.amount_cents / 100) + " off coupon #" + std::to_string(id);
    coupon.start_ms = c.epoch_ms + coupon_rng.between(0, 30 * kDayMs);
    coupon.end_ms = coupon.start_ms + coupon_rng.between(1, 30) * kDayMs;
    CouponDetailRow detail;
    detail.coupon_id = id;
    detail.description = "Save " + std::to_string(coupon.amount_cents / 100) + " on orders over " +
                         std::to_string(coupon.min_spend_cents / 100) + " in live room " +
                         std::to_string(coupon.room_id) + ". Limited stock of " +
                         std::to_string(coupon.total_stock) + " units, first come first served.";
    detail.usage_rules =
        "One coupon per user. Valid for 7 days after grabbing. Not combinable with other "
        "offers. Applies to items sold in the issuing live room only.";
    data.coupons.push_back(std::move(coupon));
    data.details.push_back(std::move(detail));
  }
  return data;
}

void seed_store(Store& store, const SeedConfig& config, Strategy strategy) {
  const Dataset data = generate_dataset(config);
  StoreMeta meta;
  meta.seed = config.seed;
  meta.users = config.users;
  meta.rooms = config.rooms;
  meta.coupons = config.rooms * config.coupons_per_room;
  meta.strategy = std::string(to_string(strategy));
  meta.shard_count = store.shard_count();
  store.load(data, meta);
}

}  // namespace stampede::server
