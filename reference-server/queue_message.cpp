#include "reference-server/queue_message.h"

#include <sys/random.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace stampede::server {

namespace {

using nlohmann::json;

bool take_int(const json& j, const char* key, std::int64_t& out, std::string& problem) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) {
    problem = std::string(key) + ": expected an integer";
    return false;
  }
  out = it->get<std::int64_t>();
  return true;
}

std::string process_tag() {
  std::uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, 0) != static_cast<ssize_t>(sizeof bits)) {
    // No entropy source: the clock still differs between processes and restarts.
    bits = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) ^
           (static_cast<std::uint64_t>(::getpid()) << 40);
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(bits));
  return text;
}

}  // namespace

std::string encode(const QueuedGrab& grab) {
  return json{{"grab_id", grab.grab_id},         {"user_id", grab.user_id},
              {"coupon_id", grab.coupon_id},     {"room_id", grab.room_id},
              {"shard", grab.shard},             {"grab_time_ms", grab.grab_time_ms},
              {"taken_us", grab.taken_us}}
      .dump();
}

std::optional<QueuedGrab> decode_queued_grab(std::string_view body, std::string& problem) {
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    problem = "not a JSON object";
    return std::nullopt;
  }
  QueuedGrab grab;
  const auto id = j.find("grab_id");
  if (id == j.end() || !id->is_string() || id->get_ref<const std::string&>().empty() ||
      id->get_ref<const std::string&>().size() > kMaxGrabIdLength) {
    problem = "grab_id: expected a string of 1.." + std::to_string(kMaxGrabIdLength) + " characters";
    return std::nullopt;
  }
  grab.grab_id = id->get<std::string>();
  std::int64_t shard = 0;
  if (!take_int(j, "user_id", grab.user_id, problem) || !take_int(j, "coupon_id", grab.coupon_id, problem) ||
      !take_int(j, "room_id", grab.room_id, problem) || !take_int(j, "shard", shard, problem) ||
      !take_int(j, "grab_time_ms", grab.grab_time_ms, problem) || !take_int(j, "taken_us", grab.taken_us, problem)) {
    return std::nullopt;
  }
  if (shard < 0 || shard > 1023) {
    problem = "shard: expected 0..1023";
    return std::nullopt;
  }
  grab.shard = static_cast<int>(shard);
  return grab;
}

std::string new_grab_id() {
  static const std::string tag = process_tag();
  static std::atomic<std::uint64_t> counter{0};
  return tag + "-" + std::to_string(counter.fetch_add(1, std::memory_order_relaxed) + 1);
}

}  // namespace stampede::server
