// RedisCache: the read cache (read_cache.h) in the Redis that fixtures/stack starts, shared
// by every server process on the stack (an invalidation by one is seen by all).
//
// Keys: <prefix><key> is a Redis hash of field -> body; put() is HSET then PEXPIRE ... NX
// (pipelined), so the key expires `ttl` after its first field was stored (Redis 7.0+).
// invalidate() is one DEL of the keys; clear() SCANs <prefix>* and UNLINKs what it finds.
//
// Faults: an unreachable Redis, a broken connection, a reply later than `timeout` or an
// error reply throw CacheUnavailable. After such a failure the cache does not ask Redis
// again for `retry_after` (every call throws CacheUnavailable at once), so a Redis that is
// down costs the requests nothing but the fallback to the database; then it connects
// afresh. The stack's Redis keeps nothing on disk: a restarted one is empty, so entries
// can't outlive an invalidation that was lost while it was down.
//
// Thread-safety: all members are thread-safe (a pool of blocking hiredis connections).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "reference-server/mysql_settings.h"
#include "reference-server/read_cache.h"

struct redisContext;

namespace stampede::server {

class RedisCache final : public ReadCache {
 public:
  // Connects nowhere yet: the first call does (so a server starts without its cache).
  RedisCache(MysqlEndpoint endpoint, std::string prefix, std::chrono::nanoseconds ttl,
             std::chrono::milliseconds timeout = std::chrono::milliseconds(500),
             std::chrono::milliseconds retry_after = std::chrono::seconds(1));
  ~RedisCache() override;
  RedisCache(const RedisCache&) = delete;
  RedisCache& operator=(const RedisCache&) = delete;

  std::string_view kind() const override { return "redis"; }
  std::chrono::nanoseconds ttl() const override { return ttl_; }
  std::optional<std::string> get(std::string_view key, std::string_view field) override;
  void put(std::string_view key, std::string_view field, std::string_view value) override;
  void invalidate(std::span<const std::string> keys) override;
  void clear() override;

  std::string address() const { return endpoint_.address(); }

 private:
  class Lease;
  redisContext* connect();
  void drop_idle() noexcept;
  void check_not_resting() const;
  void rest() noexcept;

  MysqlEndpoint endpoint_;
  std::string prefix_;
  std::chrono::nanoseconds ttl_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds retry_after_;
  std::atomic<std::int64_t> resting_until_ns_{0};  // steady_clock; 0: not resting
  std::mutex mutex_;
  std::vector<redisContext*> idle_;
};

}  // namespace stampede::server
