#include "reference-server/routing.h"

#include <algorithm>
#include <charconv>

namespace stampede::server {

std::optional<Strategy> parse_strategy(std::string_view text) {
  if (text == "hash") return Strategy::hash;
  if (text == "range") return Strategy::range;
  if (text == "time") return Strategy::time;
  return std::nullopt;
}

std::string_view to_string(Strategy strategy) {
  switch (strategy) {
    case Strategy::hash: return "hash";
    case Strategy::range: return "range";
    case Strategy::time: return "time";
  }
  return "hash";
}

std::optional<std::string> validate(const RoutingConfig& config) {
  if (config.shard_count < 1 || config.shard_count > 64) {
    return "shard count must be between 1 and 64, got " + std::to_string(config.shard_count);
  }
  if (config.room_count < 1) return "room count must be positive";
  if (config.time_bucket.count() <= 0) return "time bucket must be positive";
  if (!config.range_starts.empty()) {
    if (static_cast<int>(config.range_starts.size()) != config.shard_count - 1) {
      return "range boundaries: expected " + std::to_string(config.shard_count - 1) +
             " first-room ids (shards 1.." + std::to_string(config.shard_count - 1) + "), got " +
             std::to_string(config.range_starts.size());
    }
    std::int64_t previous = 1;
    for (std::int64_t start : config.range_starts) {
      if (start <= previous) return "range boundaries must be ascending and above 1";
      previous = start;
    }
  }
  return std::nullopt;
}

namespace {

int positive_mod(std::int64_t value, int n) {
  std::int64_t r = value % n;
  return static_cast<int>(r < 0 ? r + n : r);
}

// Floor division (grab times before 1970 are not expected, but stay correct).
std::int64_t bucket_of(std::int64_t time_ms, std::int64_t bucket_ms) {
  std::int64_t q = time_ms / bucket_ms;
  if (time_ms % bucket_ms != 0 && time_ms < 0) --q;
  return q;
}

}  // namespace

int shard_for_room(const RoutingConfig& config, std::int64_t room_id) {
  const int n = config.shard_count;
  if (!config.range_starts.empty()) {
    // Number of boundaries <= room_id is the shard.
    auto it = std::upper_bound(config.range_starts.begin(), config.range_starts.end(), room_id);
    return static_cast<int>(it - config.range_starts.begin());
  }
  const std::int64_t per_shard = (config.room_count + n - 1) / n;
  const std::int64_t clamped = std::clamp<std::int64_t>(room_id, 1, config.room_count);
  return static_cast<int>(std::min<std::int64_t>((clamped - 1) / per_shard, n - 1));
}

int shard_for_write(const RoutingConfig& config, std::int64_t user_id, std::int64_t room_id,
                    std::int64_t grab_time_ms) {
  switch (config.strategy) {
    case Strategy::hash: return positive_mod(user_id, config.shard_count);
    case Strategy::range: return shard_for_room(config, room_id);
    case Strategy::time:
      return positive_mod(bucket_of(grab_time_ms, config.time_bucket.count()), config.shard_count);
  }
  return 0;
}

ShardList all_shards(const RoutingConfig& config) {
  ShardList shards(static_cast<std::size_t>(config.shard_count));
  for (int k = 0; k < config.shard_count; ++k) shards[static_cast<std::size_t>(k)] = k;
  return shards;
}

ShardList shards_for_user_query(const RoutingConfig& config, std::int64_t user_id) {
  if (config.strategy == Strategy::hash) return {positive_mod(user_id, config.shard_count)};
  return all_shards(config);
}

ShardList shards_for_room_query(const RoutingConfig& config, std::int64_t room_id) {
  if (config.strategy == Strategy::range) return {shard_for_room(config, room_id)};
  return all_shards(config);
}

ShardList shards_for_recent_query(const RoutingConfig& config, std::int64_t now_ms,
                                  std::int64_t window_ms) {
  if (config.strategy != Strategy::time) return all_shards(config);
  const std::int64_t bucket_ms = config.time_bucket.count();
  const std::int64_t first = bucket_of(now_ms - std::max<std::int64_t>(window_ms, 0), bucket_ms);
  const std::int64_t last = bucket_of(now_ms, bucket_ms);
  if (last - first + 1 >= config.shard_count) return all_shards(config);
  ShardList shards;
  for (std::int64_t b = first; b <= last; ++b) shards.push_back(positive_mod(b, config.shard_count));
  std::sort(shards.begin(), shards.end());
  shards.erase(std::unique(shards.begin(), shards.end()), shards.end());
  return shards;
}

}  // namespace stampede::server
