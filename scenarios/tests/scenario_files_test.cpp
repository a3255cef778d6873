// The shipped scenario files: coupon.json reproduces the seed locustfile's classes,
// coupon-step.json has the same classes, every example loads; endpoints and filtering.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "scenarios/compiled.h"
#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

struct ExpectedTask {
  double weight;
  std::string method;
  std::string name;
};
struct ExpectedClass {
  std::string name;
  double weight;
  double wait_min_s, wait_max_s;
  std::vector<ExpectedTask> tasks;
};

// The table of the seed's locustfile_advanced.py.
const std::vector<ExpectedClass> kSeedClasses = {
    {"NormalCouponUser", 5, 0.1, 0.5,
     {{10, "POST", "/api/coupon/grab [Random]"},
      {3, "GET", "/api/user/:id/coupons [Query Own]"},
      {1, "GET", "/api/coupon/:id/stock [Check Stock]"}}},
    {"HotRoomUser", 3, 0.05, 0.2,
     {{10, "POST", "/api/coupon/grab [Hot Room]"}, {2, "GET", "/api/room/:id/stats [Hot Room Stats]"}}},
    {"CrossShardQueryUser", 1, 1, 3,
     {{5, "GET", "/api/room/:id/orders [Cross Shard]"},
      {3, "GET", "/api/orders/recent [Time Range]"},
      {2, "GET", "/api/statistics/global [All Shards]"}}},
    {"AdminUser", 1, 5, 10,
     {{1, "GET", "/admin/stats [System Stats]"}, {1, "GET", "/admin/shards/status [Shard Status]"}}},
};

void expect_seed_classes(const Scenario& s) {
  ASSERT_EQ(s.user_classes().size(), kSeedClasses.size());
  for (std::size_t c = 0; c < kSeedClasses.size(); ++c) {
    const ExpectedClass& want = kSeedClasses[c];
    const UserClass& got = s.user_classes()[c];
    EXPECT_EQ(got.name, want.name);
    EXPECT_EQ(got.weight, want.weight) << want.name;
    EXPECT_FALSE(got.fixed_count.has_value());
    EXPECT_EQ(got.wait.kind, WaitTime::Kind::kBetween) << want.name;
    EXPECT_DOUBLE_EQ(got.wait.a_s, want.wait_min_s) << want.name;
    EXPECT_DOUBLE_EQ(got.wait.b_s, want.wait_max_s) << want.name;
    const auto& tasks = got.impl->tasks;
    ASSERT_EQ(tasks.size(), want.tasks.size()) << want.name;
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      ASSERT_EQ(tasks[t].steps.size(), 1u);
      const Endpoint& e = s.endpoints()[tasks[t].steps[0].endpoint_id];
      EXPECT_EQ(tasks[t].weight, want.tasks[t].weight) << want.tasks[t].name;
      EXPECT_EQ(e.method, want.tasks[t].method);
      EXPECT_EQ(e.name, want.tasks[t].name);
    }
  }
}

TEST(ScenarioFiles, CouponReproducesTheSeedClasses) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  EXPECT_EQ(s.name(), "coupon-grab");
  expect_seed_classes(s);
  EXPECT_TRUE(s.thresholds().empty());
  EXPECT_EQ(s.source()["stampede_scenario"], 1);
}

TEST(ScenarioFiles, CouponGrabsAreCheckedForStatusAndGrabStatus) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  int grabs = 0;
  for (const UserClass& cls : s.user_classes()) {
    for (const Task& task : cls.impl->tasks) {
      const Request& r = task.steps[0];
      if (r.method != "POST") continue;
      ++grabs;
      EXPECT_EQ(r.check.statuses, std::vector<long>{200});
      ASSERT_EQ(r.check.json.size(), 1u);
      EXPECT_EQ(r.check.json[0].path.text(), "grab_status");
      EXPECT_EQ(r.check.json[0].options, (std::vector<nlohmann::json>{0, 1}));
    }
  }
  EXPECT_EQ(grabs, 2);
}

