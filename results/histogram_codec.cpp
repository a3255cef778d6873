// Histogram::encode / decode. Byte layout (before base64), all integers unsigned LEB128:
//
//   u8      version            = 1
//   varint  total count        (>= 1; the empty histogram encodes to "")
//   varint  sum of values (µs)
//   varint  min (µs)
//   varint  max (µs)
//   varint  first bucket index (of min)
//   tokens  from that index on, until the bucket of max, one varint t each:
//             t odd              a run of (t >> 1) + 1 empty buckets
//             t even, t > 0      one bucket holding t >> 1 values (1 .. 2^63 - 1)
//             t = 0, varint c    one bucket holding c >= 2^63 values (escape)
// so a lone empty bucket or a count below 64 costs one byte.
//
// decode() re-checks every invariant (indices in range, counts summing to the total
// without overflow, min/max lying in the first/last non-empty bucket, sum between
// min*n and max*n), so anything it accepts is a histogram encode() could have produced.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/base64.h"
#include "results/histogram.h"

namespace stampede::results {
namespace {

constexpr std::uint8_t kEncodingVersion = 1;
constexpr std::uint64_t kEscapedCount = std::uint64_t{1} << 63;

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool at_end() const { return pos_ == bytes_.size(); }

  std::optional<std::uint8_t> byte() {
    if (at_end()) return std::nullopt;
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }

  // At most 10 bytes; the 10th may only carry the top bit of a uint64.
  std::optional<std::uint64_t> varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto b = byte();
      if (!b) return std::nullopt;
      const std::uint64_t bits = *b & 0x7f;
      if (shift == 63 && bits > 1) return std::nullopt;
      v |= bits << shift;
      if ((*b & 0x80) == 0) return v;
    }
    return std::nullopt;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string Histogram::encode() const {
  if (total_ == 0) return {};
  std::string body;
  body += static_cast<char>(kEncodingVersion);
  put_varint(body, total_);
  put_varint(body, sum_);
  put_varint(body, min_);
  put_varint(body, max_);
  put_varint(body, bucket_index(min_));
  std::size_t next = bucket_index(min_);  // the bucket the next token describes
  visit_nonzero([&](std::size_t i, std::uint64_t count) {
    if (i > next) put_varint(body, (i - next - 1) << 1 | 1);  // run of i - next empty buckets
    if (count < kEscapedCount) {
      put_varint(body, count << 1);
    } else {
      put_varint(body, 0);
      put_varint(body, count);
    }
    next = i + 1;
  });
  return base64_encode(body);
}

std::optional<Histogram> Histogram::decode(std::string_view text) {
  if (text.empty()) return Histogram{};
  const auto body = base64_decode(text);
  if (!body) return std::nullopt;
  ByteReader in(*body);
  if (in.byte() != kEncodingVersion) return std::nullopt;
  const auto total = in.varint();
  const auto sum = in.varint();
  const auto min = in.varint();
  const auto max = in.varint();
  const auto first = in.varint();
  if (!total || !sum || !min || !max || !first) return std::nullopt;
  if (*total == 0 || *min > *max || *max > kMaxValue) return std::nullopt;
  const std::size_t last = bucket_index(*max);
  if (*first != bucket_index(*min)) return std::nullopt;
  // sum must lie in [min * total, max * total]; 128-bit to avoid overflow.
  const unsigned __int128 n = *total;
  if (*sum < n * *min || *sum > n * *max) return std::nullopt;

  std::vector<SparseBucket> buckets;
  std::uint64_t index = *first;
  std::uint64_t seen = 0;
  while (!in.at_end()) {
    const auto token = in.varint();
    if (!token) return std::nullopt;
    if (*token & 1) {
      const std::uint64_t run = *token >> 1;  // run + 1 empty buckets
      // A run must sit between two counts: not first, and leaving room for one more.
      if (buckets.empty() || index > last || run >= last - index) return std::nullopt;
      index += run + 1;
      continue;
    }
    std::uint64_t count = *token >> 1;
    if (count == 0) {
      const auto escaped = in.varint();
      if (!escaped || *escaped < kEscapedCount) return std::nullopt;  // canonical form only
      count = *escaped;
    }
    if (index > last) return std::nullopt;
    if (count > *total - seen) return std::nullopt;  // counts would exceed the total
    buckets.push_back({static_cast<std::uint32_t>(index++), count});
    seen += count;
  }
  // The last count must have been in the bucket of max, and all counts accounted for.
  if (index != last + 1 || seen != *total) return std::nullopt;

  Histogram h;
  // Keep whichever form is smaller: short intervals decode to a few hundred bytes
  // instead of tens of KB of mostly-zero counters.
  if (buckets.size() * sizeof(SparseBucket) < (last + 1) * sizeof(std::uint64_t)) {
    h.sparse_ = std::move(buckets);
    h.sparse_.shrink_to_fit();
  } else {
    h.counts_.assign(last + 1, 0);
    for (const SparseBucket& b : buckets) h.counts_[b.index] = b.count;
  }
  h.total_ = *total;
  h.sum_ = *sum;
  h.min_ = *min;
  h.max_ = *max;
  return h;
}

}  // namespace stampede::results
