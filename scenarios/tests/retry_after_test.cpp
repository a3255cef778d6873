// A request's `honour_retry_after` (scenarios/README.md): parsed as a boolean, false by
// default, carried to the rendered request; anything else is a problem naming its path.
#include <gtest/gtest.h>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

using nlohmann::json;

json one_request(json request) {
  return {{"stampede_scenario", 1},
          {"user_classes", {{{"name", "C"}, {"tasks", {{{"request", std::move(request)}}}}}}}};
}

RenderedRequest render_first(const Scenario& s) {
  UserSession session(s.user_classes().at(0), Rng(1));
  RenderedRequest r;
  session.render(session.next(), r);
  return r;
}

TEST(HonourRetryAfter, OffByDefaultAndCarriedWhenSet) {
  EXPECT_FALSE(render_first(Scenario::parse(one_request({{"path", "/a"}}), "s.json")).honour_retry_after);
  EXPECT_TRUE(render_first(Scenario::parse(one_request({{"path", "/a"}, {"honour_retry_after", true}}), "s.json"))
                  .honour_retry_after);
  EXPECT_FALSE(render_first(Scenario::parse(one_request({{"path", "/a"}, {"honour_retry_after", false}}), "s.json"))
                   .honour_retry_after);
}

TEST(HonourRetryAfter, NotABooleanIsAProblemNamingItsPath) {
  std::string error;
  try {
    Scenario::parse(one_request({{"path", "/a"}, {"honour_retry_after", "honour"}}), "s.json");
  } catch (const ScenarioError& e) {
    error = e.what();
  }
  EXPECT_NE(error.find("s.json: /user_classes/0/tasks/0/request/honour_retry_after: expected true or false, got \"honour\""),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace stampede::scenarios
