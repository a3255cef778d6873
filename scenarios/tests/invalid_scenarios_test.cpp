// Every invalid fixture (one per kind of mistake) must be rejected with exactly one problem
// naming the file, the JSON pointer and what was expected; one file with many mistakes
// must report all of them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenarios/scenario.h"

namespace stampede::scenarios {
namespace {

using ::testing::HasSubstr;

struct InvalidCase {
  const char* file;
  const char* json_path;
  const char* message;  // substring of the problem's message
};

void PrintTo(const InvalidCase& c, std::ostream* os) { *os << c.file; }

std::vector<Problem> problems_of(const std::string& file) {
  try {
    Scenario::load(file);
  } catch (const ScenarioError& e) {
    return e.problems();
  }
  return {};
}

class InvalidScenario : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidScenario, ReportsOneProblemWithPathAndMessage) {
  const InvalidCase& c = GetParam();
  const std::string file = std::string("scenarios/tests/fixtures/invalid/") + c.file;
  const auto problems = problems_of(file);
  ASSERT_EQ(problems.size(), 1u) << (problems.empty() ? "accepted" : ScenarioError(problems).what());
  EXPECT_EQ(problems[0].file, file);
  EXPECT_EQ(problems[0].json_path, c.json_path);
  EXPECT_THAT(problems[0].message, HasSubstr(c.message));
  EXPECT_THAT(problems[0].to_string(), HasSubstr(file + ": "));
}

constexpr const char* kTask = "/user_classes/0/tasks/0";
std::string task_path(const std::string& rest) { return kTask + rest; }

const InvalidCase kCases[] = {
    {"bad-json.json", "", "invalid JSON: parse error at line 3, column 20"},
    {"not-an-object.json", "", "expected a JSON object at the top level, got an array"},
    {"missing-user-classes.json", "/user_classes", "missing: expected an array of user classes"},
    {"bad-version.json", "/stampede_scenario", "unsupported format version 2"},
    {"unknown-key.json", "/user_classes/0/wieght", "unknown key 'wieght' — did you mean 'weight'?"},
    {"negative-weight.json", "/user_classes/0/weight", "expected a number >= 0, got -1"},
    {"bad-wait-time.json", "/user_classes/0/wait_time/between", "expected min <= max, got [0.5,0.1]"},
    {"unknown-wait-kind.json", "/user_classes/0/wait_time/constant_pace",
     "unknown key 'constant_pace' — did you mean 'constant_pacing'?"},
    {"bad-duration.json", "/defaults/timeout", "expected a duration > 0 (seconds as a number, or a string like \"250ms\""},
    {"expression-syntax.json", "/user_classes/0/tasks/0/vars/room",
     "expected ',' or ')' in call to 'uniform' at column 13"},
    {"unknown-function.json", "/user_classes/0/tasks/0/request/path",
     "unknown function 'unifrom' at column 10 — did you mean 'uniform'?"},
    {"undefined-variable.json", "/user_classes/0/tasks/0/request/json/room_id",
     "undefined variable 'rom' at column 3 — did you mean 'room'?"},
    {"variable-cycle.json", "/user_classes/0/on_start/a", "circular definition: a -> b -> a"},
    {"string-arithmetic.json", "/user_classes/0/tasks/0/vars/room", "cannot apply '-' to a string at column 5"},
    {"bad-weighted.json", "/user_classes/0/tasks/0/vars/room",
     "weighted() weights must be constant numbers >= 0 at column 19"},
    {"unterminated-template.json", "/user_classes/0/tasks/0/request/path", "unterminated '${' at column 11"},
    {"bad-check.json", "/user_classes/0/tasks/0/request/check/status",
     "expected an integer in [100, 599], got 999"},
    {"bad-check-predicate.json", "/user_classes/0/tasks/0/request/check/json/0/in",
     "expected a non-empty array of accepted values, got []"},
    {"bad-capture-path.json", "/user_classes/0/tasks/0/request/capture/coupon",
     "bad JSON path \"coupons[x].id\": expected an array index like [0] at column 9"},
    {"empty-tasks.json", "/user_classes/0/tasks", "expected a non-empty array of tasks, got an empty array"},
    {"zero-task-weights.json", "/user_classes/0/tasks", "task weights must sum to > 0"},
    {"task-without-request.json", kTask, "missing: a task needs \"request\" or \"sequence\""},
    {"bad-method.json", "/user_classes/0/tasks/0/request/method", "expected an HTTP method"},
    {"bad-path.json", "/user_classes/0/tasks/0/request/path", "expected a path starting with '/'"},
    {"json-and-body.json", "/user_classes/0/tasks/0/request", "either \"json\" or \"body\", not both"},
    {"duplicate-class.json", "/user_classes/1/name", "duplicate user class name 'U'"},
    {"bad-load-shape.json", "/load_shape/stages/0/spawn_rate", "missing: every stage needs \"spawn_rate\""},
    {"bad-step-shape.json", "/load_shape/step/time_limit", "expected a duration > 0"},
    {"bad-thresholds.json", "/thresholds", "expected an array of strings, got a string"},
};

INSTANTIATE_TEST_SUITE_P(Fixtures, InvalidScenario, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<InvalidCase>& info) {
                           std::string name = info.param.file;
                           name = name.substr(0, name.find('.'));
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(InvalidScenario, EveryFixtureFileIsCovered) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator("scenarios/tests/fixtures/invalid")) {
    if (entry.path().filename() == "multiple-errors.json") continue;
    ++files;
    const bool covered = std::any_of(std::begin(kCases), std::end(kCases), [&](const InvalidCase& c) {
      return entry.path().filename() == c.file;
    });
    EXPECT_TRUE(covered) << entry.path() << " has no expectation";
  }
  EXPECT_EQ(files, std::size(kCases));
}

