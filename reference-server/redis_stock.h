// RedisStock: coupon stock shared by every server process on one stack, in Redis.
//
// Per coupon c (all keys start with `prefix`):
//   <prefix>stock:<c>     remaining units (integer)
//   <prefix>winners:<c>   set of user ids that won c
//   <prefix>coupons       set of coupon ids currently loaded
//   <prefix>loaded        present once a complete load() has been applied
//
// take() runs one Lua script (EVALSHA; re-loaded after a Redis restart) that, atomically
// on the Redis server, refuses a user already in winners:<c> ("duplicate"), refuses when
// stock:<c> is 0 ("out_of_stock"), else adds the user to winners:<c> and decrements
// stock:<c>. Since Redis runs scripts one at a time, stock is never oversold and a user
// wins a coupon at most once, however many threads and processes call take().
// give_back() is the exact inverse for a taken unit whose result row could not be written.
//
// Errors: DependencyUnavailable (kRedisDependency) when Redis cannot be reached or the
// connection breaks again on the retry; StoreError when it answers with an error or an
// unexpected reply (a bug, not an outage). A pooled
// connection that fails with an I/O error (Redis restarted) closes every idle connection
// and the call is retried once on a fresh one. That is safe even for take(): the stack's
// Redis keeps nothing on disk, so a Redis that died took the half-done take with it, and
// the stock is rebuilt from the shards, which never saw that grab.
// Thread-safety: all members are thread-safe (a pool of blocking hiredis connections).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reference-server/mysql_settings.h"

struct redisContext;

namespace stampede::server {

// How a client is told what is down (DependencyUnavailable::dependency()).
inline constexpr const char* kRedisDependency = "stock store (redis)";

// The key prefix of the stack whose main database is `main`: "stampede:<host:port>/<db>:",
// shared by every server on that stack (the mysql store's stock, the queued write path).
std::string stock_prefix(const MysqlEndpoint& main);

class RedisStock {
 public:
  enum class Take { taken, duplicate, out_of_stock, not_loaded };
  struct TakeResult {
    Take status = Take::not_loaded;
    std::int64_t remaining = 0;  // after this call
  };
  struct CouponStock {
    std::int64_t coupon_id = 0;
    std::int64_t remaining = 0;
    std::vector<std::int64_t> winners;  // users who already won it
  };

  RedisStock(MysqlEndpoint endpoint, std::string prefix,
             std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~RedisStock();
  RedisStock(const RedisStock&) = delete;
  RedisStock& operator=(const RedisStock&) = delete;

  TakeResult take(std::int64_t coupon_id, std::int64_t user_id);
  void give_back(std::int64_t coupon_id, std::int64_t user_id);
  // nullopt when the coupon is not loaded.
  std::optional<std::int64_t> remaining(std::int64_t coupon_id);

  // Per coupon, in the order asked: remaining units (nullopt when not loaded) and how many
  // users won it (SCARD winners:<c>); one pipelined round trip. The drain proof's figures.
  struct Tally {
    std::int64_t coupon_id = 0;
    std::optional<std::int64_t> remaining;
    std::int64_t winners = 0;
  };
  std::vector<Tally> tallies(const std::vector<std::int64_t>& coupon_ids);

  // Replaces every loaded coupon with `stock` in one MULTI/EXEC transaction, then marks
  // the stock loaded.
  void load(const std::vector<CouponStock>& stock);
  bool loaded();
  // A short-lived lock (SET NX PX) so that one process rebuilds the stock at a time.
  bool try_lock(std::chrono::milliseconds ttl);
  void unlock();

  std::string address() const { return endpoint_.address(); }

 private:
  class Lease;
  redisContext* connect();
  void drop_idle() noexcept;
  // Runs fn(Lease&), once more on a fresh connection after an I/O error.
  template <class Fn>
  auto with_retry(Fn fn);
  void load_with(Lease& lease, const std::vector<CouponStock>& stock);

  MysqlEndpoint endpoint_;
  std::string prefix_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::vector<redisContext*> idle_;
  std::string take_sha_;
  std::string give_back_sha_;
};

}  // namespace stampede::server
