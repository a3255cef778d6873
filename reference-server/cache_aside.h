// Cache-aside for the read endpoints (--cache memory|redis): what is cached under which
// key, what a write invalidates, and what happens when the cache is away.
//
// Cached: GET /api/coupon/{c}/stock ("stock:<c>"), /api/room/{r}/stats ("room:<r>"),
// /api/stats/global ("global") and /api/user/{u}/coupons ("user:<u>", one field per
// ?limit=). The value is the 200 answer's body; 4xx answers are decided from the in-memory
// catalogue before the cache is asked and are never cached.
//
// Invalidation: a grab (success or not: both write a result row) drops its coupon's stock,
// its room's stats and its user's coupon lists; a reset drops everything. The global
// statistics are dropped by no grab (every grab changes them: they would never be hit under
// load) and are stale for at most the TTL, as any entry whose invalidation raced with a
// read that started before the write (cache-aside's known race, bounded by the TTL). Grabs
// never read the cache: stock is taken in the store, so a stale cached stock can never
// oversell.
//
// The cache away (ReadCache throws CacheUnavailable): the read goes to the database as a
// miss, the failure is counted (Metrics::cache_fallbacks) and logged at most once a second
// with the count of those left out; a request never fails because of the cache.
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "reference-server/endpoint.h"
#include "reference-server/metrics.h"
#include "reference-server/read_cache.h"

namespace stampede::server {

namespace cache_keys {
std::string stock(std::int64_t coupon_id);
std::string room_stats(std::int64_t room_id);
std::string user_coupons(std::int64_t user_id);
inline constexpr std::string_view kGlobal = "global";
inline constexpr std::string_view kWhole = "-";  // the field of a key with only one value
}  // namespace cache_keys

class CacheAside {
 public:
  using WallClock = std::function<std::int64_t()>;  // milliseconds, for the log's pace
  using Log = std::function<void(std::string_view line)>;

  CacheAside(ReadCache& cache, Metrics& metrics, WallClock now_ms, Log log);

  // The cached body, counted as a hit for `endpoint`; nullopt counted as a miss (also
  // when the cache is away, which is counted as a fallback too).
  std::optional<std::string> lookup(Endpoint endpoint, std::string_view key, std::string_view field);
  // Stores a body the database answered (after a miss).
  void store(std::string_view key, std::string_view field, std::string_view body);

  void after_grab(std::int64_t coupon_id, std::int64_t room_id, std::int64_t user_id);
  void after_reset();

  std::string_view kind() const { return cache_.kind(); }
  std::chrono::nanoseconds ttl() const { return cache_.ttl(); }

 private:
  void fell_back(std::string_view what, const CacheUnavailable& error);

  ReadCache& cache_;
  Metrics& metrics_;
  WallClock now_ms_;
  Log log_;
  std::atomic<std::int64_t> last_log_ms_{INT64_MIN / 2};
  std::atomic<std::uint64_t> unlogged_{0};
};

}  // namespace stampede::server
