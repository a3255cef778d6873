// `stampede run`'s open-model flags (docs/open-model.md): --arrival-rate, --max-users,
// --arrivals into the RunConfig, and a scenario load_shape's arrival_rate form; every bad
// value, and every mix of the two models, refused with its flag named, exit 2, before any
// load. One table of flag sets (to_config), one of flags beside each kind of scenario
// (scenario_load_model), and the command line end to end.
#include "generator/commands/run_command.h"
#include "generator/commands/tests/cli_runner.h"
#include "generator/http/tests/test_http_server.h"
#include "results/result_folder.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace stampede::commands {
namespace {

using Arrivals = engine::RunConfig::Arrivals;

// The flags a case sets (empty: not given) and what it should give: each problem's start,
// in order (none: accepted, and then the config's open-model figures).
struct Flags {
  std::string arrival_rate{}, max_users{}, arrivals{}, users{}, spawn_rate{}, timeout{};
};
struct Expected {
  std::vector<std::string> problems{};
  bool open_model = false;
  double rate = 0;
  int max_users = 0;
  Arrivals arrivals = Arrivals::kEven;
};
struct FlagCase {
  const char* what;
  Flags flags;
  Expected expected;
};

RawRunOptions raw_options(const Flags& f) {
  RawRunOptions raw;
  raw.file = "scenarios/coupon.json";
  raw.host = "http://127.0.0.1:1";
  raw.arrival_rate = f.arrival_rate;
  raw.max_users = f.max_users;
  raw.arrivals = f.arrivals;
  raw.users = f.users;
  raw.spawn_rate = f.spawn_rate;
  if (!f.timeout.empty()) raw.timeout = f.timeout;
  return raw;
}

void expect_outcome(const FlagCase& c, const std::vector<std::string>& problems, const engine::RunConfig& config) {
  SCOPED_TRACE(c.what);
  ASSERT_EQ(problems.size(), c.expected.problems.size()) << (problems.empty() ? "accepted" : problems.front());
  for (std::size_t i = 0; i < problems.size(); ++i)
    EXPECT_TRUE(problems[i].starts_with(c.expected.problems[i])) << problems[i];
  if (!problems.empty()) return;
  EXPECT_EQ(config.open_model(), c.expected.open_model);
  EXPECT_DOUBLE_EQ(config.arrival_rate, c.expected.rate);
  EXPECT_EQ(config.max_users, c.expected.max_users);
  EXPECT_EQ(config.arrivals, c.expected.arrivals);
}

const std::string kBadRate = "--arrival-rate: expected iterations per second above 0 (e.g. 500, 2k, 1.5M), got '";
const std::string kBadMaxUsers = "--max-users: expected a whole number >= 1 (e.g. 100, 5k), got '";

const FlagCase kFlagCases[] = {
    {"closed model by default", {}, {}},
    {"rate with units, max users, poisson",
     {.arrival_rate = "2k", .max_users = "5k", .arrivals = "poisson"},
     {.open_model = true, .rate = 2000, .max_users = 5000, .arrivals = Arrivals::kPoisson}},
    {"default max users: rate x timeout", {.arrival_rate = "50", .timeout = "2s"},
     {.open_model = true, .rate = 50, .max_users = 100}},
    {"default max users: at least 1", {.arrival_rate = "0.1", .timeout = "2s"}, {.open_model = true, .rate = 0.1, .max_users = 1}},
    {"default max users: capped", {.arrival_rate = "1M", .timeout = "30s"},
     {.open_model = true, .rate = 1e6, .max_users = engine::kMaxDefaultUsers}},
    {"rate 0", {.arrival_rate = "0"}, {.problems = {kBadRate + "0'"}}},
    {"negative rate", {.arrival_rate = "-5"}, {.problems = {kBadRate + "-5'"}}},
    {"unknown unit", {.arrival_rate = "2x"}, {.problems = {kBadRate + "2x'"}}},
    {"not a number", {.arrival_rate = "fast"}, {.problems = {kBadRate + "fast'"}}},
    {"exponent", {.arrival_rate = "1e3"}, {.problems = {kBadRate + "1e3'"}}},
    {"zero with a unit", {.arrival_rate = "0k"}, {.problems = {kBadRate + "0k'"}}},
    {"max users 0", {.arrival_rate = "100", .max_users = "0"}, {.problems = {kBadMaxUsers + "0'"}}},
    {"max users not whole", {.arrival_rate = "100", .max_users = "1.5"}, {.problems = {kBadMaxUsers + "1.5'"}}},
    {"max users negative", {.arrival_rate = "100", .max_users = "-1"}, {.problems = {kBadMaxUsers + "-1'"}}},
    {"max users not a number", {.arrival_rate = "100", .max_users = "many"}, {.problems = {kBadMaxUsers + "many'"}}},
    {"unknown arrivals", {.arrival_rate = "100", .arrivals = "bursty"},
     {.problems = {"--arrivals: expected even or poisson, got 'bursty'"}}},
    {"beside -u", {.arrival_rate = "100", .users = "10"}, {.problems = {"--arrival-rate: not with -u/--users: "}}},
    {"beside -r", {.arrival_rate = "100", .spawn_rate = "5"},
     {.problems = {"--arrival-rate: not with -r/--spawn-rate: "}}},
    // Without --arrival-rate the values are checked here; whether a load_shape gives the
    // open model is the scenario's part (below).
    {"max users checked without a rate", {.max_users = "0"}, {.problems = {kBadMaxUsers + "0'"}}},
    {"arrivals checked without a rate", {.arrivals = "bursty"},
     {.problems = {"--arrivals: expected even or poisson, got 'bursty'"}}},
};

TEST(OpenModelFlags, EachFlagSetGivesItsConfigOrItsProblems) {
  for (const FlagCase& c : kFlagCases) {
    engine::RunConfig config;
    std::vector<std::string> problems;
    to_config(raw_options(c.flags), config, problems);
    expect_outcome(c, problems, config);
  }
}

// The scenarios: none (coupon.json), a users load_shape (coupon-step.json), an arrival_rate
// load_shape (the example: peak 1,000/s).
const char* const kNoShape = "scenarios/coupon.json";
const char* const kUsersShape = "scenarios/coupon-step.json";
const char* const kArrivalShape = "scenarios/examples/arrival-rate-ramp.json";

struct ScenarioCase {
  const char* file;
  FlagCase flag_case;
};

const ScenarioCase kScenarioCases[] = {
    {kArrivalShape, {"the shape runs the open model at its peak rate, default max users from it", {},
                     {.open_model = true, .rate = 1000, .max_users = 30'000}}},
    {kArrivalShape, {"max users and poisson apply to the shape", {.max_users = "200", .arrivals = "poisson"},
                     {.open_model = true, .rate = 1000, .max_users = 200, .arrivals = Arrivals::kPoisson}}},
    {kArrivalShape, {"--arrival-rate beside the shape", {.arrival_rate = "500"},
                     {.problems = {"--arrival-rate: the scenario's load_shape gives the arrival rate over time"}}}},
    {kArrivalShape, {"-u beside the shape", {.users = "10"},
                     {.problems = {"-u/--users: the scenario's load_shape starts iterations on a schedule"}}}},
    {kArrivalShape, {"-r beside the shape", {.spawn_rate = "3"},
                     {.problems = {"-r/--spawn-rate: the scenario's load_shape starts iterations on a schedule"}}}},
    {kUsersShape, {"--arrival-rate beside a users shape", {.arrival_rate = "500"},
                   {.problems = {"--arrival-rate: the scenario's load_shape runs the closed model (users)"}}}},
    {kUsersShape, {"--max-users beside a users shape", {.max_users = "10"},
                   {.problems = {"--max-users: only with an arrival rate (the open model)"}}}},
    {kNoShape, {"no shape, no rate: closed", {}, {}}},
    {kNoShape, {"no shape, a rate: open", {.arrival_rate = "40", .timeout = "1s"},
                {.open_model = true, .rate = 40, .max_users = 40}}},
    {kNoShape, {"open-model flags without an arrival rate", {.max_users = "10", .arrivals = "even"},
                {.problems = {"--max-users: only with an arrival rate (the open model): --arrival-rate, or a "
                              "scenario load_shape in its arrival_rate form; the closed model's users are -u",
                              "--arrivals: only with an arrival rate (the open model)"}}}},
};

TEST(OpenModelFlags, EachScenarioAndFlagSetGivesItsModelOrItsProblems) {
  for (const ScenarioCase& c : kScenarioCases) {
    RawRunOptions raw = raw_options(c.flag_case.flags);
    raw.file = c.file;
    engine::RunConfig config;
    std::vector<std::string> problems;
    to_config(raw, config, problems);
    if (problems.empty()) scenario_load_model(raw, scenarios::Scenario::load(c.file), config, problems);
    expect_outcome(c.flag_case, problems, config);
    if (problems.empty()) {
      EXPECT_EQ(config.arrival_shape.has_value(), std::string(c.file) == kArrivalShape) << c.flag_case.what;
    }
  }
}

// Each refusal from the command line: exit 2, its message, and no result folder (no load).
struct CliCase {
  const char* file;
  std::vector<std::string> flags;
  std::string message;
};

TEST(OpenModelFlags, TheCommandLineRefusesBeforeAnyLoad) {
  const std::string never = (std::filesystem::temp_directory_path() / "stampede-open-flags-never-written").string();
  std::filesystem::remove_all(never);
  const CliCase cases[] = {
      {kNoShape, {"--arrival-rate", "0"}, "stampede run: --arrival-rate: expected iterations per second above 0"},
      {kNoShape, {"-u", "5", "--arrival-rate", "2k"}, "stampede run: --arrival-rate: not with -u/--users"},
      {kNoShape, {"--arrival-rate", "10", "--max-users", "0"}, "stampede run: --max-users: expected a whole number >= 1"},
      {kNoShape, {"--max-users", "10"}, "stampede run: --max-users: only with an arrival rate"},
      {kUsersShape, {"--arrival-rate", "10"}, "stampede run: --arrival-rate: the scenario's load_shape runs the closed"},
      {kArrivalShape, {"--arrival-rate", "10"},
       "stampede run: --arrival-rate: the scenario's load_shape gives the arrival rate over time"},
      {kArrivalShape, {"-u", "10"}, "stampede run: -u/--users: the scenario's load_shape starts iterations"},
  };
  for (const CliCase& c : cases) {
    std::vector<std::string> args = {"run", "-f", c.file, "-H", "http://127.0.0.1:1", "-t", "1s", "--out", never};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    const auto r = testing::run_stampede(args);
    EXPECT_EQ(r.code, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(never)) << c.message << ": no run, no result folder";
  }
}

// The whole command with a 1-second shape (5/s ramping to 15/s: 10 arrivals) against the
// local test server: no -u, no --arrival-rate, the shape's end stops the run.
TEST(OpenModelFlags, AScenarioShapeRunsTheOpenModelFromTheCommandLine) {
  const auto dir = std::filesystem::temp_directory_path() / "stampede-open-flags-shape-run";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "shape.json").string();
  std::ofstream(file) << R"({"stampede_scenario": 1, "name": "cli-shape",
      "load_shape": {"arrival_rate": {"start_rate": 5, "stages": [{"duration": "1s", "target": 15}]}},
      "user_classes": [{"name": "U", "tasks": [{"request": {"path": "/cli"}}]}]})";
  http::testing::TestHttpServer server;
  const auto r = testing::run_stampede({"run", "-f", file, "-H", server.url(), "-t", "30s", "--threads", "2", "-q",
                                        "--out", (dir / "run").string()});
  EXPECT_EQ(r.code, 0) << r.err;
  const results::RunResult run = results::read_result_folder(dir / "run");
  EXPECT_EQ(run.info.stop_reason, "load shape finished");
  EXPECT_TRUE(run.info.load_shape);
  ASSERT_TRUE(run.info.open_model);
  EXPECT_TRUE(run.info.open_model->shape);
  EXPECT_DOUBLE_EQ(run.info.open_model->arrival_rate, 15);
  EXPECT_EQ(run.info.open_model->max_users, 450) << "15/s x the 30 s default timeout";
  EXPECT_LE(run.info.open_model->iterations_started + run.info.open_model->dropped, 10u);
  EXPECT_GE(run.info.open_model->iterations_started, 1u);
  EXPECT_EQ(server.total_requests(), run.aggregated.requests);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace stampede::commands
