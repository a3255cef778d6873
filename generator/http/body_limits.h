// What every response body of a run obeys, on both transports:
//
// - a size limit per body (`stampede run --max-body`, default kDefaultMaxBodyBytes): a
//   larger body fails its exchange, "response body too large (--max-body 64MiB)"
//   (ErrorKind::kProtocol), whether the body is kept or only counted;
// - a memory limit for the bodies all users keep at once (`--max-body-memory`, default
//   kDefaultMaxBodyMemoryBytes): a body that cannot reserve what it grows to fails its
//   exchange, "response bodies over the memory limit (--max-body-memory 1GiB)"
//   (ErrorKind::kEngineLimit). A body is kept only while a check or capture needs it;
//   bodies only counted take no memory and are not in this budget.
//
// BodyLimits is the run-wide part: one counter shared by every worker thread. A worker
// reaches it through its BodyAllowance, which takes the budget in blocks of
// BodyAllowance::kBlock and hands it out to its connections without atomics, so the shared
// counter is touched about once per block of body, not once per request. A worker keeps at
// most two blocks unused: with T threads, up to T x 512 KiB of the budget may be idle in
// allowances while another thread is refused.
//
// Thread-safety: BodyLimits is thread-safe (atomics, no locks) and must outlive every
// allowance; a BodyAllowance belongs to one worker thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace stampede::http {

inline constexpr std::uint64_t kDefaultMaxBodyBytes = std::uint64_t{64} << 20;         // 64 MiB
inline constexpr std::uint64_t kDefaultMaxBodyMemoryBytes = std::uint64_t{1} << 30;   // 1 GiB

class BodyLimits {
 public:
  explicit BodyLimits(std::uint64_t max_body_bytes = kDefaultMaxBodyBytes,
                      std::uint64_t memory_limit_bytes = kDefaultMaxBodyMemoryBytes);
  BodyLimits(const BodyLimits&) = delete;
  BodyLimits& operator=(const BodyLimits&) = delete;

  std::uint64_t max_body_bytes() const { return max_body_bytes_; }
  std::uint64_t memory_limit_bytes() const { return memory_limit_bytes_; }
  // The failures-table texts, naming the flag and its value; valid as long as this object.
  std::string_view too_large_text() const { return too_large_text_; }
  std::string_view over_memory_text() const { return over_memory_text_; }

  // Takes `bytes` of the memory budget; false (nothing taken) if that would pass the limit.
  bool take(std::uint64_t bytes) noexcept;
  // Gives back bytes taken before.
  void give(std::uint64_t bytes) noexcept;
  std::uint64_t in_use() const noexcept { return in_use_.load(std::memory_order_relaxed); }
  // The most ever taken at once (never above the limit).
  std::uint64_t peak() const noexcept { return peak_.load(std::memory_order_relaxed); }

 private:
  const std::uint64_t max_body_bytes_;
  const std::uint64_t memory_limit_bytes_;
  const std::string too_large_text_;
  const std::string over_memory_text_;
  std::atomic<std::uint64_t> in_use_{0};
  std::atomic<std::uint64_t> peak_{0};
};

// One worker thread's share of the budget (see the file comment).
class BodyAllowance {
 public:
  static constexpr std::uint64_t kBlock = std::uint64_t{256} << 10;

  explicit BodyAllowance(BodyLimits& limits) : limits_(limits) {}
  ~BodyAllowance();  // gives back what it still holds
  BodyAllowance(const BodyAllowance&) = delete;
  BodyAllowance& operator=(const BodyAllowance&) = delete;

  const BodyLimits& limits() const { return limits_; }
  // Reserves `bytes` for one body; false (nothing reserved) when the budget refuses.
  bool reserve(std::uint64_t bytes);
  // Returns bytes reserved before.
  void release(std::uint64_t bytes);

 private:
  BodyLimits& limits_;
  std::uint64_t spare_ = 0;  // taken from the shared budget, not reserved by a body
};

}  // namespace stampede::http
