#include "reference-server/cache_aside.h"

#include <array>

namespace stampede::server {

namespace {

constexpr std::int64_t kLogIntervalMs = 1000;

}  // namespace

namespace cache_keys {
std::string stock(std::int64_t coupon_id) { return "stock:" + std::to_string(coupon_id); }
std::string room_stats(std::int64_t room_id) { return "room:" + std::to_string(room_id); }
std::string user_coupons(std::int64_t user_id) { return "user:" + std::to_string(user_id); }
}  // namespace cache_keys

CacheAside::CacheAside(ReadCache& cache, Metrics& metrics, WallClock now_ms, Log log)
    : cache_(cache), metrics_(metrics), now_ms_(std::move(now_ms)), log_(std::move(log)) {}

std::optional<std::string> CacheAside::lookup(Endpoint endpoint, std::string_view key,
                                              std::string_view field) {
  std::optional<std::string> body;
  try {
    body = cache_.get(key, field);
  } catch (const CacheUnavailable& e) {
    fell_back("read", e);
  }
  metrics_.record_cache(endpoint, body.has_value());
  return body;
}

void CacheAside::store(std::string_view key, std::string_view field, std::string_view body) {
  try {
    cache_.put(key, field, body);
  } catch (const CacheUnavailable& e) {
    fell_back("store", e);
  }
}

void CacheAside::after_grab(std::int64_t coupon_id, std::int64_t room_id, std::int64_t user_id) {
  const std::array<std::string, 3> keys{cache_keys::stock(coupon_id), cache_keys::room_stats(room_id),
                                        cache_keys::user_coupons(user_id)};
  try {
    cache_.invalidate(keys);
  } catch (const CacheUnavailable& e) {
    fell_back("invalidate", e);
  }
}

void CacheAside::after_reset() {
  try {
    cache_.clear();
  } catch (const CacheUnavailable& e) {
    fell_back("clear", e);
  }
}

void CacheAside::fell_back(std::string_view what, const CacheUnavailable& error) {
  metrics_.record_cache_fallback();
  if (!log_) return;
  const std::int64_t now = now_ms_ ? now_ms_() : 0;
  std::int64_t last = last_log_ms_.load(std::memory_order_relaxed);
  if (now - last < kLogIntervalMs ||
      !last_log_ms_.compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    unlogged_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const auto skipped = unlogged_.exchange(0, std::memory_order_relaxed);
  std::string line = "cache (" + std::string(cache_.kind()) + ") unavailable, " + std::string(what) +
                     " skipped, answering from the database: " + error.what();
  if (skipped > 0) line += " (" + std::to_string(skipped) + " more since the last line)";
  log_(line);
}

}  // namespace stampede::server
