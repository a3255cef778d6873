#include "generator/units.h"

#include <gtest/gtest.h>

namespace stampede::generator {
namespace {
using namespace std::chrono_literals;

TEST(Units, ParsesDurations) {
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("5m"), 5min);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("90"), 90s);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("1m30s"), 90s);
}

TEST(Units, RejectsBadDurations) {
  for (const char* bad : {"", "s", "5x", "-1s", "1h-", "abc", "5 m", "1e3s"})
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
}

TEST(Units, ParsesCounts) {
  EXPECT_EQ(parse_count("1000"), 1000.0);
  EXPECT_EQ(parse_count("1k"), 1000.0);
  EXPECT_EQ(parse_count("2.5k"), 2500.0);
  EXPECT_EQ(parse_count("1M"), 1e6);
  EXPECT_FALSE(parse_count("k").has_value());
  EXPECT_FALSE(parse_count("10x").has_value());
  EXPECT_FALSE(parse_count("-5").has_value());
}

TEST(Units, FormatsDurations) {
  EXPECT_EQ(format_duration(350ms), "350ms");
  EXPECT_EQ(format_duration(4200ms), "4.2s");
  EXPECT_EQ(format_duration(125s), "2m05s");
  EXPECT_EQ(format_duration(3723s), "1h02m03s");
}

}  // namespace
}  // namespace stampede::generator
