// The read cache behind --cache: a seam with two backends, an in-process map (memory) and
// the stack's Redis (redis_cache.h). cache_aside.h decides what is cached and when it is
// invalidated; this file only keeps text.
//
// Model. A key ("stock:6", "user:42") holds fields ("limit=50"), each a response body.
// invalidate(key) drops every field of the key at once (a user's coupon list under every
// ?limit=). A key's fields expire together, `ttl` after the first of them was stored, so
// no field is ever older than the TTL: that is the bound on staleness the cache promises.
//
// Errors: CacheUnavailable when the backend cannot be asked (Redis down or not answering);
// the caller then answers from the database. The memory backend never throws it.
// Thread-safety: every member may be called concurrently.
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stampede::server {

class CacheUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ReadCache {
 public:
  virtual ~ReadCache() = default;

  virtual std::string_view kind() const = 0;  // "memory" | "redis"
  virtual std::chrono::nanoseconds ttl() const = 0;

  // The text stored under (key, field); nullopt when absent or expired.
  virtual std::optional<std::string> get(std::string_view key, std::string_view field) = 0;
  // Stores `value` under (key, field), replacing an older one; see the model for expiry.
  virtual void put(std::string_view key, std::string_view field, std::string_view value) = 0;
  // Drops every field of each key.
  virtual void invalidate(std::span<const std::string> keys) = 0;
  // Drops everything this cache holds (after a reset of the data).
  virtual void clear() = 0;
};

// The in-process backend: striped maps under mutexes. Expired keys are dropped when read
// and, every few thousand stores, by a sweep of the stripe stored into.
class MemoryCache final : public ReadCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` is injected for tests; empty: std::chrono::steady_clock::now.
  explicit MemoryCache(std::chrono::nanoseconds ttl, Clock clock = {});

  std::string_view kind() const override { return "memory"; }
  std::chrono::nanoseconds ttl() const override { return ttl_; }
  std::optional<std::string> get(std::string_view key, std::string_view field) override;
  void put(std::string_view key, std::string_view field, std::string_view value) override;
  void invalidate(std::span<const std::string> keys) override;
  void clear() override;

  std::size_t keys() const;  // keys held now (expired ones not yet dropped included)

 private:
  struct Entry {
    std::chrono::steady_clock::time_point expires;
    std::vector<std::pair<std::string, std::string>> fields;
  };
  struct Stripe {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::size_t puts_since_sweep = 0;
  };
  static constexpr std::size_t kStripes = 16;

  Stripe& stripe_of(std::string_view key);
  std::chrono::steady_clock::time_point now() const;

  std::chrono::nanoseconds ttl_;
  Clock clock_;
  std::array<Stripe, kStripes> stripes_;
};

}  // namespace stampede::server
