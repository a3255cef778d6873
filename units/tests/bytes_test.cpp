#include "units/bytes.h"

#include <gtest/gtest.h>

namespace stampede::units {
namespace {

constexpr std::uint64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;

TEST(Bytes, ReadsBareNumbersAndBinaryUnits) {
  EXPECT_EQ(parse_bytes("0"), 0u);
  EXPECT_EQ(parse_bytes("65536"), 65536u);
  EXPECT_EQ(parse_bytes("100B"), 100u);
  EXPECT_EQ(parse_bytes("512k"), 512 * kKiB);
  EXPECT_EQ(parse_bytes("512K"), 512 * kKiB);
  EXPECT_EQ(parse_bytes("512KiB"), 512 * kKiB);
  EXPECT_EQ(parse_bytes("8m"), 8 * kMiB);
  EXPECT_EQ(parse_bytes("8M"), 8 * kMiB);
  EXPECT_EQ(parse_bytes("8MiB"), 8 * kMiB);
  EXPECT_EQ(parse_bytes("1g"), kGiB);
  EXPECT_EQ(parse_bytes("1GiB"), kGiB);
  EXPECT_EQ(parse_bytes("2TiB"), 2 * 1024 * kGiB);
  EXPECT_EQ(parse_bytes("1.5k"), 1536u);
  EXPECT_EQ(parse_bytes("0.5GiB"), 512 * kMiB);
  EXPECT_EQ(parse_bytes("1.0001k"), 1024u) << "rounded down to a whole byte";
  EXPECT_EQ(parse_bytes("1024TiB"), kMaxBytes);
}

TEST(Bytes, RefusesAmbiguousUnitsAndAnythingElse) {
  for (const char* bad : {"", "k", "MiB", "8MB", "8mb", "1KB", "1GB", "8 MiB", "-1k", "1e6", "1kk",
                          "1Mi", "1b", "inf", "nan", "0x10", "1025TiB", "99999999999999999999"})
    EXPECT_FALSE(parse_bytes(bad).has_value()) << bad;
}

TEST(Bytes, FormatsInTheLargestWholeUnit) {
  EXPECT_EQ(format_bytes(0), "0B");
  EXPECT_EQ(format_bytes(1023), "1023B");
  EXPECT_EQ(format_bytes(1024), "1KiB");
  EXPECT_EQ(format_bytes(1536), "1.5KiB");
  EXPECT_EQ(format_bytes(64 * kMiB), "64MiB");
  EXPECT_EQ(format_bytes(kGiB), "1GiB");
  EXPECT_EQ(format_bytes(kGiB + 1), "1GiB") << "two decimals at most";
  EXPECT_EQ(format_bytes(kGiB + kGiB / 4), "1.25GiB");
  for (std::uint64_t size : {std::uint64_t{0}, 1000 * kKiB, 8 * kMiB, 3 * kGiB, kMaxBytes})
    EXPECT_EQ(parse_bytes(format_bytes(size)), size) << format_bytes(size);
}

}  // namespace
}  // namespace stampede::units
