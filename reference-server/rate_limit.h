// Rate limiting (--rate-limit R/s, --rate-limit-burst B, --rate-limit-by user|address): a
// token bucket per key in front of the /api endpoints, as a gateway would put one.
//
// The bucket: it holds at most `burst` tokens and starts full; it gains `rate` tokens a
// second; each request takes one. A request that finds less than one token is refused with
// 429 Too Many Requests, `Retry-After: <s>` (whole seconds until a token is there, at least
// 1, as RFC 9110 allows only whole seconds) and {"error":"rate limited", ...}. So a client
// that keeps sending faster than the rate has `burst + rate * T` requests accepted in T
// seconds, whatever it sends (the numbers rate_limit_test checks).
//
// The key: `user` (the default) is the user the request is about: the body's "user_id" of
// POST /api/grab, the {id} of GET /api/user/{id}/coupons; a request about no user (stock,
// room and global reads, and a grab without a valid user_id, which the router answers 400)
// is not limited. `address` is the client's IP address: every request of one load
// generator shares one bucket, so it measures what a per-client limit (an API gateway's, a
// proxy's) does to one busy client, not what each of its virtual users would see.
// /health, /metrics and /admin are never limited.
//
// Memory: one bucket per key seen (~100 bytes). A bucket that has refilled to `burst` is
// the same as none, so full buckets are dropped when a stripe grows past kPruneAt keys; if
// a stripe still holds kMaxKeysPerStripe keys, new keys share one overflow bucket (counted).
//
// Time: check() takes the time as an argument (steady clock), so tests drive it.
// Thread-safety: check() may be called from any thread; keys are spread over striped mutexes.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reference-server/endpoint.h"
#include "reference-server/router.h"

namespace stampede::server {

enum class RateLimitBy { kUser, kAddress };
std::string_view to_string(RateLimitBy by);  // "user" | "address"

struct RateLimitConfig {
  double rate_per_s = 0;  // tokens a second; 0: no limit
  double burst = 1;       // bucket size, tokens (>= 1)
  RateLimitBy by = RateLimitBy::kUser;
  std::string rate_text;  // the rate as given, e.g. "50/s" (shown in answers and /admin/stats)

  bool enabled() const { return rate_per_s > 0; }
};

// The flags' grammar, each problem naming its flag ("--rate-limit: expected a rate like 5/s
// or 300/min, got '5'"). `rate` "" means no limit (then burst and by are still checked).
//   rate  := count "/s" | count "/min"   (count as units::parse_count: 5, 0.5, 2k; > 0, <= 1M/s)
//   burst := a whole count 1 .. 1M       ("" = one second of the rate, at least 1)
//   by    := "user" | "address"
RateLimitConfig parse_rate_limit(const std::string& rate, const std::string& burst, const std::string& by,
                                 std::vector<std::string>& problems);

// One token bucket: pure numbers, no clock of its own.
class TokenBucket {
 public:
  using Time = std::chrono::steady_clock::time_point;

  TokenBucket(double rate_per_s, double burst, Time now) : tokens_(burst), last_(now), rate_(rate_per_s), burst_(burst) {}

  // Takes a token when there is one at `now` (true); otherwise leaves the bucket as it is.
  bool take(Time now);
  // Seconds until a token is there (0 when there is one now).
  double seconds_until_token(Time now) const;
  // True when the bucket has refilled to burst by `now` (as good as a new one).
  bool full(Time now) const;
  double tokens(Time now) const;

 private:
  double tokens_;
  Time last_;
  double rate_;
  double burst_;
};

// What check() decided about one request.
struct RateDecision {
  bool limited = false;
  int retry_after_s = 0;  // whole seconds (>= 1) when limited
};

class RateLimiter {
 public:
  static constexpr std::size_t kStripes = 64;
  static constexpr std::size_t kPruneAt = 4096;            // keys per stripe before full buckets are dropped
  static constexpr std::size_t kMaxKeysPerStripe = 16384;  // then new keys share the overflow bucket

  // prune_at and max_keys_per_stripe: kPruneAt and kMaxKeysPerStripe but in tests.
  explicit RateLimiter(RateLimitConfig config, std::size_t prune_at = kPruneAt,
                       std::size_t max_keys_per_stripe = kMaxKeysPerStripe);

  // The key of a request to `endpoint` (see above); nullopt: the request is not limited.
  std::optional<std::string> key_of(Endpoint endpoint, std::string_view target, std::string_view body,
                                    std::string_view client_address) const;
  // Takes a token from `key`'s bucket at `now`.
  RateDecision check(const std::string& key, TokenBucket::Time now);

  const RateLimitConfig& config() const { return config_; }
  std::uint64_t allowed() const { return allowed_.load(std::memory_order_relaxed); }
  std::uint64_t limited() const { return limited_.load(std::memory_order_relaxed); }
  std::uint64_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }
  std::size_t keys() const;  // buckets held now (a snapshot)

 private:
  struct Stripe {
    mutable std::mutex mutex;
    std::unordered_map<std::string, TokenBucket> buckets;
  };

  RateLimitConfig config_;
  std::size_t prune_at_;
  std::size_t max_keys_;
  std::array<Stripe, kStripes> stripes_;
  std::mutex overflow_mutex_;
  TokenBucket overflow_;
  std::atomic<std::uint64_t> allowed_{0};
  std::atomic<std::uint64_t> limited_{0};
  std::atomic<std::uint64_t> overflowed_{0};
};

// The 429 answer's parts: the Retry-After header value ("1".."3600"; a static string) and
// the JSON body {"error":"rate limited","limit":"50/s","burst":10,"by":"address","retry_after_s":1}.
std::string_view retry_after_text(int seconds);
std::string rate_limited_body(const RateLimitConfig& config, int retry_after_s);

// What the HTTP server asks before answering a request (http_server.cpp): the 429 answer
// when `limiter` refuses it at `now` (counted in `metrics`), else nullopt.
std::optional<HttpResponse> refuse_over_limit(RateLimiter& limiter, Metrics& metrics, Endpoint endpoint,
                                              const HttpRequest& request, std::string_view client_address,
                                              TokenBucket::Time now);

}  // namespace stampede::server
