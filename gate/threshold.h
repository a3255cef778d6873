// Threshold: one CI gate expression, parsed.
//
// Grammar (whitespace between tokens is free):
//
//   threshold  := metric [ "{" selector { "," selector } "}" ] op number [unit]
//                 [ "over" duration ] [ "abort" ]
//   metric     := [ figure "." ] latency
//               | "rps" | "error_rate" | "count" | "dropped" | "cache_hit_ratio" | "rate_limited"
//   figure     := "service" | "connect" | "tls" | "ttfb"
//   latency    := "p" NUMBER  (a percentile, 0..100: p50 p95 p99.9) | "avg" | "min" | "max"
//   selector   := "name" "=" STRING | "method" "=" STRING | "shard" "=" INTEGER
//   op         := "<" | "<=" | ">" | ">="
//   unit       := "us" | "ms" | "s"   (required for latency metrics: percentiles, avg, min, max)
//               | "%"                 (error_rate, cache_hit_ratio; a bare number there is a
//                                     fraction, 0.01 = 1%)
//                                     (rps, count and dropped take a bare number)
//               | "%" or none         (rate_limited: with % the share of requests answered
//                                     429, without a unit their count)
//   duration   := NUMBER ("ms" | "s" | "m" | "h" | "d"), at least 1 s and at most 1e9 s
//   STRING     := a double-quoted string; \" and \\ escape
//
// Examples: `p95 < 150ms`, `p99{name="/api/coupon/grab [Hot Room]"} < 80ms`,
// `error_rate < 1%`, `rps > 400`, `p95{shard=0} < 20ms`, `avg{method="GET"} <= 0.2s`,
// `p99 < 300ms over 10s` (fails if any 10 s sliding window breaks it),
// `error_rate < 5% abort` (also checked every second during the run, after the warm-up, on
// the figures so far; the run stops as soon as it fails).
//
// Which latency (docs/open-model.md): a plain latency metric (`p99`, `avg`, ...) judges the
// `latency` histogram — in the open model (--arrival-rate) measured from each request's
// intended start. `service.p99`, `service.avg`, `service.min`, `service.max` judge the
// service time, from the actual send (gate/evaluate.h: a closed-model run judges its
// latency, the same figure there). `dropped` counts the open model's dropped arrivals
// (not sent: no free user), per endpoint with name=/method=. Neither service.* nor dropped
// is recorded per shard: with shard= they are parse errors (`p95{shard=0}` is already the
// server's own time on the shard).
// Examples: `service.p99 < 50ms`, `service.p95{name="/api/items"} < 20ms over 10s`,
// `dropped < 1`, `dropped{name="/checkout"} <= 10 abort`.
//
// How the requests travelled (results::ExchangeStats, results/README.md "exchange figures"):
// `connect.<latency>` judges the TCP connect of the requests that opened a connection,
// `tls.<latency>` their TLS handshakes (https), `ttfb.<latency>` the time to first byte
// (from the send on a ready connection to the response head); `cache_hit_ratio` the
// responses whose Server-Timing said `cache;desc=hit` among those that said hit or miss.
// None is recorded per shard (with shard= they are parse errors).
// Examples: `connect.p95 < 5ms`, `tls.p99 < 50ms`, `ttfb.p95{name="/api/items"} < 20ms over 10s`,
// `cache_hit_ratio > 80%`, `cache_hit_ratio{method="GET"} >= 0.9`.
//
// Rate limited (results/README.md, "rate limited"): `rate_limited` judges the requests
// answered HTTP 429 Too Many Requests, which are not failures (error_rate leaves them out):
// with % their share of the requests, without a unit their count. Not recorded per shard.
// Examples: `rate_limited < 1%`, `rate_limited{name="/api/grab"} <= 0.5% over 10s`,
// `rate_limited < 1` (none at all), `rate_limited < 5% abort`.
//
// Units inside: latency limits are microseconds, error_rate is a fraction (0..1), rps is
// requests per second, count is requests, dropped is arrivals, cache_hit_ratio a fraction.
// Errors: parse_threshold throws ThresholdError naming the expression, the 1-based column
// of the problem and a caret line under it. No other exceptions.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stampede::gate {

enum class Metric { kPercentile, kAvg, kMin, kMax, kRps, kErrorRate, kCount, kDropped, kCacheHitRatio, kRateLimited };
// Which histogram a latency metric reads: the request's latency (open model: from the
// intended start), or with a prefix the service time (`service.`), the TCP connect of new
// connections (`connect.`), their TLS handshakes (`tls.`), the time to first byte (`ttfb.`).
enum class LatencyOf { kLatency, kService, kConnect, kTls, kTtfb };
enum class Comparison { kLess, kLessEqual, kGreater, kGreaterEqual };
// How the limit was written, so measured values are shown in the same unit.
enum class Unit { kNone, kMicroseconds, kMilliseconds, kSeconds, kPercent };

struct Selector {
  std::optional<std::string> name;
  std::optional<std::string> method;
  std::optional<int> shard;
  bool empty() const { return !name && !method && !shard; }
};

struct Threshold {
  std::string text;       // the expression as written (trimmed)
  Metric metric = Metric::kPercentile;
  double percentile = 0;  // for kPercentile, 0..100
  LatencyOf of = LatencyOf::kLatency;  // the prefix of a latency metric (`service.p99`, `ttfb.p95`)
  Selector selector;
  Comparison comparison = Comparison::kLess;
  double limit = 0;       // µs for latency metrics, fraction for error_rate, cache_hit_ratio and rate_limited
                          // with %, req/s, requests (count, rate_limited without a unit)
  Unit unit = Unit::kNone;
  std::optional<std::chrono::milliseconds> window;  // `over 10s`
  bool abort = false;                                // `abort`: stop the run once it fails

  bool is_latency() const {
    return metric == Metric::kPercentile || metric == Metric::kAvg || metric == Metric::kMin ||
           metric == Metric::kMax;
  }
  // A metric of how the requests travelled (connect., tls., ttfb., cache_hit_ratio):
  // results::ExchangeStats, not recorded per shard.
  bool is_exchange() const {
    return metric == Metric::kCacheHitRatio || of == LatencyOf::kConnect || of == LatencyOf::kTls ||
           of == LatencyOf::kTtfb;
  }
  bool passes(double measured) const;
  // "p95", "p99.9", "avg", "error_rate", "service.p99", "ttfb.p95", "dropped"...
  std::string metric_name() const;
  // A value in this threshold's internal unit, written in the expression's unit:
  // "162.4ms", "0.52%", "412.3".
  std::string format_value(double value) const;
  // "< 150ms"
  std::string format_limit() const;
};

class ThresholdError : public std::runtime_error {
 public:
  ThresholdError(std::string expression, std::size_t column, const std::string& problem);
  const std::string& expression() const { return expression_; }
  std::size_t column() const { return column_; }  // 1-based
  const std::string& problem() const { return problem_; }

 private:
  std::string expression_;
  std::size_t column_;
  std::string problem_;
};

Threshold parse_threshold(std::string_view text);

std::string_view to_string(Comparison c);

}  // namespace stampede::gate
