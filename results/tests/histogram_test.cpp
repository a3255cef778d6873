#include "results/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace stampede::results {
namespace {

// Percentiles as exact fractions num/den of 100, so the reference rank ceil(p/100 * n) is
// computed in integers, independent of the floating-point path inside the histogram.
struct Percentile {
  double p;
  std::uint64_t num;
  std::uint64_t den;
};
constexpr Percentile kPercentiles[] = {
    {0, 0, 1},        {1, 1, 100},         {50, 50, 100},       {90, 90, 100},     {95, 95, 100},
    {99, 99, 100},    {99.9, 999, 1000},   {99.99, 9999, 10000}, {100, 1, 1},
};

std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, const Percentile& pc) {
  if (pc.num == 0) return sorted.front();
  const std::uint64_t n = sorted.size();
  const std::uint64_t rank = (pc.num * n + pc.den - 1) / pc.den;  // ceil, >= 1
  return sorted[rank - 1];
}

void expect_percentiles_within_tenth_of_percent(const std::vector<std::uint64_t>& values) {
  Histogram h;
  for (auto v : values) h.record(v);
  auto sorted = values;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& pc : kPercentiles) {
    const double exact = static_cast<double>(exact_percentile(sorted, pc));
    const double got = static_cast<double>(h.value_at_percentile(pc.p));
    EXPECT_LE(std::abs(got - exact), exact * 0.001) << "p" << pc.p << " exact " << exact << " got " << got;
  }
}

std::vector<std::uint64_t> sample(std::size_t n, auto&& draw) {
  std::mt19937_64 rng(12345);
  std::vector<std::uint64_t> values(n);
  for (auto& v : values) v = draw(rng);
  return values;
}

TEST(Histogram, PercentilesOfUniformSamples) {
  expect_percentiles_within_tenth_of_percent(sample(200'000, [](auto& rng) {
    return std::uniform_int_distribution<std::uint64_t>(0, 5'000'000)(rng);
  }));
}

TEST(Histogram, PercentilesOfLogNormalSamples) {
  expect_percentiles_within_tenth_of_percent(sample(200'000, [](auto& rng) {
    // median ~20 ms, long tail into seconds
    return static_cast<std::uint64_t>(std::lognormal_distribution<double>(std::log(20'000.0), 1.0)(rng));
  }));
}

TEST(Histogram, PercentilesOfBimodalSamples) {
  expect_percentiles_within_tenth_of_percent(sample(200'000, [](auto& rng) {
    // 95% fast cache hits around 800 µs, 5% slow misses around 250 ms
    const bool slow = std::bernoulli_distribution(0.05)(rng);
    const double v = slow ? std::normal_distribution<double>(250'000, 30'000)(rng)
                          : std::normal_distribution<double>(800, 100)(rng);
    return static_cast<std::uint64_t>(std::max(v, 0.0));
  }));
}

TEST(Histogram, MinMaxMeanAreExact) {
  Histogram h;
  const std::vector<std::uint64_t> values = {123'457, 3'000'001, 2'049, 98'765'432, 7};
  std::uint64_t sum = 0;
  for (auto v : values) {
    h.record(v);
    sum += v;
  }
  EXPECT_EQ(h.min(), 7u);
  EXPECT_EQ(h.max(), 98'765'432u);
  EXPECT_EQ(h.sum(), sum);
  EXPECT_DOUBLE_EQ(h.mean(), static_cast<double>(sum) / 5.0);
  EXPECT_EQ(h.value_at_percentile(0), 7u);
  EXPECT_EQ(h.value_at_percentile(100), 98'765'432u);
  EXPECT_EQ(h.count(), 5u);
}

TEST(Histogram, EmptyReportsZeros) {
  const Histogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.value_at_percentile(50), 0u);
  int buckets = 0;
  h.for_each_bucket([&](auto, auto, auto) { ++buckets; });
  EXPECT_EQ(buckets, 0);
}