TEST(ScenarioFiles, StepFileHasTheSameClasses) {
  const Scenario plain = Scenario::load("scenarios/coupon.json");
  const Scenario step = Scenario::load("scenarios/coupon-step.json");
  expect_seed_classes(step);
  EXPECT_EQ(plain.source()["user_classes"], step.source()["user_classes"]);
  EXPECT_EQ(plain.source()["defaults"], step.source()["defaults"]);
  EXPECT_TRUE(step.load_shape().has_value());
}

TEST(ScenarioFiles, EveryExampleLoads) {
  int examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator("scenarios/examples")) {
    if (entry.path().extension() != ".json") continue;
    ++examples;
    EXPECT_NO_THROW({
      try {
        const Scenario s = Scenario::load(entry.path());
        EXPECT_FALSE(s.endpoints().empty());
      } catch (const ScenarioError& e) {
        ADD_FAILURE() << e.what();
        throw;
      }
    }) << entry.path();
  }
  EXPECT_GE(examples, 3);
}

TEST(ScenarioFiles, EndpointsAreDistinctInFirstSeenOrder) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  ASSERT_EQ(s.endpoints().size(), 10u);
  EXPECT_EQ(s.endpoints()[0].name, "/api/coupon/grab [Random]");
  EXPECT_EQ(s.endpoints()[3].name, "/api/coupon/grab [Hot Room]");
  EXPECT_EQ(s.endpoints()[9].name, "/admin/shards/status [Shard Status]");

  // A repeated (method, name) shares one id; the name defaults to the path template.
  const Scenario shared = Scenario::parse(
      {{"stampede_scenario", 1},
       {"user_classes",
        {{{"name", "A"}, {"tasks", {{{"request", {{"path", "/x/${uniform(1, 9)}"}}}},
                                    {{"request", {{"path", "/y"}, {"name", "Y"}}}}}}},
         {{"name", "B"}, {"tasks", {{{"request", {{"path", "/z"}, {"name", "Y"}}}},
                                    {{"request", {{"method", "POST"}, {"path", "/y"}, {"name", "Y"}}}}}}}}}},
      "inline.json");
  ASSERT_EQ(shared.endpoints().size(), 3u);
  EXPECT_EQ(shared.endpoints()[0].name, "/x/${uniform(1, 9)}");
  EXPECT_EQ(shared.endpoints()[1].name, "Y");
  EXPECT_EQ(shared.endpoints()[2].method, "POST");
  EXPECT_EQ(shared.user_classes()[1].impl->tasks[0].steps[0].endpoint_id, 1u);
}

TEST(ScenarioFiles, FilterByClass) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  const Scenario admin = s.filtered({"AdminUser"}, {});
  ASSERT_EQ(admin.user_classes().size(), 1u);
  EXPECT_EQ(admin.user_classes()[0].name, "AdminUser");
  ASSERT_EQ(admin.endpoints().size(), 2u);  // ids re-densified
  EXPECT_EQ(admin.endpoints()[0].name, "/admin/stats [System Stats]");
  UserSession session(admin.user_classes()[0], Rng(1));
  RenderedRequest r;
  for (int i = 0; i < 50; ++i) {
    session.render(session.next(), r);
    ASSERT_LT(r.endpoint_id, 2u);
    EXPECT_EQ(r.target.rfind("/admin/", 0), 0u);
  }
  EXPECT_EQ(s.user_classes().size(), 4u);  // the original is untouched
}

