#include "reference-server/rate_limit.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>

#include "reference-server/path.h"
#include "units/number.h"

namespace stampede::server {

namespace {

constexpr double kMaxRatePerS = 1'000'000;
constexpr double kMinRatePerS = 1.0 / 60;  // 1/min: Retry-After stays within a minute
constexpr double kMaxBurst = 1'000'000;
constexpr int kMaxRetryAfterS = 3600;

std::string quoted(const std::string& text) { return "'" + text + "'"; }

double seconds_between(TokenBucket::Time from, TokenBucket::Time to) {
  return to <= from ? 0.0 : std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::string_view to_string(RateLimitBy by) { return by == RateLimitBy::kUser ? "user" : "address"; }

RateLimitConfig parse_rate_limit(const std::string& rate, const std::string& burst, const std::string& by,
                                 std::vector<std::string>& problems) {
  RateLimitConfig config;
  if (by == "user") {
    config.by = RateLimitBy::kUser;
  } else if (by == "address") {
    config.by = RateLimitBy::kAddress;
  } else {
    problems.push_back("--rate-limit-by: expected user or address, got " + quoted(by));
  }
  if (!rate.empty()) {
    const auto slash = rate.rfind('/');
    const std::string_view per = slash == std::string::npos ? std::string_view() : std::string_view(rate).substr(slash + 1);
    const auto count = slash == std::string::npos ? std::nullopt : units::parse_count(std::string_view(rate).substr(0, slash));
    const double seconds = per == "s" ? 1.0 : per == "min" ? 60.0 : 0.0;
    if (!count || seconds == 0) {
      problems.push_back("--rate-limit: expected a rate like 5/s or 300/min, got " + quoted(rate));
    } else if (*count / seconds < kMinRatePerS || *count / seconds > kMaxRatePerS) {
      problems.push_back("--rate-limit: expected 1/min .. 1M/s, got " + quoted(rate));
    } else {
      config.rate_per_s = *count / seconds;
      config.rate_text = rate;
    }
  }
  if (burst.empty()) {
    config.burst = std::max(1.0, std::ceil(config.rate_per_s));
  } else {
    const auto b = units::parse_count(burst);
    if (!b || *b != std::floor(*b) || *b < 1 || *b > kMaxBurst) {
      problems.push_back("--rate-limit-burst: expected a whole number of requests 1 .. 1M, got " + quoted(burst));
    } else {
      config.burst = *b;
    }
  }
  if (!burst.empty() && rate.empty()) problems.push_back("--rate-limit-burst: needs --rate-limit");
  return config;
}

double TokenBucket::tokens(Time now) const { return std::min(burst_, tokens_ + rate_ * seconds_between(last_, now)); }

bool TokenBucket::take(Time now) {
  const double available = tokens(now);
  if (available < 1.0) return false;
  tokens_ = available - 1.0;
  last_ = std::max(last_, now);
  return true;
}

double TokenBucket::seconds_until_token(Time now) const {
  const double available = tokens(now);
  return available >= 1.0 ? 0.0 : (1.0 - available) / rate_;
}

bool TokenBucket::full(Time now) const { return tokens(now) >= burst_; }

RateLimiter::RateLimiter(RateLimitConfig config, std::size_t prune_at, std::size_t max_keys_per_stripe)
    : config_(std::move(config)),
      prune_at_(prune_at),
      max_keys_(max_keys_per_stripe),
      overflow_(config_.rate_per_s, config_.burst, TokenBucket::Time{}) {}

std::optional<std::string> RateLimiter::key_of(Endpoint endpoint, std::string_view target, std::string_view body,
                                               std::string_view client_address) const {
  switch (endpoint) {
    case Endpoint::grab:
    case Endpoint::user_coupons:
    case Endpoint::coupon_stock:
    case Endpoint::room_stats:
    case Endpoint::room_orders:
    case Endpoint::recent_orders:
    case Endpoint::global_stats:
      break;
    default:
      return std::nullopt;  // /health, /metrics, /admin, unknown paths
  }
  if (config_.by == RateLimitBy::kAddress) return std::string(client_address);
  std::int64_t user = 0;
  if (endpoint == Endpoint::user_coupons) {
    const std::string_view id = PathView(target)[2];
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), user);
    if (ec != std::errc() || end != id.data() + id.size()) return std::nullopt;
  } else if (endpoint == Endpoint::grab) {
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) return std::nullopt;
    const auto it = json.find("user_id");
    if (it == json.end() || !it->is_number_integer()) return std::nullopt;
    user = it->get<std::int64_t>();
  } else {
    return std::nullopt;  // about no user
  }
  return std::to_string(user);
}

