// One queued grab as it travels through RabbitMQ from the grab handler to a consumer
// (the queued write path, queue_write_path.h): a JSON object, the message's body.
//
//   {"grab_id":"3f9c0a1b2c3d4e5f-17","user_id":7,"coupon_id":3,"room_id":1,"shard":2,
//    "grab_time_ms":1765150000123,"taken_us":1765150000123456}
//
// grab_id is unique per grab (new_grab_id(): 64 random bits of the process, then a counter)
// and is what makes the consumer idempotent: a redelivered message carries the same id.
// shard is where the result row goes, decided when the grab was taken (routing.h), so a
// consumer needs no routing. taken_us is the wall clock (µs since the epoch) when Redis
// took the stock: the start of the end-to-end delay to the committed row.
//
// Thread-safety: pure functions; new_grab_id() is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stampede::server {

struct QueuedGrab {
  std::string grab_id;
  std::int64_t user_id = 0;
  std::int64_t coupon_id = 0;
  std::int64_t room_id = 0;
  int shard = 0;
  std::int64_t grab_time_ms = 0;
  std::int64_t taken_us = 0;

  bool operator==(const QueuedGrab&) const = default;
};

// At most this long (the shard table's key column).
inline constexpr std::size_t kMaxGrabIdLength = 64;

std::string encode(const QueuedGrab& grab);
// nullopt with `problem` naming the field when the body is not a queued grab.
std::optional<QueuedGrab> decode_queued_grab(std::string_view body, std::string& problem);

// "<16 hex digits of this process>-<counter>": unique across processes and restarts.
std::string new_grab_id();

}  // namespace stampede::server
