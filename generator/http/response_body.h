// ResponseBody: one response's body as it arrives, on either transport — kept (for the
// request's checks and captures) within the run's BodyLimits, or only counted.
//
// Per exchange: start() (forgets the previous body), expect() when the response announces
// its length, append() per piece received, then the owner reads kept()/received(), and
// release() returns the memory. A refused body takes nothing more: the transport ends the
// exchange with refusal_error().
//
// Memory: a kept body reserves what its buffer grows to (the announced length at once, else
// doubling) from its worker's BodyAllowance before it allocates; release() gives it back and
// frees a buffer over kRetainedBytes (a smaller one is reused by the next body and not
// counted while idle). Without an allowance (a parser fed bytes by a test or fuzzer) the
// default size limit applies and no memory limit.
//
// Thread-safety: none; lives on its connection's worker thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "generator/http/transport_error.h"

namespace stampede::http {

class BodyAllowance;

// What the owner of an exchange needs of the response body.
enum class BodyUse : std::uint8_t {
  kKeep,   // a check or capture reads it
  kCount,  // only its size is recorded: the bytes are dropped as they arrive
};

class ResponseBody {
 public:
  enum class Refusal : std::uint8_t { kNone, kTooLarge, kOverMemory };
  static constexpr std::uint64_t kRetainedBytes = 16 * 1024;

  ResponseBody() = default;
  ~ResponseBody() { release(); }
  ResponseBody(ResponseBody&& other) noexcept;
  ResponseBody& operator=(ResponseBody&& other) noexcept;
  ResponseBody(const ResponseBody&) = delete;
  ResponseBody& operator=(const ResponseBody&) = delete;

  // A new response: releases the previous one. `allowance` may be null (see above).
  void start(BodyAllowance* allowance, BodyUse use);
  // The length the response announced: false (refused) when over a limit; else a kept body
  // reserves it at once.
  bool expect(std::uint64_t length);
  // The next piece of the body: false (refused, nothing taken) when over a limit.
  bool append(std::string_view data);

  std::string_view kept() const { return text_; }  // empty unless BodyUse::kKeep
  std::uint64_t received() const { return received_; }
  Refusal refusal() const { return refusal_; }
  // The failure of a refused body (the flag and limit in its text); also what a transport
  // reports when it refuses a body for its size before reading it.
  TransportError refusal_error() const;
  TransportError too_large_error() const;

  // The exchange is over: the reservation goes back, a large buffer is freed.
  void release();

 private:
  std::uint64_t max_bytes() const;
  bool reserve_up_to(std::uint64_t capacity);

  BodyAllowance* allowance_ = nullptr;
  std::string text_;
  std::uint64_t received_ = 0;
  std::uint64_t reserved_ = 0;  // of text_'s capacity, taken from allowance_
  BodyUse use_ = BodyUse::kKeep;
  Refusal refusal_ = Refusal::kNone;
};

}  // namespace stampede::http
