#include "reference-server/store.h"

#include <algorithm>
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

Fanout<std::vector<ResultRow>> merge_newest_first(Fanout<std::vector<std::vector<ResultRow>>>&& parts,
                                                  int limit) {
  Fanout<std::vector<ResultRow>> out;
  out.timings = std::move(parts.timings);
  for (const auto& part : parts.value) out.value.insert(out.value.end(), part.begin(), part.end());
  std::sort(out.value.begin(), out.value.end(), [](const ResultRow& a, const ResultRow& b) {
    if (a.grab_time_ms != b.grab_time_ms) return a.grab_time_ms > b.grab_time_ms;
    if (a.shard != b.shard) return a.shard < b.shard;
    return a.result_id > b.result_id;
  });
  const auto most = static_cast<std::size_t>(std::max(limit, 0));
  if (out.value.size() > most) out.value.resize(most);
  return out;
}

Fanout<std::vector<CouponCounts>> merge_coupon_counts(
    const std::vector<std::int64_t>& room_coupon_ids,
    Fanout<std::vector<std::vector<CouponCounts>>>&& parts) {
  std::map<std::int64_t, CouponCounts> merged;
  for (auto id : room_coupon_ids) merged[id] = {id, 0, 0};
  for (const auto& part : parts.value) {
    for (const auto& c : part) {
      CouponCounts& m = merged.try_emplace(c.coupon_id, CouponCounts{c.coupon_id, 0, 0}).first->second;
      m.grabs += c.grabs;
      m.successes += c.successes;
    }
  }
  Fanout<std::vector<CouponCounts>> out;
  out.timings = std::move(parts.timings);
  out.value.reserve(merged.size());
  for (const auto& [id, c] : merged) out.value.push_back(c);
  return out;
}

Fanout<ResultKeyCounts> merge_key_counts(Fanout<std::vector<ResultKeyCounts>>&& parts) {
  Fanout<ResultKeyCounts> out;
  for (auto& part : parts.value) out.value.append(std::move(part));
  out.timings = std::move(parts.timings);
  return out;
}

MetaEntries to_meta_entries(const StoreMeta& meta) {
  return {{"seed", std::to_string(meta.seed)},
          {"users", std::to_string(meta.users)},
          {"rooms", std::to_string(meta.rooms)},
          {"coupons", std::to_string(meta.coupons)},
          {"strategy", meta.strategy},
          {"shard_count", std::to_string(meta.shard_count)}};
}

std::optional<StoreMeta> parse_meta(const MetaEntries& rows) {
  if (rows.empty()) return std::nullopt;
  StoreMeta meta;
  for (const auto& [key, value] : rows) {
    try {
      if (key == "seed") meta.seed = std::stoull(value);
      if (key == "users") meta.users = std::stoll(value);
      if (key == "rooms") meta.rooms = std::stoll(value);
      if (key == "coupons") meta.coupons = std::stoll(value);
      if (key == "strategy") meta.strategy = value;
      if (key == "shard_count") meta.shard_count = std::stoi(value);
    } catch (const std::exception&) {
      throw StoreError("stampede_meta: bad value for " + key + ": " + value);
    }
  }
  return meta;
}

void Store::set_shard_offline(int shard, bool) {
  throw StoreError("the " + std::string(kind()) + " store has no fault injection (shard " +
                   std::to_string(shard) + ")");
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

void CatalogIndex::add_user(std::int64_t user_id) {
  if (user_id < 1) return;
  const auto slot = static_cast<std::size_t>(user_id);
  if (slot >= users.size()) users.resize(slot + 1, 0);
  users[slot] = 1;
}

void CatalogIndex::add_room(std::int64_t room_id, bool hot) {
  if (room_id < 1) return;
  const auto slot = static_cast<std::size_t>(room_id);
  if (slot >= rooms.size()) rooms.resize(slot + 1);
  rooms[slot] = RoomInfo{room_id, hot, {}};
}

bool CatalogIndex::add_coupon(std::int64_t coupon_id, std::int64_t room_id, std::int64_t total_stock) {
  if (coupon_id < 1) return false;
  const auto slot = static_cast<std::size_t>(coupon_id);
  if (slot >= coupons.size()) coupons.resize(slot + 1);
  coupons[slot] = CouponInfo{coupon_id, room_id, total_stock};
  if (room_id >= 1 && static_cast<std::size_t>(room_id) < rooms.size() &&
      rooms[static_cast<std::size_t>(room_id)].room_id == room_id) {
    rooms[static_cast<std::size_t>(room_id)].coupon_ids.push_back(coupon_id);
  }
  return true;
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
