#include "units/duration.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace stampede::units {
namespace {
using namespace std::chrono_literals;
using nlohmann::json;

TEST(Duration, ReadsEveryUnitAndCompoundForms) {
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("5m"), 5min);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("100us"), 100us);
  EXPECT_EQ(parse_duration("2d"), 48h);
  EXPECT_EQ(parse_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_duration("1m30s"), 90s);
  EXPECT_EQ(parse_duration("1s500ms"), 1500ms);
}

TEST(Duration, ABareNumberIsSecondsOrRejectedAsTheCallerSays) {
  EXPECT_EQ(parse_duration("90"), 90s);
  EXPECT_EQ(parse_duration("90", BareNumber::kSeconds), 90s);
  EXPECT_FALSE(parse_duration("90", BareNumber::kRejected));
  EXPECT_EQ(parse_duration("90ms", BareNumber::kRejected), 90ms);
  // Only a whole text that is one number may lack its unit.
  EXPECT_FALSE(parse_duration("1m30"));
}

TEST(Duration, RejectsAnythingOutsideTheGrammar) {
  for (const char* bad : {"", "s", "5x", "-1s", "1h-", "abc", "5 m", " 5s", "5s ", "1e3s", "1e3", "inf", "nan",
                          "..s", "5sm", "1w"})
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  EXPECT_FALSE(parse_duration("99999999999s").has_value()) << "over 1e9 s";
}

TEST(Duration, SecondsAsADouble) {
  EXPECT_EQ(parse_seconds("250ms"), 0.25);
  EXPECT_EQ(parse_seconds("1.5m"), 90.0);
  EXPECT_EQ(parse_seconds("3"), 3.0);
  EXPECT_FALSE(parse_seconds("3", BareNumber::kRejected));
}

TEST(Duration, JsonValuesAreSecondsOrDurationStrings) {
  EXPECT_EQ(seconds_from_json(json(0.5)), 0.5);
  EXPECT_EQ(seconds_from_json(json(2)), 2.0);
  EXPECT_DOUBLE_EQ(seconds_from_json(json("100us")).value_or(-1), 100e-6);
  EXPECT_EQ(seconds_from_json(json("250ms")), 0.25);
  EXPECT_EQ(seconds_from_json(json("1h")), 3600.0);
  EXPECT_EQ(seconds_from_json(json("3")), 3.0);
  EXPECT_FALSE(seconds_from_json(json(-1)));
  EXPECT_FALSE(seconds_from_json(json(1e300)));
  EXPECT_FALSE(seconds_from_json(json("-1s")));
  EXPECT_FALSE(seconds_from_json(json("2 weeks")));
  EXPECT_FALSE(seconds_from_json(json(true)));
  EXPECT_FALSE(seconds_from_json(json::array()));
  EXPECT_FALSE(seconds_from_json(json(nullptr)));
}

TEST(Duration, SecondsPerUnit) {
  EXPECT_EQ(seconds_per_unit("us"), 1e-6);
  EXPECT_EQ(seconds_per_unit("ms"), 1e-3);
  EXPECT_EQ(seconds_per_unit("s"), 1.0);
  EXPECT_EQ(seconds_per_unit("m"), 60.0);
  EXPECT_EQ(seconds_per_unit("h"), 3600.0);
  EXPECT_EQ(seconds_per_unit("d"), 86400.0);
  EXPECT_FALSE(seconds_per_unit(""));
  EXPECT_FALSE(seconds_per_unit("sec"));
  EXPECT_FALSE(seconds_per_unit("M"));
}

TEST(Duration, FormatsForTheConsole) {
  EXPECT_EQ(format_duration(350ms), "350ms");
  EXPECT_EQ(format_duration(4200ms), "4.2s");
  EXPECT_EQ(format_duration(125s), "2m05s");
  EXPECT_EQ(format_duration(3723s), "1h02m03s");
}

}  // namespace
}  // namespace stampede::units
