// The locustfile for a scenario, loaded by Debian's real Locust (its load_locustfile and
// `locust --list`): same class names, weights, fixed counts and wait times, the load shape.
#include "locust/locustfile.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "locust/tests/python_helper.h"

namespace stampede::locust {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kScenario = R"({"stampede_scenario": 1, "name": "shop \"quoted\"",
  "load_shape": {"stages": [{"duration": "10s", "users": 4, "spawn_rate": 2},
                            {"duration": "20s", "users": 8, "spawn_rate": 4.5}]},
  "user_classes": [
  {"name": "Shopper", "weight": 3, "wait_time": {"between": [0.5, 1.5]},
   "tasks": [{"request": {"method": "GET", "path": "/a"}}]},
  {"name": "Admin", "fixed_count": 1, "wait_time": {"constant": 2},
   "tasks": [{"request": {"method": "GET", "path": "/b"}}]},
  {"name": "coupon-buyer", "weight": 0.5, "wait_time": {"constant_pacing": 1.25},
   "tasks": [{"request": {"method": "GET", "path": "/c"}}]},
  {"name": "class", "wait_time": {"constant_throughput": 4},
   "tasks": [{"request": {"method": "GET", "path": "/d"}}]},
  {"name": "Idle", "tasks": [{"request": {"method": "GET", "path": "/e"}}]}]})";

TEST(Locustfile, PythonNames) {
  EXPECT_TRUE(is_python_identifier("Shopper"));
  EXPECT_TRUE(is_python_identifier("_x9"));
  EXPECT_FALSE(is_python_identifier("9x"));
  EXPECT_FALSE(is_python_identifier("coupon-buyer"));
  EXPECT_FALSE(is_python_identifier("class"));
  EXPECT_FALSE(is_python_identifier(""));
}

class LocustfileInLocust : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_locust()) GTEST_SKIP() << "python3-locust is not installed (scripts/install-deps)";
    dir_ = testing::test_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    const auto scenario = scenarios::Scenario::parse_text(kScenario, "shop.json");
    std::ofstream(dir_ / "shop_master.py") << make_locustfile(scenario, "scenarios/shop.json", "0.1.0");
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(LocustfileInLocust, ClassesWeightsAndWaitTimesAsLocustLoadsThem) {
  const auto run = testing::run_python(dir_, R"(
import json, random
from locust.util.load_locustfile import load_locustfile
doc, classes, shape = load_locustfile("shop_master.py")
out = {}
for key, cls in classes.items():
    waits = [cls.wait_time(cls.__new__(cls)) for _ in range(50)]
    out[key] = {"name": cls.__name__, "weight": cls.weight, "fixed_count": cls.fixed_count,
                "wait_min": min(waits), "wait_max": max(waits), "tasks": len(cls.tasks)}
print(json.dumps({"classes": out, "shape": shape.stages if shape else None, "doc": doc}))
)");
  ASSERT_EQ(run.status, 0) << run.out;
  const json got = json::parse(run.out);
  const json& c = got["classes"];
  ASSERT_EQ(c.size(), 5u) << run.out;
  EXPECT_EQ(c["Shopper"]["weight"], 3);
  EXPECT_EQ(c["Shopper"]["fixed_count"], 0);
  EXPECT_GE(c["Shopper"]["wait_min"].get<double>(), 0.5);
  EXPECT_LE(c["Shopper"]["wait_max"].get<double>(), 1.5);
  EXPECT_LT(c["Shopper"]["wait_min"], c["Shopper"]["wait_max"]);  // between, not constant
  EXPECT_EQ(c["Admin"]["fixed_count"], 1);
  EXPECT_EQ(c["Admin"]["wait_min"], 2);
  EXPECT_EQ(c["Admin"]["wait_max"], 2);
  // Not Python names: bound under the exact scenario name, which is also the class's name.
  EXPECT_EQ(c["coupon-buyer"]["name"], "coupon-buyer");
  EXPECT_EQ(c["coupon-buyer"]["weight"], 0.5);
  EXPECT_EQ(c["class"]["name"], "class");
  EXPECT_EQ(c["Idle"]["wait_max"], 0);
  EXPECT_EQ(c["Idle"]["tasks"], 1);
  EXPECT_EQ(got["shape"], json::parse("[[10, 4, 2], [30, 8, 4.5]]"));
  // The name as a Python literal inside the docstring: Python reads its \" back as ".
  EXPECT_NE(got["doc"].get<std::string>().find(R"(scenario "shop "quoted"".)"), std::string::npos) << got["doc"];
}

// What a user runs first: `locust -f file --list` lists the classes by their names.
TEST_F(LocustfileInLocust, LocustListsTheClasses) {
  const auto run = testing::run_python(dir_, "import sys\nfrom locust.main import main\nsys.argv = ['locust'] + sys.argv[1:]\nmain()\n",
                                       "-f shop_master.py --list");
  ASSERT_EQ(run.status, 0) << run.out;
  for (const char* name : {"Shopper", "Admin", "coupon-buyer", "class", "Idle"})
    EXPECT_NE(run.out.find(name), std::string::npos) << name << " not in:\n" << run.out;
}

// The task never runs on the master; a Python user that runs it stops at once.
TEST_F(LocustfileInLocust, APythonUserStopsAtItsFirstTask) {
  const auto run = testing::run_python(dir_, R"(
from locust.env import Environment
from locust.exception import StopUser
from locust.util.load_locustfile import load_locustfile
doc, classes, shape = load_locustfile("shop_master.py")
user = classes["Shopper"](Environment())
try:
    classes["Shopper"].tasks[0](user)
    print("ran")
except StopUser:
    print("stopped")
)");
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("stopped"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace stampede::locust
