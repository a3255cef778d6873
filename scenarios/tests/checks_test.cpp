// Response checks (status, exists/equals/in, non-JSON bodies) and captures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

// One class, one task: a sequence whose first request carries `request_extra` (check and
// capture) and whose second step uses the captured variable `item` when there is one.
Scenario scenario_with(const nlohmann::json& request_extra) {
  nlohmann::json first = {{"name", "first"}, {"path", "/first"}};
  first.update(request_extra);
  const std::string second_path = request_extra.contains("capture") ? "/items/${item}" : "/items";
  const nlohmann::json doc = {
      {"stampede_scenario", 1},
      {"user_classes",
       {{{"name", "U"},
         {"tasks", {{{"sequence", {first, {{"name", "second"}, {"path", second_path}}}}}}}}}}};
  return Scenario::parse(doc, "inline.json");
}

const nlohmann::json kGrabCheck = {
    {"check", {{"status", 200}, {"json", {{{"path", "grab_status"}, {"in", {0, 1}}}}}}}, {"capture", {{"item", "items[0].id"}}}};

struct Checked {
  Scenario scenario;
  UserSession session;
  RequestRef first;
  explicit Checked(const nlohmann::json& extra)
      : scenario(scenario_with(extra)), session(scenario.user_classes()[0], Rng(1)), first(session.next()) {}
  std::optional<std::string> check(long status, std::string_view body) { return session.check(first, status, body); }
};

TEST(Checks, DefaultCheckFailsOnHttpErrorsOnly) {
  Checked c(nlohmann::json::object());
  EXPECT_EQ(c.check(200, "not json at all"), std::nullopt);
  EXPECT_EQ(c.check(302, ""), std::nullopt);
  EXPECT_EQ(c.check(399, ""), std::nullopt);
  EXPECT_EQ(c.check(400, ""), "HTTP 400");
  EXPECT_EQ(c.check(503, ""), "HTTP 503");
}

TEST(Checks, ExplicitStatus) {
  Checked one(nlohmann::json{{"check", {{"status", 200}}}});
  EXPECT_EQ(one.check(200, ""), std::nullopt);
  EXPECT_EQ(one.check(201, ""), "expected status 200, got 201");
  Checked many(nlohmann::json{{"check", {{"status", {200, 201}}}}});
  EXPECT_EQ(many.check(201, ""), std::nullopt);
  EXPECT_EQ(many.check(503, ""), "expected status one of [200, 201], got 503");
}

TEST(Checks, JsonCheckWithoutStatusStillRejectsHttpErrors) {
  Checked c(nlohmann::json{{"check", {{"json", {{{"path", "ok"}, {"equals", true}}}}}}});
  EXPECT_EQ(c.check(500, R"({"ok": true})"), "HTTP 500");
  EXPECT_EQ(c.check(200, R"({"ok": true})"), std::nullopt);
  EXPECT_EQ(c.check(200, R"({"ok": false})"), "ok: expected true, got false");
}

TEST(Checks, InChecksGrabStatus) {
  Checked c(nlohmann::json{{"check", {{"status", 200}, {"json", {{{"path", "grab_status"}, {"in", {0, 1}}}}}}}});
  EXPECT_EQ(c.check(200, R"({"grab_status": 0})"), std::nullopt);
  EXPECT_EQ(c.check(200, R"({"grab_status": 1})"), std::nullopt);
  EXPECT_EQ(c.check(200, R"({"grab_status": 7})"), "grab_status: expected one of [0, 1], got 7");
  EXPECT_EQ(c.check(200, R"({"other": 1})"), "grab_status: missing (expected one of [0, 1])");
  EXPECT_EQ(c.check(200, "<html>busy</html>"), "response is not JSON");
  EXPECT_EQ(c.check(503, "<html>busy</html>"), "expected status 200, got 503");
}

