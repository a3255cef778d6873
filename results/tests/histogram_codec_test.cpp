#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "results/base64.h"
#include "results/histogram.h"

namespace stampede::results {
namespace {

Histogram round_trip(const Histogram& h) {
  const auto decoded = Histogram::decode(h.encode());
  EXPECT_TRUE(decoded.has_value());
  return decoded.value_or(Histogram{});
}

Histogram log_normal(std::size_t n, std::uint64_t seed, double sigma = 1.0) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(std::log(20'000.0), sigma);
  Histogram h;
  for (std::size_t i = 0; i < n; ++i) h.record(static_cast<std::uint64_t>(dist(rng)));
  return h;
}

TEST(HistogramCodec, EmptyEncodesToEmptyString) {
  EXPECT_EQ(Histogram{}.encode(), "");
  const auto decoded = Histogram::decode("");
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->empty());
}

TEST(HistogramCodec, RoundTripsSingleValue) {
  for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{2047}, std::uint64_t{2048},
                          std::uint64_t{123'456'789}, Histogram::kMaxValue}) {
    Histogram h;
    h.record(v);
    const Histogram back = round_trip(h);
    EXPECT_EQ(back, h) << v;
    EXPECT_EQ(back.min(), v);
    EXPECT_EQ(back.max(), v);
  }
}

