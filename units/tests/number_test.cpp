#include "units/number.h"

#include <gtest/gtest.h>

namespace stampede::units {
namespace {

TEST(Count, ReadsPlainNumbersAndSuffixes) {
  EXPECT_EQ(parse_count("1000"), 1000.0);
  EXPECT_EQ(parse_count("1k"), 1000.0);
  EXPECT_EQ(parse_count("1K"), 1000.0);
  EXPECT_EQ(parse_count("2.5k"), 2500.0);
  EXPECT_EQ(parse_count("1M"), 1e6);
  EXPECT_EQ(parse_count("0.5"), 0.5);
}

TEST(Count, RejectsAnythingElse) {
  for (const char* bad : {"", "k", "10x", "-5", "1e3", "1 k", "1kk", "inf"})
    EXPECT_FALSE(parse_count(bad).has_value()) << bad;
}

TEST(Number, TakeNumberLeavesTheRest) {
  std::string_view text = "12.5ms";
  EXPECT_EQ(take_number(text), 12.5);
  EXPECT_EQ(text, "ms");
  std::string_view none = "ms";
  EXPECT_FALSE(take_number(none));
  EXPECT_EQ(none, "ms");
}

}  // namespace
}  // namespace stampede::units
