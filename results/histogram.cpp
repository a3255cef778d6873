// Histogram: bucket math, recording, merging and queries. Encoding lives in
// histogram_codec.cpp.
#include "results/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace stampede::results {
namespace {

// 2^kSubBits sub-buckets per power of two; the first 2 * 2^kSubBits values are exact.
constexpr int kSubBits = 10;
constexpr std::uint64_t kLinearLimit = std::uint64_t{2} << kSubBits;  // 2048
constexpr std::size_t kSubCount = std::size_t{1} << kSubBits;         // 1024

// Storage grows in whole octaves so the slow path runs at most once per power of two.
std::size_t storage_size_for(std::size_t index) noexcept {
  const std::size_t wanted = (index / kSubCount + 1) * kSubCount;
  return std::min(wanted, Histogram::bucket_count());
}

}  // namespace

std::size_t Histogram::bucket_index(std::uint64_t value) noexcept {
  value = std::min(value, kMaxValue);
  // For v < 2048 the shift is 0 and the index is v itself. Above, each octave
  // [2^k, 2^(k+1)) is shifted right until it spans [1024, 2048), then offset by one
  // octave of indices per shift step: no branches besides the clamp.
  const int shift = std::bit_width(value | (kLinearLimit - 1)) - (kSubBits + 1);
  return (static_cast<std::size_t>(shift) << kSubBits) + static_cast<std::size_t>(value >> shift);
}

std::uint64_t Histogram::bucket_lowest(std::size_t index) noexcept {
  const std::size_t octave = std::max<std::size_t>(index >> kSubBits, 1) - 1;
  return static_cast<std::uint64_t>(index - (octave << kSubBits)) << octave;
}

std::uint64_t Histogram::bucket_highest(std::size_t index) noexcept {
  const std::size_t octave = std::max<std::size_t>(index >> kSubBits, 1) - 1;
  const std::uint64_t highest = bucket_lowest(index) + (std::uint64_t{1} << octave) - 1;
  return std::min(highest, kMaxValue);
}

std::size_t Histogram::bucket_count() noexcept { return bucket_index(kMaxValue) + 1; }

void Histogram::record(std::uint64_t value_us, std::uint64_t count) noexcept {
  if (count == 0) return;
  const std::uint64_t value = std::min(value_us, kMaxValue);
  const std::size_t index = bucket_index(value);
  if (index >= counts_.size()) [[unlikely]] {
    // noexcept: an allocation failure of at most ~220 KB terminates, like any OOM.
    if (!sparse_.empty()) densify();
    if (index >= counts_.size()) counts_.resize(storage_size_for(index), 0);
  }
  counts_[index] += count;
  if (total_ == 0) {
    min_ = value;
    max_ = value;
  } else {
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
  }
  total_ += count;
  sum_ += value * count;
}

void Histogram::densify() {
  if (sparse_.empty()) return;
  counts_.assign(storage_size_for(sparse_.back().index), 0);
  for (const SparseBucket& b : sparse_) counts_[b.index] = b.count;
  sparse_.clear();
  sparse_.shrink_to_fit();
}

std::uint64_t Histogram::count_at(std::size_t index) const noexcept {
  if (sparse_.empty()) return index < counts_.size() ? counts_[index] : 0;
  const auto it = std::lower_bound(sparse_.begin(), sparse_.end(), index,
                                   [](const SparseBucket& b, std::size_t i) { return b.index < i; });
  return it != sparse_.end() && it->index == index ? it->count : 0;
}

void Histogram::merge(const Histogram& other) {
  if (other.total_ == 0) return;
  densify();
  const std::size_t needed = bucket_index(other.max_) + 1;
  if (needed > counts_.size()) counts_.resize(storage_size_for(needed - 1), 0);
  other.visit_nonzero([this](std::size_t i, std::uint64_t c) { counts_[i] += c; });
  if (total_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  total_ += other.total_;
  sum_ += other.sum_;
}

void Histogram::reset() noexcept {
  sparse_.clear();
  std::fill(counts_.begin(), counts_.end(), 0);  // keep the allocation for reuse
  total_ = sum_ = min_ = max_ = 0;
}

std::uint64_t Histogram::min() const noexcept { return total_ == 0 ? 0 : min_; }
std::uint64_t Histogram::max() const noexcept { return total_ == 0 ? 0 : max_; }

double Histogram::mean() const noexcept {
  return total_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(total_);
}

std::uint64_t Histogram::value_at_percentile(double p) const noexcept {
  if (total_ == 0) return 0;
  if (!(p > 0)) return min_;  // also catches NaN
  if (p >= 100) return max_;
  // rank = ceil(p/100 * n). The tiny relative slack absorbs binary rounding of decimal
  // percentiles (99.9/100 * 1e5 is 99900.00000000001, which must still mean rank 99900).
  const double exact = p / 100.0 * static_cast<double>(total_);
  const double rank_d = std::ceil(exact - exact * 1e-12);
  const std::uint64_t rank =
      std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::max(rank_d, 1.0)), 1, total_);
  std::uint64_t seen = 0;
  for (const SparseBucket& b : sparse_) {
    seen += b.count;
    if (seen >= rank) return std::clamp(bucket_highest(b.index), min_, max_);
  }
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(bucket_highest(i), min_, max_);
  }
  return max_;  // unreachable while the counts sum to total_
}

void Histogram::for_each_bucket(
    const std::function<void(std::uint64_t lo, std::uint64_t hi, std::uint64_t count)>& fn) const {
  visit_nonzero([&](std::size_t i, std::uint64_t c) { fn(bucket_lowest(i), bucket_highest(i), c); });
}

bool operator==(const Histogram& a, const Histogram& b) noexcept {
  if (a.total_ != b.total_ || a.sum_ != b.sum_ || a.min() != b.min() || a.max() != b.max()) {
    return false;
  }
  if (!a.sparse_.empty() || !b.sparse_.empty()) {
    // Mixed or sparse forms: compare bucket by bucket up to the bucket of max (equal above).
    for (std::size_t i = 0, last = Histogram::bucket_index(a.max()); i <= last; ++i) {
      if (a.count_at(i) != b.count_at(i)) return false;
    }
    return true;
  }
  // Storage sizes differ with history (lazy growth); missing counters are zero.
  const std::size_t common = std::min(a.counts_.size(), b.counts_.size());
  if (!std::equal(a.counts_.begin(), a.counts_.begin() + common, b.counts_.begin())) return false;
  const auto& longer = a.counts_.size() > b.counts_.size() ? a.counts_ : b.counts_;
  return std::all_of(longer.begin() + common, longer.end(), [](auto c) { return c == 0; });
}

}  // namespace stampede::results
