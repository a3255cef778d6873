// --shard-latency: a modelled network hop in front of every shard round trip.
//
// The embedded shards are local files and the stack's shards are on loopback, so a
// fan-out over k shards costs almost nothing more than one shard. A database on another
// host costs a network round trip per shard visited, and the connection (or worker) that
// makes the trip is busy for it. ShardLatency stands in for that hop: the store sleeps
// for a delay drawn from [min, max] (uniform) before each visit to a shard (a fan-out
// part, a grab's write transaction, a status ping), on the thread that holds that shard's
// connection or reader, so the delay costs capacity as a real hop would, and it is inside
// the time the shard's Server-Timing entry reports. It is a model of a hop, not a
// measurement of one: no network is involved and the delay ignores load, packet size and
// the several round trips a real transaction makes (one delay per visit).
//
// Text form (the flag and the config file's "shard_latency"): a duration of units/ with
// a unit ("1ms", "250us"), or a range "A-B" with A <= B ("0.2ms-2ms", "0-1ms"); "0" or "" is
// none (zero needs no unit, every other number does).
// At most kMaxShardLatency, so that a typo cannot hold every worker for minutes.
//
// Thread-safety: a ShardLatency is an immutable value; wait() may run on any thread (each
// thread draws from its own generator).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::server {

inline constexpr std::chrono::seconds kMaxShardLatency{10};

struct ShardLatency {
  std::chrono::nanoseconds min{0};
  std::chrono::nanoseconds max{0};

  bool enabled() const { return max.count() > 0; }
  // The delay at `unit` in [0, 1): min + unit * (max - min).
  std::chrono::nanoseconds at(double unit) const;
  // Sleeps the calling thread for a uniformly drawn delay (nothing when !enabled()).
  void wait() const;
  // "1ms", "200us-2ms", "none": as the start-up line and /admin/stats show it.
  std::string describe() const;
};

// Parses the text form above. On failure: nullopt, and `problem` says what was wrong
// ("expected a duration like 1ms or a range like 0.2ms-2ms, got 'x'"); the caller adds
// where the text came from (--shard-latency, the config file).
std::optional<ShardLatency> parse_shard_latency(std::string_view text, std::string& problem);

}  // namespace stampede::server
