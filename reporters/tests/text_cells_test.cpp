#include "reporters/text_cells.h"

#include <gtest/gtest.h>

namespace stampede::reporters {
namespace {

TEST(FormatMs, PrecisionFollowsMagnitude) {
  EXPECT_EQ(format_ms(0), "0.00");
  EXPECT_EQ(format_ms(270), "0.27");
  EXPECT_EQ(format_ms(9994), "9.99");
  EXPECT_EQ(format_ms(12345), "12.3");
  EXPECT_EQ(format_ms(999940), "999.9");
  EXPECT_EQ(format_ms(4567000), "4567");
}

TEST(FormatPercent, HandlesZeroWhole) {
  EXPECT_EQ(format_percent(0, 0), "0.00%");
  EXPECT_EQ(format_percent(1, 3), "33.33%");
  EXPECT_EQ(format_percent(5, 5), "100.00%");
}

TEST(FormatHms, SplitsHoursMinutesSeconds) {
  EXPECT_EQ(format_hms(0), "00:00:00");
  EXPECT_EQ(format_hms(83.9), "00:01:23");
  EXPECT_EQ(format_hms(3 * 3600 + 61), "03:01:01");
  EXPECT_EQ(format_hms(-5), "00:00:00");
}

TEST(Fit, CutsTheMiddleOfLongText) {
  EXPECT_EQ(fit("short", 10), "short");
  EXPECT_EQ(fit("0123456789", 10), "0123456789");
  const std::string cut = fit("/api/v1/customers/{id}/orders", 15);
  EXPECT_EQ(cut.size(), 15u);
  EXPECT_EQ(cut, "/api/v...orders");
  EXPECT_EQ(fit("abcdefgh", 4), "abcd");
}

TEST(Fit, NeverSplitsAUtf8Character) {
  // "/caf\u00e9/..." : the two bytes of the e-acute must stay together or go together.
  const std::string name = "/caf\xc3\xa9/menu/items/\xc3\xa9t\xc3\xa9";
  const std::string cut = fit(name, 10);
  EXPECT_LE(cut.size(), 10u);
  EXPECT_EQ(cut, "/caf...t\xc3\xa9");
  EXPECT_EQ(fit("\xc3\xa9\xc3\xa9\xc3\xa9", 3), "\xc3\xa9");
}

TEST(OneLine, ControlCharactersBecomeSpaces) {
  EXPECT_EQ(one_line("a\nb\tc\r"), "a b c ");
  EXPECT_EQ(fit("GET\n/x", 10), "GET /x");
}

TEST(SeparatorFor, KeepsTheHeadersBars) {
  EXPECT_EQ(separator_for("Type | Name |x"), "-----|------|-");
  EXPECT_EQ(separator_for(""), "");
}

TEST(Pad, LeftAndRight) {
  EXPECT_EQ(left("ab", 4), "ab  ");
  EXPECT_EQ(right("ab", 4), "  ab");
  EXPECT_EQ(right("abcdef", 4), "abcdef");  // never truncates
}

// The columns every Locust-style console table starts with line up across tables.
TEST(EndpointCells, MethodThenNameFittedThenLatenciesAfterABar) {
  EXPECT_EQ(endpoint_cells("GET", "/api/items", 12), "GET      /api/items  ");
  EXPECT_EQ(endpoint_cells("DELETE", "/a/very/long/name", 9), "DELETE   /a/...ame");
  EXPECT_EQ(endpoint_cells("", "Aggregated", 10).size(), kTypeWidth + 1 + 10);
  EXPECT_EQ(latency_cells({"1.00", "12.3"}), " |    1.00    12.3");
  EXPECT_EQ(latency_cells({}), " |");
}

}  // namespace
}  // namespace stampede::reporters