TEST(ScenarioFiles, FilterByTagKeepsMatchingTasksAndClasses) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  const Scenario grabs = s.filtered({}, {"grab"});
  ASSERT_EQ(grabs.user_classes().size(), 2u);  // classes left without tasks are dropped
  EXPECT_EQ(grabs.user_classes()[0].name, "NormalCouponUser");
  EXPECT_EQ(grabs.user_classes()[1].name, "HotRoomUser");
  ASSERT_EQ(grabs.endpoints().size(), 2u);
  for (const UserClass& cls : grabs.user_classes()) {
    UserSession session(cls, Rng(4));
    RenderedRequest r;
    for (int i = 0; i < 50; ++i) {
      session.render(session.next(), r);
      EXPECT_EQ(r.method, "POST");
    }
  }
  // Class tags apply to all of the class's tasks.
  const Scenario hot = s.filtered({}, {"hot", "admin"});
  ASSERT_EQ(hot.user_classes().size(), 2u);
  EXPECT_EQ(hot.user_classes()[0].impl->tasks.size(), 2u);
  // Class and tag filters combine.
  const Scenario normal_queries = s.filtered({"NormalCouponUser"}, {"query"});
  ASSERT_EQ(normal_queries.user_classes().size(), 1u);
  EXPECT_EQ(normal_queries.user_classes()[0].impl->tasks.size(), 2u);
}

TEST(ScenarioFiles, FilterErrors) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  try {
    s.filtered({"AdminUsr"}, {});
    FAIL() << "unknown class accepted";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_THAT(e.problems()[0].message, ::testing::HasSubstr("no user class named 'AdminUsr'"));
    EXPECT_THAT(e.problems()[0].message, ::testing::HasSubstr("did you mean 'AdminUser'?"));
    EXPECT_THAT(e.problems()[0].message, ::testing::StartsWith("--user-classes: "));
    EXPECT_THAT(e.problems()[0].message,
                ::testing::HasSubstr("(the scenario has: NormalCouponUser, HotRoomUser, CrossShardQueryUser, AdminUser)"));
  }
  EXPECT_THROW(s.filtered({"AdminUser"}, {"grab"}), ScenarioError);  // nothing left
}

}  // namespace
}  // namespace stampede::scenarios

namespace stampede::scenarios {
namespace {

TEST(ScenarioFiles, FixedCountTagsAndThresholdsAreRead) {
  const nlohmann::json task = {{"request", {{"path", "/"}}}};
  const Scenario s = Scenario::parse(
      {{"stampede_scenario", 1},
       {"thresholds", {"p95(/api/coupon/grab [Random]) < 200ms", "fail_ratio < 1%"}},
       {"user_classes",
        {{{"name", "Admin"}, {"fixed_count", 2}, {"weight", 0}, {"tags", {"admin"}}, {"tasks", {task}}},
         {{"name", "Crowd"}, {"weight", 0.5}, {"tasks", {task}}}}}},
      "inline.json");
  ASSERT_EQ(s.user_classes().size(), 2u);
  EXPECT_EQ(s.user_classes()[0].fixed_count, 2);
  EXPECT_EQ(s.user_classes()[0].tags, std::vector<std::string>{"admin"});
  EXPECT_EQ(s.user_classes()[1].weight, 0.5);
  EXPECT_EQ(s.name(), "inline");  // defaults to the file name without extension
  EXPECT_EQ(s.thresholds(), (std::vector<std::string>{"p95(/api/coupon/grab [Random]) < 200ms", "fail_ratio < 1%"}));
  EXPECT_EQ(distribute_users(s.user_classes(), 10), (std::vector<int>{2, 8}));
}

TEST(ScenarioFiles, OnlyFixedClassesNeedNoWeights) {
  const nlohmann::json task = {{"request", {{"path", "/"}}}};
  EXPECT_NO_THROW(Scenario::parse({{"stampede_scenario", 1},
                                   {"user_classes", {{{"name", "A"}, {"fixed_count", 1}, {"weight", 0}, {"tasks", {task}}}}}},
                                  "inline.json"));
  EXPECT_THROW(Scenario::parse({{"stampede_scenario", 1},
                                {"user_classes", {{{"name", "A"}, {"weight", 0}, {"tasks", {task}}}}}},
                               "inline.json"),
               ScenarioError);
}

}  // namespace
}  // namespace stampede::scenarios
