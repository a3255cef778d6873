// load_shape's arrival_rate form (the open model): ramps from the rate before, steps, holds,
// pauses and start_rate, read into ArrivalShape; every bad input one problem naming the file,
// the JSON path and what was expected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>

#include "scenarios/scenario.h"

namespace stampede::scenarios {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

json with_shape(const json& shape) {
  return {{"stampede_scenario", 1},
          {"load_shape", shape},
          {"user_classes", {{{"name", "U"}, {"tasks", {{{"request", {{"path", "/"}}}}}}}}}};
}

ArrivalShape arrival_shape(const json& arrival_rate) {
  const Scenario s = Scenario::parse(with_shape({{"arrival_rate", arrival_rate}}), "inline.json");
  EXPECT_FALSE(s.load_shape()) << "the users form stays empty";
  EXPECT_TRUE(s.arrival_shape());
  return s.arrival_shape().value_or(ArrivalShape{});
}

TEST(ArrivalShape, RampHoldStepAndPause) {
  const ArrivalShape shape = arrival_shape(
      {{"stages",
        {{{"duration", "10s"}, {"target", 100}},   // ramp 0 -> 100 over [0, 10)
         {{"duration", "1m"}, {"target", 100}},    // hold over [10, 70)
         {{"duration", 5}, {"rate", 300}},         // step to 300 over [70, 75)
         {{"duration", "500ms"}, {"rate", 0}},     // pause over [75, 75.5)
         {{"duration", 2}, {"target", 50}}}}});    // ramp 0 -> 50 over [75.5, 77.5)
  ASSERT_EQ(shape.stages.size(), 5u);
  EXPECT_DOUBLE_EQ(shape.end_s(), 77.5);
  EXPECT_DOUBLE_EQ(shape.peak_rate(), 300);
  EXPECT_EQ(shape.rate_at(0), 0.0) << "no start_rate: the rate at t = 0 is 0";
  EXPECT_DOUBLE_EQ(*shape.rate_at(2.5), 25);
  EXPECT_DOUBLE_EQ(*shape.rate_at(10), 100);
  EXPECT_DOUBLE_EQ(*shape.rate_at(69.9), 100);
  EXPECT_DOUBLE_EQ(*shape.rate_at(70), 300) << "a step takes its new rate at once";
  EXPECT_DOUBLE_EQ(*shape.rate_at(75.2), 0);
  EXPECT_DOUBLE_EQ(*shape.rate_at(76.5), 25);
  EXPECT_EQ(shape.rate_at(77.5), std::nullopt) << "the shape ends with its last stage";
  EXPECT_EQ(shape.rate_at(-1), std::nullopt);
  // 500 + 6000 + 1500 + 0 + 50
  EXPECT_DOUBLE_EQ(shape.expected_arrivals(), 8050);
}

TEST(ArrivalShape, StartRateIsTheRateAtTheStart) {
  const ArrivalShape shape =
      arrival_shape({{"start_rate", 20}, {"stages", {{{"duration", 4}, {"target", 60}}}}});
  ASSERT_EQ(shape.stages.size(), 1u);
  EXPECT_DOUBLE_EQ(shape.stages[0].from_rate, 20);
  EXPECT_DOUBLE_EQ(shape.stages[0].to_rate, 60);
  EXPECT_DOUBLE_EQ(*shape.rate_at(0), 20);
  EXPECT_DOUBLE_EQ(shape.expected_arrivals(), 160);
  EXPECT_DOUBLE_EQ(shape.peak_rate(), 60);
}

TEST(ArrivalShape, TheExampleFileIsTheReadmeShape) {
  const Scenario s = Scenario::load("scenarios/examples/arrival-rate-ramp.json");
  ASSERT_TRUE(s.arrival_shape());
  EXPECT_FALSE(s.load_shape());
  EXPECT_DOUBLE_EQ(s.arrival_shape()->end_s(), 250);
  EXPECT_DOUBLE_EQ(s.arrival_shape()->peak_rate(), 1000);
  EXPECT_DOUBLE_EQ(s.arrival_shape()->expected_arrivals(), 142'500);  // README's figure
  EXPECT_DOUBLE_EQ(*s.arrival_shape()->rate_at(160), 1000);
  EXPECT_DOUBLE_EQ(*s.arrival_shape()->rate_at(235), 500);
}

TEST(ArrivalShape, FilteringKeepsTheShape) {
  const Scenario s = Scenario::parse(with_shape({{"arrival_rate", {{"stages", {{{"duration", 1}, {"rate", 5}}}}}}}),
                                     "inline.json");
  EXPECT_TRUE(s.filtered({"U"}, {}).arrival_shape());
}

struct BadShape {
  const char* what;
  json load_shape;
  const char* json_path;
  const char* message;  // a substring of the one problem's message
};

void PrintTo(const BadShape& c, std::ostream* os) { *os << c.what; }

json stages(json list) { return {{"arrival_rate", {{"stages", std::move(list)}}}}; }

class BadArrivalShape : public ::testing::TestWithParam<BadShape> {};

TEST_P(BadArrivalShape, IsOneProblemWithItsPath) {
  const BadShape& c = GetParam();
  std::vector<Problem> problems;
  try {
    Scenario::parse(with_shape(c.load_shape), "shape.json");
  } catch (const ScenarioError& e) {
    problems = e.problems();
  }
  ASSERT_EQ(problems.size(), 1u) << (problems.empty() ? "accepted" : ScenarioError(problems).what());
  EXPECT_EQ(problems[0].file, "shape.json");
  EXPECT_EQ(problems[0].json_path, c.json_path);
  EXPECT_THAT(problems[0].message, HasSubstr(c.message));
}

const std::string kStages = "/load_shape/arrival_rate/stages";

INSTANTIATE_TEST_SUITE_P(
    Inputs, BadArrivalShape,
    ::testing::Values(
        BadShape{"zero-length stage", stages({{{"duration", 0}, {"rate", 5}}}), "/load_shape/arrival_rate/stages/0/duration",
                 "expected a duration > 0 (seconds as a number, or a string like \"250ms\", \"2s\", \"5m\"), got 0"},
        BadShape{"negative stage", stages({{{"duration", "1s"}, {"rate", 5}}, {{"duration", -3}, {"target", 5}}}),
                 "/load_shape/arrival_rate/stages/1/duration", "expected a duration > 0"},
        BadShape{"negative target", stages({{{"duration", 1}, {"target", -5}}}),
                 "/load_shape/arrival_rate/stages/0/target", "expected a number >= 0, got -5"},
        BadShape{"negative rate", stages({{{"duration", 1}, {"rate", -0.5}}}),
                 "/load_shape/arrival_rate/stages/0/rate", "expected a number >= 0, got -0.5"},
        BadShape{"negative start rate",
                 {{"arrival_rate", {{"start_rate", -1}, {"stages", {{{"duration", 1}, {"rate", 5}}}}}}},
                 "/load_shape/arrival_rate/start_rate", "expected a number >= 0, got -1"},
        BadShape{"rate past the limit", stages({{{"duration", 1}, {"rate", 2e7}}}),
                 "/load_shape/arrival_rate/stages/0/rate", "expected a number <= 10000000 (the limit), got 20000000.0"},
        BadShape{"a rate that is not a number", stages({{{"duration", 1}, {"target", "fast"}}}),
                 "/load_shape/arrival_rate/stages/0/target", "expected a number >= 0, got \"fast\""},
        BadShape{"unknown key", stages({{{"duration", 1}, {"rate", 5}, {"targte", 5}}}),
                 "/load_shape/arrival_rate/stages/0/targte", "unknown key 'targte' — did you mean 'target'?"},
        BadShape{"neither target nor rate", stages({{{"duration", 1}}}), "/load_shape/arrival_rate/stages/0",
                 "missing: expected \"target\" (ramp linearly to it from the rate before) or \"rate\""},
        BadShape{"users in an arrival stage", stages({{{"duration", 1}, {"rate", 5}, {"users", 10}}}),
                 "/load_shape/arrival_rate/stages/0/users",
                 "unknown key 'users' in this stage: an arrival_rate stage has \"duration\" and \"target\" or \"rate\""},
        BadShape{"a rate in a users stage",
                 {{"stages", {{{"duration", 1}, {"users", 5}, {"spawn_rate", 1}, {"rate", 100}}}}},
                 "/load_shape/stages/0/rate", "arrival rates go in load_shape's \"arrival_rate\" form"},
        BadShape{"misspelt top key", {{"arrival_rate", {{"start_rat", 1}, {"stages", {{{"duration", 1}, {"rate", 5}}}}}}},
                 "/load_shape/arrival_rate/start_rat", "unknown key 'start_rat' — did you mean 'start_rate'?"},
        BadShape{"target and rate", stages({{{"duration", 1}, {"target", 5}, {"rate", 5}}}),
                 "/load_shape/arrival_rate/stages/0", "expected one of \"target\" and \"rate\", not both"},
        BadShape{"no duration", stages({{{"rate", 5}}}), "/load_shape/arrival_rate/stages/0/duration",
                 "missing: every stage needs \"duration\""},
        BadShape{"no stages", {{"arrival_rate", {{"start_rate", 5}}}}, kStages.c_str(),
                 "missing: the arrival_rate shape needs \"stages\""},
        BadShape{"empty stages", stages(json::array()), kStages.c_str(), "expected a non-empty array of"},
        BadShape{"not an object", {{"arrival_rate", 100}}, "/load_shape/arrival_rate", "expected an object, got a number"},
        BadShape{"a stage that is not an object", stages({5}), "/load_shape/arrival_rate/stages/0",
                 "expected an object, got a number"},
        BadShape{"mixing the two forms",
                 {{"arrival_rate", {{"stages", {{{"duration", 1}, {"rate", 5}}}}}},
                  {"stages", {{{"duration", 1}, {"users", 5}, {"spawn_rate", 1}}}}},
                 "/load_shape",
                 "\"arrival_rate\" (arrivals per second, the open model) and \"stages\" (users, the closed model) "
                 "are two forms of load_shape: give one"},
        BadShape{"zero arrivals in all", stages({{{"duration", "1m"}, {"rate", 0}}}), "/load_shape/arrival_rate",
                 "the stages start no arrival: their rates add up to 0.0 arrivals over 60.0 s (at least 1 is needed)"},
        BadShape{"less than one arrival", stages({{{"duration", 1}, {"target", 1}}}), "/load_shape/arrival_rate",
                 "their rates add up to 0.5 arrivals over 1.0 s"},
        BadShape{"too long in all", stages({{{"duration", "1000000000s"}, {"rate", 1}}, {{"duration", 1}, {"rate", 1}}}),
                 kStages.c_str(), "the stages last 1000000001.0 s in all, more than 1000000000.0 s (the limit"},
        BadShape{"too many stages", stages(json(std::vector<json>(100'001, {{"duration", 1}, {"rate", 1}}))),
                 kStages.c_str(), "more than 100000 stages (the limit), got 100001"},
        BadShape{"a duration past the limit", stages({{{"duration", 1e10}, {"rate", 1}}}),
                 "/load_shape/arrival_rate/stages/0/duration", "expected a duration > 0"}),
    [](const ::testing::TestParamInfo<BadShape>& info) {
      std::string name;
      for (const char* c = info.param.what; *c; ++c) name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
      return name;
    });

}  // namespace
}  // namespace stampede::scenarios