RateDecision RateLimiter::check(const std::string& key, TokenBucket::Time now) {
  Stripe& stripe = stripes_[std::hash<std::string>{}(key) % kStripes];
  const auto decide = [&](TokenBucket& bucket) {
    RateDecision d;
    if (bucket.take(now)) {
      allowed_.fetch_add(1, std::memory_order_relaxed);
      return d;
    }
    limited_.fetch_add(1, std::memory_order_relaxed);
    d.limited = true;
    d.retry_after_s = std::clamp(static_cast<int>(std::ceil(bucket.seconds_until_token(now))), 1, kMaxRetryAfterS);
    return d;
  };
  {
    std::lock_guard lock(stripe.mutex);
    auto it = stripe.buckets.find(key);
    if (it == stripe.buckets.end()) {
      if (stripe.buckets.size() >= prune_at_) {
        std::erase_if(stripe.buckets, [now](const auto& entry) { return entry.second.full(now); });
      }
      if (stripe.buckets.size() < max_keys_) {
        it = stripe.buckets.emplace(key, TokenBucket(config_.rate_per_s, config_.burst, now)).first;
      }
    }
    if (it != stripe.buckets.end()) return decide(it->second);
  }
  overflowed_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(overflow_mutex_);
  return decide(overflow_);
}

std::size_t RateLimiter::keys() const {
  std::size_t n = 0;
  for (const Stripe& s : stripes_) {
    std::lock_guard lock(s.mutex);
    n += s.buckets.size();
  }
  return n;
}

std::string_view retry_after_text(int seconds) {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> t;
    t.reserve(kMaxRetryAfterS + 1);
    for (int s = 0; s <= kMaxRetryAfterS; ++s) t.push_back(std::to_string(s));
    return t;
  }();
  return texts[static_cast<std::size_t>(std::clamp(seconds, 1, kMaxRetryAfterS))];
}

std::string rate_limited_body(const RateLimitConfig& config, int retry_after_s) {
  const nlohmann::json body = {
      {"error", "rate limited"},
      {"limit", config.rate_text},
      {"burst", static_cast<std::int64_t>(config.burst)},
      {"by", to_string(config.by)},
      {"retry_after_s", retry_after_s},
      {"details", {"over " + config.rate_text + " (burst " + std::to_string(static_cast<std::int64_t>(config.burst)) +
                   ") per " + std::string(to_string(config.by)) + "; retry after " + std::to_string(retry_after_s) + " s"}},
  };
  return body.dump();
}

std::optional<HttpResponse> refuse_over_limit(RateLimiter& limiter, Metrics& metrics, Endpoint endpoint,
                                              const HttpRequest& request, std::string_view client_address,
                                              TokenBucket::Time now) {
  const auto key = limiter.key_of(endpoint, request.target, request.body, client_address);
  if (!key) return std::nullopt;
  const RateDecision decision = limiter.check(*key, now);
  if (!decision.limited) return std::nullopt;
  metrics.record_rate_limited(endpoint);
  HttpResponse response;
  response.status = 429;
  response.body = rate_limited_body(limiter.config(), decision.retry_after_s);
  response.retry_after = retry_after_text(decision.retry_after_s);
  response.endpoint = endpoint;
  return response;
}

}  // namespace stampede::server
