#include "reference-server/store.h"

#include <map>

namespace stampede::server {

std::string_view to_string(FailReason reason) {
  switch (reason) {
    case FailReason::none: return "none";
    case FailReason::out_of_stock: return "out_of_stock";
    case FailReason::duplicate: return "duplicate";
  }
  return "none";
}

std::vector<CouponCounts> merge_coupon_counts(const std::vector<std::int64_t>& room_coupon_ids,
                                              const std::vector<std::vector<CouponCounts>>& parts) {
  std::map<std::int64_t, CouponCounts> merged;
  for (auto id : room_coupon_ids) merged[id] = {id, 0, 0};
  for (const auto& part : parts) {
    for (const auto& c : part) {
      CouponCounts& m = merged.try_emplace(c.coupon_id, CouponCounts{c.coupon_id, 0, 0}).first->second;
      m.grabs += c.grabs;
      m.successes += c.successes;
    }
  }
  std::vector<CouponCounts> out;
  out.reserve(merged.size());
  for (const auto& [id, c] : merged) out.push_back(c);
  return out;
}

bool CatalogIndex::user_exists(std::int64_t user_id) const {
  return user_id >= 1 && static_cast<std::uint64_t>(user_id) < users.size() &&
         users[static_cast<std::size_t>(user_id)] != 0;
}

std::optional<CouponInfo> CatalogIndex::find_coupon(std::int64_t coupon_id) const {
  if (coupon_id < 1 || static_cast<std::uint64_t>(coupon_id) >= coupons.size()) return std::nullopt;
  const auto& info = coupons[static_cast<std::size_t>(coupon_id)];
  if (info.coupon_id != coupon_id) return std::nullopt;
  return info;
}

std::optional<RoomInfo> CatalogIndex::find_room(std::int64_t room_id) const {
  if (room_id < 1 || static_cast<std::uint64_t>(room_id) >= rooms.size()) return std::nullopt;
  const auto& info = rooms[static_cast<std::size_t>(room_id)];
  if (info.room_id != room_id) return std::nullopt;
  return info;
}

void ResultKeyCounts::append(ResultKeyCounts&& part) {
  // Moved, not copied, when this side is still empty (the first shard's part).
  auto add = [](std::vector<KeyCount>& to, std::vector<KeyCount>&& from) {
    if (to.empty()) {
      to = std::move(from);
    } else {
      to.insert(to.end(), from.begin(), from.end());
    }
  };
  add(by_user, std::move(part.by_user));
  add(by_room, std::move(part.by_room));
  add(by_time_bucket, std::move(part.by_time_bucket));
}

}  // namespace stampede::server
