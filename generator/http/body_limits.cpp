#include "generator/http/body_limits.h"

#include "units/bytes.h"

namespace stampede::http {

BodyLimits::BodyLimits(std::uint64_t max_body_bytes, std::uint64_t memory_limit_bytes)
    : max_body_bytes_(max_body_bytes),
      memory_limit_bytes_(memory_limit_bytes),
      too_large_text_("response body too large (--max-body " + units::format_bytes(max_body_bytes) + ")"),
      over_memory_text_("response bodies over the memory limit (--max-body-memory " +
                        units::format_bytes(memory_limit_bytes) + ")") {}

bool BodyLimits::take(std::uint64_t bytes) noexcept {
  std::uint64_t used = in_use_.load(std::memory_order_relaxed);
  do {
    if (bytes > memory_limit_bytes_ - used) return false;
  } while (!in_use_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  const std::uint64_t now = used + bytes;
  std::uint64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return true;
}

void BodyLimits::give(std::uint64_t bytes) noexcept { in_use_.fetch_sub(bytes, std::memory_order_relaxed); }

BodyAllowance::~BodyAllowance() { limits_.give(spare_); }

bool BodyAllowance::reserve(std::uint64_t bytes) {
  if (bytes <= spare_) {
    spare_ -= bytes;
    return true;
  }
  const std::uint64_t missing = bytes - spare_;
  // A whole number of blocks when the budget has them, else just what is missing.
  const std::uint64_t blocks = (missing + kBlock - 1) / kBlock * kBlock;
  if (limits_.take(blocks)) {
    spare_ += blocks - bytes;
    return true;
  }
  if (blocks != missing && limits_.take(missing)) {
    spare_ = 0;
    return true;
  }
  return false;
}

void BodyAllowance::release(std::uint64_t bytes) {
  spare_ += bytes;
  if (spare_ > 2 * kBlock) {
    limits_.give(spare_ - kBlock);
    spare_ = kBlock;
  }
}

}  // namespace stampede::http
