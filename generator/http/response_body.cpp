#include "generator/http/response_body.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "generator/http/body_limits.h"

namespace stampede::http {
namespace {

constexpr std::uint64_t kFirstReserve = 4 * 1024;

}  // namespace

ResponseBody::ResponseBody(ResponseBody&& other) noexcept
    : allowance_(other.allowance_),
      text_(std::move(other.text_)),
      received_(other.received_),
      reserved_(std::exchange(other.reserved_, 0)),
      use_(other.use_),
      refusal_(other.refusal_) {}

ResponseBody& ResponseBody::operator=(ResponseBody&& other) noexcept {
  if (this == &other) return *this;
  release();
  allowance_ = other.allowance_;
  text_ = std::move(other.text_);
  received_ = other.received_;
  reserved_ = std::exchange(other.reserved_, 0);
  use_ = other.use_;
  refusal_ = other.refusal_;
  return *this;
}

void ResponseBody::start(BodyAllowance* allowance, BodyUse use) {
  release();
  allowance_ = allowance;
  use_ = use;
}

std::uint64_t ResponseBody::max_bytes() const {
  return allowance_ != nullptr ? allowance_->limits().max_body_bytes() : kDefaultMaxBodyBytes;
}

// Reserves (from the allowance) up to `capacity` bytes of buffer, then grows the buffer.
bool ResponseBody::reserve_up_to(std::uint64_t capacity) {
  if (capacity <= reserved_) return true;
  if (allowance_ != nullptr && !allowance_->reserve(capacity - reserved_)) return false;
  try {
    text_.reserve(static_cast<std::size_t>(capacity));
  } catch (const std::exception&) {  // bad_alloc, length_error: a limit set beyond the machine
    if (allowance_ != nullptr) allowance_->release(capacity - reserved_);
    return false;
  }
  reserved_ = capacity;
  return true;
}

bool ResponseBody::expect(std::uint64_t length) {
  if (refusal_ != Refusal::kNone) return false;
  if (length > max_bytes()) {
    refusal_ = Refusal::kTooLarge;
    return false;
  }
  if (use_ == BodyUse::kKeep && !reserve_up_to(length)) {
    refusal_ = Refusal::kOverMemory;
    return false;
  }
  return true;
}

bool ResponseBody::append(std::string_view data) {
  if (refusal_ != Refusal::kNone) return false;
  const std::uint64_t max = max_bytes();
  if (data.size() > max - received_) {
    refusal_ = Refusal::kTooLarge;
    return false;
  }
  received_ += data.size();
  if (use_ == BodyUse::kCount) return true;
  const std::uint64_t needed = text_.size() + data.size();
  if (needed > reserved_) {
    // Double (as std::string would), within the size limit; if the budget cannot give that
    // much, exactly what is needed.
    const std::uint64_t doubled = std::min(max, std::max({needed, 2 * reserved_, kFirstReserve}));
    if (!reserve_up_to(doubled) && !reserve_up_to(needed)) {
      refusal_ = Refusal::kOverMemory;
      return false;
    }
  }
  text_.append(data);
  return true;
}

TransportError ResponseBody::too_large_error() const {
  return {ErrorKind::kProtocol, allowance_ != nullptr ? allowance_->limits().too_large_text()
                                                      : std::string_view("response body too large")};
}

TransportError ResponseBody::refusal_error() const {
  if (refusal_ == Refusal::kOverMemory)
    return {ErrorKind::kEngineLimit, allowance_ != nullptr ? allowance_->limits().over_memory_text()
                                                           : std::string_view("response bodies over the memory limit")};
  return too_large_error();
}

void ResponseBody::release() {
  if (allowance_ != nullptr && reserved_ > 0) allowance_->release(reserved_);
  reserved_ = 0;
  received_ = 0;
  refusal_ = Refusal::kNone;
  if (text_.capacity() > kRetainedBytes) {
    std::string().swap(text_);
  } else {
    text_.clear();
  }
}

}  // namespace stampede::http
