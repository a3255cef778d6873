#include "reference-server/reshard.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <tuple>

namespace stampede::server {

namespace {

int positive_mod(std::int64_t value, int n) {
  const std::int64_t r = value % n;
  return static_cast<int>(r < 0 ? r + n : r);
}

std::string rooms_text(std::int64_t lo, std::int64_t hi) {
  if (lo == hi) return "room " + std::to_string(lo);
  return "rooms " + std::to_string(lo) + "-" + std::to_string(hi);
}

// A shard's contiguous rooms [lo, hi]; empty when lo > hi.
struct RoomRange {
  std::int64_t lo = 1;
  std::int64_t hi = 0;
  bool empty() const { return lo > hi; }
  std::int64_t rooms() const { return empty() ? 0 : hi - lo + 1; }
  bool contains(std::int64_t room) const { return room >= lo && room <= hi; }
};

using RoomRows = std::map<std::int64_t, std::int64_t>;  // room -> rows, rows > 0

std::int64_t rows_in(const RoomRows& rooms, const RoomRange& range) {
  if (range.empty()) return 0;
  std::int64_t sum = 0;
  for (auto it = rooms.lower_bound(range.lo); it != rooms.end() && it->first <= range.hi; ++it) {
    sum += it->second;
  }
  return sum;
}

// The shards' initial ranges as shard_for_room() defines them, over rooms 1..last_room.
std::vector<RoomRange> initial_ranges(const RoutingConfig& config, std::int64_t last_room) {
  const int n = config.shard_count;
  std::vector<RoomRange> ranges(static_cast<std::size_t>(n));
  if (config.range_starts.empty()) {
    const std::int64_t per_shard = (config.room_count + n - 1) / n;
    for (int k = 0; k < n; ++k) {
      RoomRange& r = ranges[static_cast<std::size_t>(k)];
      r.lo = k * per_shard + 1;
      r.hi = k == n - 1 ? last_room : std::min((k + 1) * per_shard, last_room);
    }
  } else {
    for (int k = 0; k < n; ++k) {
      RoomRange& r = ranges[static_cast<std::size_t>(k)];
      r.lo = k == 0 ? 1 : config.range_starts[static_cast<std::size_t>(k - 1)];
      r.hi = k == n - 1 ? last_room : config.range_starts[static_cast<std::size_t>(k)] - 1;
    }
  }
  return ranges;
}

struct Cut {
  std::int64_t first_upper = 0;  // first room of the part that moves
  std::int64_t lower_rows = 0;
  std::int64_t upper_rows = 0;
};

// The room boundary of `range` (two rooms or more) whose lower part is closest to half the
// rows; ties: fewer rows moved, then closest to the middle room.
Cut best_cut(const RoomRows& rooms, const RoomRange& range) {
  const std::int64_t total = rows_in(rooms, range);
  const std::int64_t mid = range.lo + range.rooms() / 2;
  Cut best;
  auto key = [&](std::int64_t s, std::int64_t lower) {
    return std::make_tuple(std::llabs(2 * lower - total), total - lower, std::llabs(s - mid));
  };
  bool have = false;
  // Cuts s in [a, b] all leave `lower` rows below; the best of them is the one nearest mid.
  auto consider = [&](std::int64_t a, std::int64_t b, std::int64_t lower) {
    if (a > b) return;
    const std::int64_t s = std::clamp(mid, a, b);
    if (!have || key(s, lower) < key(best.first_upper, best.lower_rows)) {
      best = Cut{s, lower, total - lower};
      have = true;
    }
  };
  std::int64_t a = range.lo + 1;
  std::int64_t lower = 0;
  for (auto it = rooms.lower_bound(range.lo); it != rooms.end() && it->first <= range.hi; ++it) {
    consider(a, it->first, lower);
    lower += it->second;
    a = it->first + 1;
  }
  consider(a, range.hi, lower);
  return best;
}

}  // namespace

double ReshardEstimate::moved_share() const {
  return rows <= 0 ? 0.0 : static_cast<double>(moved) / static_cast<double>(rows);
}

std::optional<std::string> check_reshard_target(std::int64_t to_shards) {
  if (to_shards <= 1 || to_shards > kMaxReshardTarget) {
    return "to: expected a shard count with 1 < K <= " + std::to_string(kMaxReshardTarget) +
           ", got " + std::to_string(to_shards);
  }
  return std::nullopt;
}

int jump_consistent_hash(std::uint64_t key, int buckets) {
  std::int64_t b = -1;
  std::int64_t j = 0;
  while (j < buckets) {
    b = j;
    key = key * 2862933555777941757ULL + 1;
    j = static_cast<std::int64_t>(static_cast<double>(b + 1) *
                                  (static_cast<double>(1LL << 31) / static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<int>(b);
}

ReshardEstimate estimate_hash(int from_shards, int to_shards, const std::vector<KeyCount>& by_user) {
  ReshardEstimate e;
  e.strategy = Strategy::hash;
  e.from_shards = from_shards;
  e.to_shards = to_shards;
  e.rows_before.assign(static_cast<std::size_t>(from_shards), 0);
  e.rows_after.assign(static_cast<std::size_t>(to_shards), 0);
  std::int64_t jump_moved = 0;
  for (const auto& [user, rows] : by_user) {
    const int before = positive_mod(user, from_shards);
    const int after = positive_mod(user, to_shards);
    e.rows += rows;
    e.rows_before[static_cast<std::size_t>(before)] += rows;
    e.rows_after[static_cast<std::size_t>(after)] += rows;
    if (before != after) e.moved += rows;
    const auto key = static_cast<std::uint64_t>(user);
    if (jump_consistent_hash(key, from_shards) != jump_consistent_hash(key, to_shards)) {
      jump_moved += rows;
    }
  }
  e.jump_hash_moved = jump_moved;
  e.how = "user_id mod " + std::to_string(from_shards) + " -> user_id mod " + std::to_string(to_shards);
  return e;
}

ReshardEstimate estimate_range(const RoutingConfig& config, int to_shards,
                               const std::vector<KeyCount>& by_room) {
  const int n = config.shard_count;
  ReshardEstimate e;
  e.strategy = Strategy::range;
  e.from_shards = n;
  e.to_shards = to_shards;

  std::int64_t max_room = 1;
  for (const auto& kc : by_room) max_room = std::max(max_room, kc.key);
  std::int64_t last_room = config.room_count;
  if (!config.range_starts.empty()) {
    last_room = std::max({last_room, config.range_starts.back(), max_room});
  }
  RoomRows rooms;
  for (const auto& [room, rows] : by_room) {
    if (rows <= 0) continue;
    rooms[std::clamp<std::int64_t>(room, 1, last_room)] += rows;
    e.rows += rows;
  }

  const std::vector<RoomRange> before = initial_ranges(config, last_room);
  std::vector<RoomRange> after = before;
  std::vector<std::string> steps;
  if (to_shards > n) {
    for (int target = n; target < to_shards; ++target) {
      int pick = -1;
      std::int64_t pick_rows = -1;
      for (int k = 0; k < static_cast<int>(after.size()); ++k) {
        const RoomRange& r = after[static_cast<std::size_t>(k)];
        if (r.rooms() < 2) continue;
        const std::int64_t rows = rows_in(rooms, r);
        if (pick < 0 || rows > pick_rows ||
            (rows == pick_rows && r.rooms() > after[static_cast<std::size_t>(pick)].rooms())) {
          pick = k;
          pick_rows = rows;
        }
      }
      if (pick < 0) {
        steps.push_back("no range has two rooms left to split: shard " + std::to_string(target) +
                        " stays empty");
        after.push_back(RoomRange{});
        continue;
      }
      RoomRange& from = after[static_cast<std::size_t>(pick)];
      const Cut cut = best_cut(rooms, from);
      const RoomRange moved{cut.first_upper, from.hi};
      steps.push_back("split shard " + std::to_string(pick) + " (" + rooms_text(from.lo, from.hi) +
                      ") at room " + std::to_string(cut.first_upper) + ": " +
                      rooms_text(moved.lo, moved.hi) + " -> new shard " + std::to_string(target));
      e.splits.push_back(RangeSplit{pick, target, moved.lo, moved.hi, cut.upper_rows});
      from.hi = cut.first_upper - 1;
      after.push_back(moved);
    }
  } else if (to_shards < n) {
    RoomRange& keep = after[static_cast<std::size_t>(to_shards - 1)];
    const std::int64_t merged_lo = before[static_cast<std::size_t>(to_shards)].lo;
    keep.hi = last_room;
    after.resize(static_cast<std::size_t>(to_shards));
    const std::string shards = to_shards == n - 1
                                   ? "shard " + std::to_string(n - 1)
                                   : "shards " + std::to_string(to_shards) + "-" + std::to_string(n - 1);
    steps.push_back("merge " + shards + " (" + rooms_text(merged_lo, last_room) + ") into shard " +
                    std::to_string(to_shards - 1));
  } else {
    steps.push_back("same shard count: every range stays");
  }

  e.rows_before.assign(static_cast<std::size_t>(n), 0);
  e.rows_after.assign(static_cast<std::size_t>(to_shards), 0);
  auto owner = [](const std::vector<RoomRange>& ranges, std::int64_t room) {
    for (std::size_t k = 0; k < ranges.size(); ++k) {
      if (ranges[k].contains(room)) return static_cast<int>(k);
    }
    return -1;  // unreachable: the ranges cover 1..last_room
  };
  for (const auto& [room, rows] : rooms) {
    const int b = owner(before, room);
    const int a = owner(after, room);
    if (b >= 0) e.rows_before[static_cast<std::size_t>(b)] += rows;
    if (a >= 0) e.rows_after[static_cast<std::size_t>(a)] += rows;
    if (a != b) e.moved += rows;
  }
  for (std::size_t i = 0; i < steps.size(); ++i) e.how += (i == 0 ? "" : "; then ") + steps[i];
  return e;
}

ReshardEstimate estimate_time(int from_shards, int to_shards, std::chrono::milliseconds time_bucket,
                              const std::vector<KeyCount>& by_time_bucket) {
  ReshardEstimate e;
  e.strategy = Strategy::time;
  e.from_shards = from_shards;
  e.to_shards = to_shards;
  e.rows_before.assign(static_cast<std::size_t>(from_shards), 0);
  e.rows_after.assign(static_cast<std::size_t>(to_shards), 0);
  for (const auto& [bucket, rows] : by_time_bucket) {
    const int before = positive_mod(bucket, from_shards);
    const int after = positive_mod(bucket, to_shards);
    e.rows += rows;
    e.rows_before[static_cast<std::size_t>(before)] += rows;
    e.rows_after[static_cast<std::size_t>(after)] += rows;
    if (before != after) e.moved += rows;
  }
  e.moved_if_only_new_data = 0;
  e.how = "bucket mod " + std::to_string(from_shards) + " -> bucket mod " + std::to_string(to_shards) +
          " (" + format_bucket(time_bucket) + " buckets)";
  e.note = "moved counts the stored rows whose bucket changes shard under bucket mod " +
           std::to_string(to_shards) +
           "; a time scheme that keeps old buckets where they are and applies the new layout "
           "only from the next bucket on moves none (moved_if_only_new_data)";
  return e;
}

std::vector<ReshardEstimate> estimate_reshard(const RoutingConfig& config, int to_shards,
                                              const ResultKeyCounts& counts) {
  if (auto problem = check_reshard_target(to_shards)) throw std::invalid_argument(*problem);
  if (auto problem = validate(config)) throw std::invalid_argument(*problem);
  return {estimate_hash(config.shard_count, to_shards, counts.by_user),
          estimate_range(config, to_shards, counts.by_room),
          estimate_time(config.shard_count, to_shards, config.time_bucket, counts.by_time_bucket)};
}

nlohmann::json to_json(const ReshardEstimate& e) {
  nlohmann::json j = {{"strategy", to_string(e.strategy)},
                      {"from_shards", e.from_shards},
                      {"to_shards", e.to_shards},
                      {"rows", e.rows},
                      {"moved", e.moved},
                      {"moved_share", e.moved_share()},
                      {"how", e.how},
                      {"rows_before", e.rows_before},
                      {"rows_after", e.rows_after}};
  if (e.jump_hash_moved) {
    j["jump_hash_moved"] = *e.jump_hash_moved;
    j["jump_hash_moved_share"] =
        e.rows <= 0 ? 0.0 : static_cast<double>(*e.jump_hash_moved) / static_cast<double>(e.rows);
  }
  if (e.strategy == Strategy::range) {
    nlohmann::json splits = nlohmann::json::array();
    for (const auto& s : e.splits) {
      splits.push_back({{"from_shard", s.from_shard},
                        {"to_shard", s.to_shard},
                        {"first_room", s.first_room},
                        {"last_room", s.last_room},
                        {"rows", s.rows}});
    }
    j["splits"] = std::move(splits);
  }
  if (e.moved_if_only_new_data) j["moved_if_only_new_data"] = *e.moved_if_only_new_data;
  if (!e.note.empty()) j["note"] = e.note;
  return j;
}

std::string format_bucket(std::chrono::milliseconds bucket) {
  const std::int64_t ms = bucket.count();
  constexpr std::int64_t kSecond = 1000;
  constexpr std::int64_t kMinute = 60 * kSecond;
  constexpr std::int64_t kHour = 60 * kMinute;
  constexpr std::int64_t kDay = 24 * kHour;
  if (ms > 0 && ms % kDay == 0) return std::to_string(ms / kDay) + "d";
  if (ms > 0 && ms % kHour == 0) return std::to_string(ms / kHour) + "h";
  if (ms > 0 && ms % kMinute == 0) return std::to_string(ms / kMinute) + "m";
  if (ms > 0 && ms % kSecond == 0) return std::to_string(ms / kSecond) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace stampede::server