TEST(HistogramCodec, RoundTripsRandomAndExtremeHistograms) {
  const Histogram random = log_normal(100'000, 1);
  EXPECT_EQ(round_trip(random), random);

  Histogram extreme;
  extreme.record(0, 3);
  extreme.record(Histogram::kMaxValue, 1);
  extreme.record(2048, std::uint64_t{1} << 40);  // counts beyond 32 bits
  EXPECT_EQ(round_trip(extreme), extreme);

  Histogram escaped;  // a count >= 2^63 takes the escape token
  escaped.record(0, 5);
  escaped.record(1, std::uint64_t{1} << 63);
  EXPECT_EQ(round_trip(escaped), escaped);
  // 2048 shares the bucket [2048, 2049]; percentiles report the bucket's highest value
  EXPECT_EQ(round_trip(extreme).value_at_percentile(50), 2049u);
}

TEST(HistogramCodec, EncodingIsCompact) {
  // Measured (median 20 ms): sigma 0.5 (p99/p50 ~3): 100k samples -> 6,684 chars;
  // sigma 1.0 (p99/p50 ~10, spanning ~12 octaves): 100k -> 11,884, 1k -> 2,276. Dense
  // counters for the same range would be ~95 KB. Costs about one byte per non-empty bucket.
  EXPECT_LT(log_normal(100'000, 2, 0.5).encode().size(), 7'000u);
  EXPECT_LT(log_normal(100'000, 2, 1.0).encode().size(), 12'500u);
  EXPECT_LT(log_normal(1'000, 2, 1.0).encode().size(), 2'500u);
  EXPECT_GT(log_normal(1'000, 2, 1.0).encode().size(), 1'000u);  // sanity: the counts are in there
  Histogram one;
  one.record(20'000);
  EXPECT_LE(one.encode().size(), 24u);
}

// decode() keeps sparse histograms in a compact form; it must behave exactly like the
// dense form under every operation.
TEST(HistogramCodec, DecodedSparseHistogramBehavesLikeDense) {
  Histogram dense;
  for (std::uint64_t v : {900u, 1'500u, 12'345u, 12'346u, 250'000u, 3'000'000u}) dense.record(v);
  const Histogram sparse = round_trip(dense);
  EXPECT_EQ(sparse, dense);
  EXPECT_EQ(dense, sparse);
  for (double p : {0.0, 10.0, 50.0, 66.0, 67.0, 99.0, 100.0}) {
    EXPECT_EQ(sparse.value_at_percentile(p), dense.value_at_percentile(p)) << p;
  }
  std::vector<std::uint64_t> a, b;
  dense.for_each_bucket([&](auto lo, auto hi, auto c) { a.insert(a.end(), {lo, hi, c}); });
  sparse.for_each_bucket([&](auto lo, auto hi, auto c) { b.insert(b.end(), {lo, hi, c}); });
  EXPECT_EQ(a, b);
  EXPECT_EQ(sparse.encode(), dense.encode());

  Histogram recorded = sparse;  // recording converts back to dense
  recorded.record(7);
  recorded.record(5'000'000);
  Histogram expected = dense;
  expected.record(7);
  expected.record(5'000'000);
  EXPECT_EQ(recorded, expected);
  EXPECT_EQ(recorded.value_at_percentile(50), expected.value_at_percentile(50));

  Histogram into_sparse = sparse;  // merge in both directions
  into_sparse.merge(expected);
  Histogram into_dense = expected;
  into_dense.merge(sparse);
  EXPECT_EQ(into_sparse, into_dense);
  EXPECT_EQ(into_sparse.count(), 2 * dense.count() + 2);
  Histogram from_empty;
  from_empty.merge(sparse);
  EXPECT_EQ(from_empty, dense);

  Histogram differs = dense;
  differs.record(12'345);
  EXPECT_NE(round_trip(differs), sparse);  // mixed-form equality still sees differences
  // Same count, sum, min and max; only the buckets in between differ.
  Histogram left, right;
  for (std::uint64_t v : {100u, 3'000u, 5'000u, 9'000u}) left.record(v);
  for (std::uint64_t v : {100u, 2'000u, 6'000u, 9'000u}) right.record(v);
  EXPECT_NE(round_trip(left), right);
  EXPECT_NE(left, round_trip(right));
  EXPECT_NE(round_trip(left), round_trip(right));
  EXPECT_EQ(round_trip(left), left);
  Histogram cleared = sparse;
  cleared.reset();
  EXPECT_TRUE(cleared.empty());
  EXPECT_EQ(cleared, Histogram{});
}

TEST(HistogramCodec, FirstByteIsTheEncodingVersion) {
  Histogram h;
  h.record(42);
  const auto body = base64_decode(h.encode());
  ASSERT_TRUE(body);
  EXPECT_EQ(static_cast<unsigned char>((*body)[0]), 1u);
}

TEST(HistogramCodec, RejectsMalformedInput) {
  Histogram h;
  h.record(100);
  h.record(5000, 2);
  h.record(900'000);
  const std::string body = *base64_decode(h.encode());
  const auto reject = [](const std::string& bytes) { return !Histogram::decode(base64_encode(bytes)); };

  EXPECT_TRUE(Histogram::decode(base64_encode(body)));  // the unmodified body is fine
  EXPECT_FALSE(Histogram::decode("not base64!"));
  EXPECT_FALSE(Histogram::decode(h.encode().substr(0, 4)));
  std::string bad_version = body;
  bad_version[0] = 2;
  EXPECT_TRUE(reject(bad_version));
  for (std::size_t cut = 1; cut < body.size(); ++cut) {
    EXPECT_TRUE(reject(body.substr(0, cut))) << "truncated at " << cut;
  }
  std::string wrong_total = body;
  wrong_total[1] = 5;  // total 4 -> 5: counts no longer add up
  EXPECT_TRUE(reject(wrong_total));
  EXPECT_TRUE(reject(body + '\x01'));  // an extra count past the bucket of max
  // Hand-made bodies: version, total 1, sum 5, min 5, max 5, first index, tokens.
  // Token t: odd = run of (t>>1)+1 empty buckets, even = count t>>1, 0 = escaped count.
  EXPECT_FALSE(reject(std::string("\x01\x01\x05\x05\x05\x05\x02", 7)));  // valid: one value 5
  EXPECT_TRUE(reject(std::string("\x01\x01\x05\x05\x05\x06\x02", 7)));  // first index != bucket of min
  EXPECT_TRUE(reject(std::string("\x01\x01\x05\x05\x05\x05\x01\x02", 8)));  // leading zero run
  EXPECT_TRUE(reject(std::string("\x01\x01\x06\x05\x05\x05\x02", 7)));  // sum != min*total
  EXPECT_TRUE(reject(std::string("\x01\x01\x05\x05\x05\x05\x00\x01", 8)));  // non-canonical escape
  // two values 5 and 7: count 1, run of 1, count 1 -- and the same with a run too long
  EXPECT_FALSE(reject(std::string("\x01\x02\x0c\x05\x07\x05\x02\x01\x02", 9)));
  EXPECT_TRUE(reject(std::string("\x01\x02\x0c\x05\x07\x05\x02\x03\x02", 9)));
  EXPECT_TRUE(reject(std::string("\x01\x00\x00\x00\x00\x00", 6)));      // total 0 in a body
  // max beyond kMaxValue (2^36 + 1 as LEB128)
  EXPECT_TRUE(reject(std::string("\x01\x01\x05\x05\x81\x80\x80\x80\x80\x02\x05\x01", 12)));
  // an 11-byte varint
  EXPECT_TRUE(reject(std::string("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12)));
}

TEST(HistogramCodec, RandomGarbageNeverCrashes) {
  std::mt19937_64 rng(99);
  const std::string valid = log_normal(1000, 3).encode();
  const std::string body = *base64_decode(valid);
  int accepted = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string bytes;
    if (i % 2 == 0) {
      bytes.resize(rng() % 64);
      for (auto& c : bytes) c = static_cast<char>(rng());
    } else {  // mutate a valid body: flip a few bytes, keep the structure plausible
      bytes = body;
      for (int k = 0; k < 3; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    const auto h = Histogram::decode(base64_encode(bytes));
    if (h) {
      ++accepted;
      // Whatever is accepted is self-consistent and re-encodes to itself.
      EXPECT_EQ(Histogram::decode(h->encode()), h);
    }
    // raw garbage text (not even base64) must not crash either
    std::string text(rng() % 40, '\0');
    for (auto& c : text) c = static_cast<char>(rng());
    (void)Histogram::decode(text);
  }
  EXPECT_LT(accepted, 2'000);  // the invariant checks reject nearly all mutations
}

}  // namespace
}  // namespace stampede::results
