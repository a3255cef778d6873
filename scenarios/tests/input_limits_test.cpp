// Hostile scenario files (issue 20): nesting far beyond any real scenario, numbers a double
// cannot hold, expressions nested tens of thousands deep, oversized files. Each must come
// back as a ScenarioError naming the file, the JSON path and the limit — never a crash,
// never another exception.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenarios/limits.h"
#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Writes `text` to a fresh file under the system temp folder and removes it afterwards.
class TempScenario {
 public:
  explicit TempScenario(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("stampede-limits-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json");
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempScenario() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempScenario(const TempScenario&) = delete;
  TempScenario& operator=(const TempScenario&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// The problems Scenario::load reports; fails the test when the file is accepted.
std::vector<Problem> load_problems(const std::string& text, std::string* file = nullptr) {
  TempScenario temp(text);
  if (file != nullptr) *file = temp.path();
  try {
    Scenario::load(temp.path());
  } catch (const ScenarioError& e) {
    return e.problems();
  }
  ADD_FAILURE() << "the scenario was accepted";
  return {};
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// A valid one-class scenario whose only request's path is `path` and JSON body `json`.
std::string scenario_text(const std::string& path, const std::string& json = "{}") {
  return R"({"stampede_scenario": 1, "user_classes": [{"name": "U", "tasks": [)"
         R"({"request": {"method": "POST", "path": ")" + path + R"(", "json": )" + json + "}}]}]}";
}

TEST(InputLimits, DeepArrayNestingIsAProblemNotACrash) {
  constexpr std::size_t kDepth = 70'000;
  std::string file;
  const auto problems = load_problems(
      R"({"stampede_scenario":1,"x":)" + std::string(kDepth, '[') + std::string(kDepth, ']') + "}", &file);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, file);
  EXPECT_THAT(problems[0].json_path, StartsWith("/x/0/0/0"));
  EXPECT_THAT(problems[0].message, HasSubstr("nested deeper than 256 levels"));
}

TEST(InputLimits, DeepObjectNestingIsAProblemNotACrash) {
  constexpr std::size_t kDepth = 70'000;
  const auto problems = load_problems(R"({"stampede_scenario":1,"x":)" + repeat(R"({"a":)", kDepth) + "1" +
                                      std::string(kDepth, '}') + "}");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].json_path, StartsWith("/x/a/a/a"));
  EXPECT_THAT(problems[0].message, HasSubstr("nested deeper than 256 levels"));
}

TEST(InputLimits, DepthProblemNamesTheFileTheJsonPathAndTheLimit) {
  std::string file;
  const auto problems = load_problems(
      scenario_text("/grab", R"({"payload": )" + std::string(300, '[') + std::string(300, ']') + "}"), &file);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, file);
  EXPECT_THAT(problems[0].json_path, StartsWith("/user_classes/0/tasks/0/request/json/payload/0/0"));
  EXPECT_THAT(problems[0].message, HasSubstr("nested deeper than 256 levels (the limit"));
  EXPECT_THAT(problems[0].to_string(), StartsWith(file + ": /user_classes/0/tasks/0/request/json/payload"));
}

TEST(InputLimits, NestingUpToTheLimitIsAccepted) {
  // The body sits at depth 6 (document, user_classes, class, tasks, task, request), so
  // its own nesting may add kMaxJsonDepth - 6 levels and no more.
  const std::size_t allowed = kMaxJsonDepth - 6;
  const std::string deepest = std::string(allowed, '[') + std::string(allowed, ']');
  const Scenario scenario = Scenario::parse_text(scenario_text("/grab", deepest), "at-limit.json");
  UserSession session(scenario.user_classes()[0], Rng(1));
  RenderedRequest out;
  session.render(session.next(), out);
  EXPECT_EQ(out.body, deepest);

  const std::string one_more = std::string(allowed + 1, '[') + std::string(allowed + 1, ']');
  const auto problems = load_problems(scenario_text("/grab", one_more));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].json_path, StartsWith("/user_classes/0/tasks/0/request/json/0"));
}

