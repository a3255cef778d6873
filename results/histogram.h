// Histogram: a log-linear, HDR-style latency histogram as a small value type.
//
// Values are unsigned integers in MICROSECONDS. Trackable range: 0 .. kMaxValue
// (2^36 µs ≈ 19 hours); larger values are clamped to kMaxValue and still counted.
// Resolution: every value v is stored in a bucket whose width is at most v/1024, so any
// reported value (min, max, percentiles) is within 0.1% of a recorded value. Values below
// 2048 µs are exact.
//
// Layout: 2048 linear sub-buckets for [0, 2048), then for each power of two above that,
// 1024 sub-buckets spanning it (the scheme HdrHistogram uses with 3 significant digits).
// Counters are allocated lazily: an empty histogram costs a few words.
//
// Thread-safety: none. Each worker thread owns its histograms; merge() them at snapshots.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::results {

class Histogram {
 public:
  static constexpr std::uint64_t kMaxValue = std::uint64_t{1} << 36;

  Histogram() = default;

  // --- record ---------------------------------------------------------------
  void record(std::uint64_t value_us, std::uint64_t count = 1) noexcept;
  void merge(const Histogram& other);
  void reset() noexcept;

  // --- query ----------------------------------------------------------------
  std::uint64_t count() const noexcept { return total_; }
  bool empty() const noexcept { return total_ == 0; }
  std::uint64_t min() const noexcept;  // 0 when empty; exact lowest recorded value
  std::uint64_t max() const noexcept;  // 0 when empty; exact highest recorded value
  double mean() const noexcept;        // 0 when empty; exact (sum / count)
  std::uint64_t sum() const noexcept { return sum_; }

  // The value at percentile p (0..100): the smallest recorded-equivalent value v such that
  // at least ceil(p/100 * count) recorded values are <= v. Reported as the bucket's
  // highest equivalent value, clamped to [min(), max()]. 0 when empty. p=0 gives min(),
  // p=100 gives max().
  std::uint64_t value_at_percentile(double p) const noexcept;

  // Visit the non-empty buckets in increasing order: (lowest value, highest value, count).
  void for_each_bucket(
      const std::function<void(std::uint64_t lo, std::uint64_t hi, std::uint64_t count)>& fn) const;

  // --- encode ---------------------------------------------------------------
  // Compact text encoding (base64 of a versioned, run-length + LEB128 varint body) that
  // round-trips exactly: decode(encode(h)) == h. Empty histograms encode to "".
  std::string encode() const;
  // Returns std::nullopt for malformed input (never throws, never crashes).
  static std::optional<Histogram> decode(std::string_view text);

  friend bool operator==(const Histogram& a, const Histogram& b) noexcept;

  // Bucket index math, exposed for tests.
  static std::size_t bucket_index(std::uint64_t value) noexcept;
  static std::uint64_t bucket_lowest(std::size_t index) noexcept;
  static std::uint64_t bucket_highest(std::size_t index) noexcept;
  static std::size_t bucket_count() noexcept;

 private:
  // Compact form that decode() picks for sparse histograms (e.g. short history intervals,
  // where dense counters would cost ~40 KB each): the non-empty buckets in index order.
  // While sparse_ is non-empty, counts_ is empty; any mutation first converts to dense.
  struct SparseBucket {
    std::uint32_t index;
    std::uint64_t count;
  };

  void densify();
  std::uint64_t count_at(std::size_t index) const noexcept;
  // fn(index, count) for each non-empty bucket, in index order, either representation.
  template <typename Fn>
  void visit_nonzero(Fn&& fn) const {
    for (const SparseBucket& b : sparse_) fn(std::size_t{b.index}, b.count);
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] != 0) fn(i, counts_[i]);
    }
  }

  std::vector<std::uint64_t> counts_;  // empty until the first record()
  std::vector<SparseBucket> sparse_;   // see above; empty unless made by decode()
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace stampede::results