TEST(InvalidScenario, ReportsEveryProblemInOneFile) {
  const auto problems = problems_of("scenarios/tests/fixtures/invalid/multiple-errors.json");
  std::vector<std::pair<std::string, std::string>> expected = {
      {"/stampede_scenario", "unsupported format version 3"},
      {"/user_classes/0/weight", "expected a number >= 0, got \"heavy\""},
      {"/user_classes/0/tags/1", "expected a string, got a number"},
      {task_path("/request/path"), "unexpected ')' at column 18"},
      {task_path("/request/json/room_id"), "undefined variable 'rooom' at column 3 — did you mean 'room'?"},
      {"/user_classes/1/fixed_cnt", "unknown key 'fixed_cnt' — did you mean 'fixed_count'?"},
      {"/user_classes/1/tasks/0/request/timeout", "expected a duration > 0"},
      {"/load_shape/steps", "unknown key 'steps' — did you mean 'step'?"},
  };
  ASSERT_EQ(problems.size(), expected.size()) << ScenarioError(problems).what();
  for (const auto& [path, message] : expected) {
    const bool found = std::any_of(problems.begin(), problems.end(), [&](const Problem& p) {
      return p.json_path == path && p.message.find(message) != std::string::npos;
    });
    EXPECT_TRUE(found) << "missing problem at " << path << ": " << message;
  }
}

// Each reported path must point into the document: at the offending value, or for a
// missing key at its would-be place (the parent exists).
TEST(InvalidScenario, ProblemPathsAreRealJsonPointers) {
  for (const auto& entry : std::filesystem::directory_iterator("scenarios/tests/fixtures/invalid")) {
    if (entry.path().filename() == "bad-json.json") continue;
    std::ifstream in(entry.path());
    const nlohmann::json doc = nlohmann::json::parse(in);
    for (const Problem& p : problems_of(entry.path().string())) {
      if (p.json_path.empty()) continue;
      const nlohmann::json::json_pointer pointer(p.json_path);
      const bool missing = p.message.rfind("missing", 0) == 0;
      EXPECT_TRUE(doc.contains(missing ? pointer.parent_pointer() : pointer))
          << entry.path().filename() << ": " << p.json_path;
    }
  }
}

TEST(InvalidScenario, UnreadableFileIsOneProblem) {
  const auto problems = problems_of("scenarios/tests/fixtures/does-not-exist.json");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].json_path, "");
  EXPECT_EQ(problems[0].message, "cannot read file: no such file");
  EXPECT_EQ(problems[0].to_string(), "scenarios/tests/fixtures/does-not-exist.json: cannot read file: no such file");
}

TEST(InvalidScenario, ErrorMessageListsAllProblems) {
  try {
    Scenario::load("scenarios/tests/fixtures/invalid/multiple-errors.json");
    FAIL() << "accepted an invalid file";
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_EQ(static_cast<std::size_t>(std::count(what.begin(), what.end(), '\n')) + 1,
              e.problems().size());
    EXPECT_THAT(what, HasSubstr("multiple-errors.json: /load_shape/steps: unknown key 'steps'"));
  }
}

}  // namespace
}  // namespace stampede::scenarios