TEST(InputLimits, NumberOverflowIsAProblemWithItsPath) {
  std::string file;
  const auto problems = load_problems(R"({"stampede_scenario": 1, "x": 1e999})", &file);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, file);
  EXPECT_EQ(problems[0].json_path, "/x");
  EXPECT_THAT(problems[0].message, HasSubstr("number out of range at line 1, column 31: 1e999"));
}

TEST(InputLimits, WeightOverflowIsAProblemWithItsPath) {
  const auto problems = load_problems(
      "{\"stampede_scenario\": 1,\n"
      R"( "user_classes": [{"name": "U", "weight": -1e999, "tasks": [{"request": {"path": "/"}}]}]})");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].json_path, "/user_classes/0/weight");
  EXPECT_THAT(problems[0].message, HasSubstr("number out of range at line 2, column 43: -1e999"));
}

TEST(InputLimits, HugeFiniteWeightsAreOutOfRange) {
  const auto problems = load_problems(
      R"({"stampede_scenario": 1, "user_classes": [{"name": "U", "weight": 1e300,)"
      R"( "tasks": [{"weight": 1e308, "request": {"path": "/"}}]}]})");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].json_path, "/user_classes/0/weight");
  EXPECT_THAT(problems[0].message, HasSubstr("expected a number <= 1000000000 (the limit), got 1e+300"));
  EXPECT_EQ(problems[1].json_path, "/user_classes/0/tasks/0/weight");
}

TEST(InputLimits, DeepParenthesesInATemplateAreAProblemNotACrash) {
  std::string file;
  const auto problems = load_problems(
      scenario_text("/items/${" + std::string(50'000, '(') + "1" + std::string(50'000, ')') + "}"), &file);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, file);
  EXPECT_EQ(problems[0].json_path, "/user_classes/0/tasks/0/request/path");
  EXPECT_THAT(problems[0].message, HasSubstr("nested deeper than 256 levels"));
}

TEST(InputLimits, HundredThousandUnaryMinusSignsAreAProblemNotACrash) {
  const auto problems = load_problems(scenario_text("/grab", R"({"n": "${)" + std::string(100'000, '-') + R"(1}"})"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].json_path, "/user_classes/0/tasks/0/request/json/n");
  EXPECT_THAT(problems[0].message, HasSubstr("nested deeper than 256 levels"));
}

TEST(InputLimits, LongOperatorChainIsAProblemNotACrashWhenRendered) {
  // Not nested in the text, but `x + x + …` compiles to a tree 100,000 levels deep that
  // rendering would walk recursively.
  std::string chain = "x";
  for (int i = 0; i < 100'000; ++i) chain += "+x";
  const std::string text = R"({"stampede_scenario": 1, "user_classes": [{"name": "U", "on_start": {"x": "1"},)"
                           R"( "tasks": [{"request": {"path": "/${)" + chain + R"(}"}}]}]})";
  const auto problems = load_problems(text);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].json_path, "/user_classes/0/tasks/0/request/path");
  EXPECT_THAT(problems[0].message, HasSubstr("nested deeper than 256 levels"));
}

TEST(InputLimits, OversizedFileIsAProblemNotAnAllocation) {
  std::string file;
  const auto problems = load_problems(
      R"({"stampede_scenario": 1, "description": ")" + std::string(kMaxScenarioFileBytes, 'a') + "\"}", &file);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].file, file);
  EXPECT_EQ(problems[0].json_path, "");
  EXPECT_THAT(problems[0].message, HasSubstr("larger than 4 MiB"));
}

TEST(InputLimits, ParsingADeepDocumentBuiltInMemoryIsAProblem) {
  // Scenario::parse takes documents from callers too; it must not recurse into them.
  nlohmann::json doc = {{"stampede_scenario", 1}};
  nlohmann::json* at = &doc["x"];
  for (int i = 0; i < 300; ++i) at = &((*at)["a"] = nlohmann::json::object());
  try {
    Scenario::parse(doc, "inline.json");
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].file, "inline.json");
    EXPECT_THAT(e.problems()[0].json_path, StartsWith("/x/a/a"));
    EXPECT_THAT(e.problems()[0].message, HasSubstr("nested deeper than 256 levels (the limit"));
  }
}

}  // namespace
}  // namespace stampede::scenarios