TEST(Checks, ExistsAndEqualsWithNestedPaths) {
  Checked c(nlohmann::json{{"check",
              {{"json",
                {{{"path", "data.items[1].id"}, {"equals", 5}},
                 {{"path", "data.error"}, {"exists", false}},
                 {{"path", "data.count"}, {"exists", true}}}}}}});
  EXPECT_EQ(c.check(200, R"({"data": {"items": [{"id": 4}, {"id": 5.0}], "count": 2}})"), std::nullopt);
  EXPECT_EQ(c.check(200, R"({"data": {"items": [{"id": 4}, {"id": 6}], "count": 2}})"),
            "data.items[1].id: expected 5, got 6");
  EXPECT_EQ(c.check(200, R"({"data": {"items": [{"id": 4}], "count": 2}})"),
            "data.items[1].id: missing (expected 5)");
  EXPECT_EQ(c.check(200, R"({"data": {"items": [{"id": 4}, {"id": 5}], "error": "x", "count": 1}})"),
            "data.error: expected to be absent, got \"x\"");
  EXPECT_EQ(c.check(200, R"({"data": {"items": [{"id": 4}, {"id": 5}]}})"), "data.count: missing");
}

TEST(Checks, DeeplyNestedResponseIsAFailureNotACrash) {
  // The target is input too: a body nested 70,000 deep would overflow the stack when a
  // failure message or a capture prints the value it found.
  constexpr std::size_t kDepth = 70'000;
  const std::string deep = std::string(kDepth, '[') + std::string(kDepth, ']');
  Checked c(kGrabCheck);
  EXPECT_EQ(c.check(200, R"({"grab_status": )" + deep + R"(, "items": [{"id": )" + deep + "}]}"),
            "response JSON is nested deeper than 256 levels");
  // Strings may hold any brackets.
  EXPECT_EQ(c.check(200, R"({"grab_status": 1, "items": [{"id": ")" + deep + R"("}]})"), std::nullopt);
  const std::string at_limit = R"({"grab_status": 1, "items": [{"id": )" + std::string(253, '[') +
                               std::string(253, ']') + "}]}";
  EXPECT_EQ(c.check(200, at_limit), std::nullopt);
}

TEST(Captures, SaveAFieldForLaterRequests) {
  Checked c(kGrabCheck);
  EXPECT_EQ(c.check(200, R"({"grab_status": 1, "items": [{"id": 77}, {"id": 78}]})"), std::nullopt);
  RequestRef second = c.session.next();
  RenderedRequest out;
  c.session.render(second, out);
  EXPECT_EQ(out.target, "/items/77");
}

TEST(Captures, StringValuesAreCapturedVerbatim) {
  Checked c(nlohmann::json{{"capture", {{"item", "token"}}}});
  EXPECT_EQ(c.check(200, R"({"token": "abc def"})"), std::nullopt);
  RenderedRequest out;
  c.session.render(c.session.next(), out);
  EXPECT_EQ(out.target, "/items/abc def");
}

TEST(Captures, MissingFieldIsAFailureAndLeavesVariablesAlone) {
  Checked c(kGrabCheck);
  EXPECT_EQ(c.check(200, R"({"grab_status": 0, "items": []})"),
            "capture 'item': items[0].id not found in response");
  RenderedRequest out;
  c.session.render(c.session.next(), out);
  EXPECT_EQ(out.target, "/items/");  // never captured: renders empty
}

TEST(Captures, NeedJsonAndPassingChecks) {
  Checked c(kGrabCheck);
  EXPECT_EQ(c.check(200, "plain text"), "response is not JSON");
  EXPECT_EQ(c.check(200, R"({"grab_status": 9, "items": [{"id": 1}]})"), "grab_status: expected one of [0, 1], got 9");
  RenderedRequest out;
  c.session.render(c.session.next(), out);
  EXPECT_EQ(out.target, "/items/");  // a failed check captures nothing
}

}  // namespace
}  // namespace stampede::scenarios