TEST(Histogram, ValuesBelow2048AreExact) {
  for (std::uint64_t v = 0; v < 2048; ++v) {
    ASSERT_EQ(Histogram::bucket_index(v), v);
    ASSERT_EQ(Histogram::bucket_lowest(v), v);
    ASSERT_EQ(Histogram::bucket_highest(v), v);
  }
  Histogram h;
  for (std::uint64_t v = 0; v < 2048; ++v) h.record(v);
  for (std::uint64_t v = 1; v <= 2048; ++v) {
    // rank v out of 2048 is the value v-1: every percentile hits an exact value
    const double p = 100.0 * static_cast<double>(v) / 2048.0;
    ASSERT_EQ(h.value_at_percentile(p), v - 1) << "p=" << p;
  }
}

TEST(Histogram, BucketsAreContiguousAndWithinRelativeError) {
  std::uint64_t expected_lo = 0;
  for (std::size_t i = 0; i < Histogram::bucket_count(); ++i) {
    const std::uint64_t lo = Histogram::bucket_lowest(i);
    const std::uint64_t hi = Histogram::bucket_highest(i);
    ASSERT_EQ(lo, expected_lo) << "index " << i;
    ASSERT_LE(lo, hi);
    ASSERT_LE(hi - lo, lo / 1024) << "index " << i;  // width <= value/1024
    ASSERT_EQ(Histogram::bucket_index(lo), i);
    ASSERT_EQ(Histogram::bucket_index(hi), i);
    expected_lo = hi + 1;
  }
  EXPECT_EQ(Histogram::bucket_highest(Histogram::bucket_count() - 1), Histogram::kMaxValue);
}

TEST(Histogram, HugeValuesAreClampedAndCounted) {
  Histogram h;
  h.record(Histogram::kMaxValue * 5);
  h.record(UINT64_MAX);
  h.record(10);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.max(), Histogram::kMaxValue);
  EXPECT_EQ(h.value_at_percentile(99), Histogram::kMaxValue);
  EXPECT_EQ(h.sum(), 2 * Histogram::kMaxValue + 10);
  EXPECT_EQ(Histogram::bucket_index(UINT64_MAX), Histogram::bucket_count() - 1);
}

TEST(Histogram, RecordWithCountWeightsValues) {
  Histogram h;
  h.record(1000, 99);
  h.record(50'000, 1);
  h.record(7, 0);  // a zero count records nothing
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_EQ(h.value_at_percentile(99), 1000u);
  EXPECT_EQ(h.value_at_percentile(99.5), 50'000u);
}

TEST(Histogram, MergeOfPartsEqualsRecordingEverything) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(std::log(5000.0), 1.5);
  Histogram whole;
  std::vector<Histogram> parts(4);
  for (int i = 0; i < 50'000; ++i) {
    const auto v = static_cast<std::uint64_t>(dist(rng));
    whole.record(v);
    parts[static_cast<std::size_t>(i) % parts.size()].record(v);
  }
  Histogram merged;
  for (const auto& p : parts) merged.merge(p);
  EXPECT_EQ(merged, whole);
  EXPECT_EQ(merged.value_at_percentile(99), whole.value_at_percentile(99));

  Histogram other = whole;
  other.record(1);
  EXPECT_NE(other, whole);  // equality really compares contents
}

TEST(Histogram, EqualityIgnoresStorageSize) {
  Histogram small;
  small.record(5);
  Histogram grown;
  grown.record(10'000'000);
  grown.reset();
  grown.record(5);
  EXPECT_EQ(small, grown);
  EXPECT_TRUE(grown.count() == 1 && grown.max() == 5);
}

TEST(Histogram, ForEachBucketVisitsNonEmptyBucketsInOrder) {
  Histogram h;
  h.record(3);
  h.record(3);
  h.record(5000);
  std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>> seen;
  h.for_each_bucket([&](auto lo, auto hi, auto c) { seen.emplace_back(lo, hi, c); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], std::make_tuple(3u, 3u, 2u));
  EXPECT_EQ(std::get<0>(seen[1]), 5000u);  // 4096..8191 has width 4: [5000, 5003]
  EXPECT_EQ(std::get<1>(seen[1]), 5003u);
  EXPECT_EQ(std::get<2>(seen[1]), 1u);
}

}  // namespace
}  // namespace stampede::results
