// StatsRecorder: what one worker thread measured since the last snapshot.
//
// Owned by one worker thread; record*() do no locking and allocate only the first time an
// endpoint, shard or error is seen in an interval. The control thread asks the worker (on
// the worker's own thread) to take() the interval once per second and merges the pieces
// in StatsAggregator. Latencies are microseconds.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "generator/http/server_timing.h"
#include "generator/http/transport_error.h"
#include "results/histogram.h"
#include "results/run_result.h"

namespace stampede::http {
struct Exchange;
}

namespace stampede::engine {

struct ShardInterval {
  std::uint64_t count = 0;
  results::Histogram shard_time;
  std::uint64_t single_shard_requests = 0;
  results::Histogram single_shard_latency;  // open model: from the intended start
  results::Histogram single_shard_service;  // open model only: from the actual send
};

struct EndpointInterval {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t rate_limited = 0;  // HTTP 429 answers: requests, not failures (results::EndpointStats::rate_limited)
  std::uint64_t content_bytes = 0;
  results::Histogram latency;  // open model: from the intended start (docs/open-model.md)
  results::Histogram service;  // open model only: from the actual send; empty in the closed model
  std::uint64_t dropped = 0;   // open model only: arrivals dropped whose task starts here
  std::vector<ShardInterval> shards;  // indexed by shard number; count == 0 means unseen
  results::ExchangeStats exchange;    // connections, time to first byte, Server-Timing cache and server
  std::uint64_t skipped = 0;          // requests and tasks a `when` skipped (results::EndpointStats::skipped)
  std::uint64_t invalid_cookies = 0;  // Set-Cookie headers the jar ignored in part or whole
};

// The open model's schedule (docs/open-model.md): arrivals due, those dropped (no free
// user under --max-users; per user class, indexed like the scenario's classes, and per
// endpoint in EndpointInterval::dropped) and how late the worker started arrivals after
// their due time.
struct OpenModelInterval {
  std::uint64_t arrivals = 0;  // due and handled (started or dropped)
  std::uint64_t dropped = 0;
  std::vector<std::uint64_t> dropped_by_class;  // empty until one is dropped
  std::uint64_t late_arrivals = 0;  // started more than kLateArrival after their due time
  std::uint64_t lag_total_us = 0;   // summed over the late arrivals
  std::uint64_t lag_max_us = 0;     // over all arrivals
};

// An arrival started later than this after its due time counts as late (schedule lag).
inline constexpr std::uint64_t kLateArrivalUs = 10'000;

struct Interval {
  std::vector<EndpointInterval> endpoints;  // indexed by endpoint id
  // (endpoint id, error message) -> occurrences
  std::map<std::pair<std::uint32_t, std::string>, std::uint64_t> failures;
  // Transport errors by kind (indexed by http::ErrorKind), as wrk keeps its errors struct.
  std::array<std::uint64_t, http::kErrorKinds> errors_by_kind{};
  std::uint64_t connections_opened = 0;  // filled by the worker at take time
  OpenModelInterval open;               // all zero in the closed model
};

class StatsRecorder {
 public:
  explicit StatsRecorder(std::size_t endpoint_count);

  // One completed request (success or failure; a rate-limited one is recorded as not
  // failed, then record_rate_limited).
  void record(std::uint32_t endpoint, std::uint64_t latency_us, std::uint64_t content_bytes,
              bool failed);
  // The request record()ed last was answered HTTP 429: rate limited, not failed.
  void record_rate_limited(std::uint32_t endpoint) { ++current_.endpoints[endpoint].rate_limited; }
  // The failure's reason, counted per (endpoint, error) like Locust's failures table.
  void record_failure(std::uint32_t endpoint, std::string_view error);
  // A transport error's kind (kNone is not counted); its text goes to record_failure.
  void record_error_kind(http::ErrorKind kind) {
    if (kind != http::ErrorKind::kNone) ++current_.errors_by_kind[static_cast<std::size_t>(kind)];
  }
  // Shard entries of the response's Server-Timing header (may be empty); a single-shard
  // response's latency, and in the open model its service time (from the actual send).
  void record_shards(std::uint32_t endpoint, std::span<const http::ShardTiming> shards,
                     std::uint64_t latency_us, std::optional<std::uint64_t> service_us = std::nullopt);
  // What an exchange, failed or not, says beside its latency (results::ExchangeStats): the
  // connection it opened (connect and TLS handshake times, resumption), its time to first
  // byte (when a response head arrived), its Server-Timing cache outcome and server.
  void record_exchange(std::uint32_t endpoint, const http::Exchange& exchange);

  // Scenarios for real applications: a request (or a task, under its first request) skipped
  // by its `when`; `count` Set-Cookie headers of a response the user's jar ignored.
  void record_skipped(std::uint32_t endpoint) { ++current_.endpoints[endpoint].skipped; }
  void record_invalid_cookies(std::uint32_t endpoint, std::uint64_t count) {
    current_.endpoints[endpoint].invalid_cookies += count;
  }

  // Open model: the time from the actual send (latency went to record()).
  void record_service(std::uint32_t endpoint, std::uint64_t service_us) {
    current_.endpoints[endpoint].service.record(service_us);
  }
  // Open model: an arrival handled `lag_us` after its due time; dropped: of class
  // `class_index`, its task starting with `endpoint`, when no user was free.
  void record_arrival(std::uint64_t lag_us, bool dropped, std::size_t class_index, std::uint32_t endpoint);

  // Hands over everything recorded since the last take() and starts a new interval.
  Interval take();

 private:
  Interval current_;
  std::size_t endpoint_count_;
};

}  // namespace stampede::engine
