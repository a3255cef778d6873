// UserSession: on_start variables, sequences, task_finished, wait_after, reproducibility.
#include <gtest/gtest.h>

#include <set>

#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

Scenario one_class(const nlohmann::json& cls) {
  return Scenario::parse({{"stampede_scenario", 1}, {"user_classes", {cls}}}, "inline.json");
}

std::vector<std::string> rendered_sequence(const Scenario& s, std::uint64_t seed, int count) {
  std::vector<std::string> out;
  for (const UserClass& cls : s.user_classes()) {
    UserSession session(cls, Rng(seed));
    RenderedRequest r;
    for (int i = 0; i < count; ++i) {
      session.render(session.next(), r);
      std::string line = std::string(r.method) + " " + r.target + " " + r.body;
      for (const auto& h : r.headers) line += " | " + h;
      out.push_back(line);
    }
  }
  return out;
}

TEST(UserSession, SameSeedSameRequests) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  const auto a = rendered_sequence(s, 12345, 200);
  EXPECT_EQ(a, rendered_sequence(s, 12345, 200));
  EXPECT_NE(a, rendered_sequence(s, 12346, 200));
}

TEST(UserSession, OnStartVariablesAreFixedPerUser) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  const UserClass& normal = s.user_classes()[0];
  std::set<std::string> users;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    UserSession session(normal, Rng(seed));
    RenderedRequest r;
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
      session.render(session.next(), r);
      if (r.method != "POST") continue;
      const auto body = nlohmann::json::parse(r.body);
      ASSERT_GE(body["user_id"].get<int>(), 1);
      ASSERT_LE(body["user_id"].get<int>(), 100000);
      ASSERT_GE(body["coupon_id"].get<int>(), 1);
      ASSERT_LE(body["coupon_id"].get<int>(), 500);
      ids.insert(body["user_id"].dump());
    }
    EXPECT_EQ(ids.size(), 1u) << "user_id changed within one user";
    users.insert(*ids.begin());
  }
  EXPECT_GT(users.size(), 45u);  // different users draw different ids
}

TEST(UserSession, RendersMethodHeadersBodyAndTimeout) {
  const Scenario s = Scenario::load("scenarios/coupon.json");
  const UserClass& hot = s.user_classes()[1];
  UserSession session(hot, Rng(3));
  RenderedRequest r;
  for (int i = 0; i < 1000; ++i) {
    session.render(session.next(), r);
    EXPECT_EQ(r.timeout, milliseconds(10000));
    if (r.method == "GET") {
      EXPECT_TRUE(r.body.empty());
      EXPECT_EQ(r.headers, std::vector<std::string>{"Accept: application/json"});
      continue;
    }
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/api/coupon/grab");
    EXPECT_EQ(r.headers, (std::vector<std::string>{"Accept: application/json", "Content-Type: application/json"}));
    const auto body = nlohmann::json::parse(r.body);
    const int room = body["room_id"];
    const int coupon = body["coupon_id"];
    ASSERT_GE(room, 1);
    ASSERT_LE(room, 5);
    ASSERT_GE(coupon, (room - 1) * 5 + 1);
    ASSERT_LE(coupon, room * 5);
  }
}

TEST(UserSession, QueryValuesAreUrlEncoded) {
  const nlohmann::json request = {{"path", "/search?fixed=1"},
                                  {"query", {{"q", "${who}"}, {"page no", 2}}}};
  const nlohmann::json task = {{"request", request}};
  const Scenario s = one_class({{"name", "U"}, {"on_start", {{"who", "'a b&c'"}}},
                                {"tasks", nlohmann::json::array({task})}});
  UserSession session(s.user_classes()[0], Rng(1));
  RenderedRequest r;
  session.render(session.next(), r);
  EXPECT_EQ(r.target, "/search?fixed=1&page%20no=2&q=a%20b%26c");
}

TEST(UserSession, SequencesRunInOrderAndMarkTheirEnd) {
  const Scenario s = one_class(
      {{"name", "U"},
       {"tasks",
        {{{"weight", 1}, {"sequence", {{{"path", "/a"}}, {{"path", "/b"}}, {{"path", "/c"}}}}},
         {{"weight", 1}, {"request", {{"path", "/single"}}}}}}});
  UserSession session(s.user_classes()[0], Rng(8));
  RenderedRequest r;
  int sequences = 0, singles = 0;
  for (int i = 0; i < 300; ++i) {
    session.render(session.next(), r);
    if (r.target == "/single") {
      EXPECT_TRUE(session.task_finished());
      ++singles;
      continue;
    }
    ASSERT_EQ(r.target, "/a");
    EXPECT_FALSE(session.task_finished());
    session.render(session.next(), r);
    EXPECT_EQ(r.target, "/b");
    EXPECT_FALSE(session.task_finished());
    session.render(session.next(), r);
    EXPECT_EQ(r.target, "/c");
    EXPECT_TRUE(session.task_finished());
    ++sequences;
  }
  EXPECT_GT(sequences, 100);
  EXPECT_GT(singles, 100);
}

TEST(UserSession, TaskVariablesAreSharedBySequenceSteps) {
  const Scenario s = one_class(
      {{"name", "U"},
       {"tasks", {{{"vars", {{"room", "uniform(1, 1000000)"}}},
                   {"sequence", {{{"path", "/rooms/${room}"}}, {{"path", "/rooms/${room}/stats"}}}}}}}});
  UserSession session(s.user_classes()[0], Rng(2));
  RenderedRequest first, second;
  std::set<std::string> rooms;
  for (int i = 0; i < 20; ++i) {
    session.render(session.next(), first);
    session.render(session.next(), second);
    EXPECT_EQ(second.target, first.target + "/stats");
    rooms.insert(first.target);
  }
  EXPECT_GT(rooms.size(), 15u);  // redrawn for every run of the task
}

TEST(UserSession, WaitAfterForEachKind) {
  auto wait_of = [](const nlohmann::json& wait) {
    return one_class({{"name", "U"}, {"wait_time", wait}, {"tasks", {{{"request", {{"path", "/"}}}}}}});
  };
  const Scenario none = one_class({{"name", "U"}, {"tasks", {{{"request", {{"path", "/"}}}}}}});
  EXPECT_EQ(UserSession(none.user_classes()[0], Rng(1)).wait_after(milliseconds(5)), nanoseconds(0));

  const Scenario constant = wait_of({{"constant", "250ms"}});
  EXPECT_EQ(UserSession(constant.user_classes()[0], Rng(1)).wait_after(milliseconds(100)), milliseconds(250));

  const Scenario pacing = wait_of({{"constant_pacing", 1}});
  UserSession paced(pacing.user_classes()[0], Rng(1));
  EXPECT_EQ(paced.wait_after(milliseconds(300)), milliseconds(700));
  EXPECT_EQ(paced.wait_after(milliseconds(1500)), nanoseconds(0));

  const Scenario throughput = wait_of({{"constant_throughput", 4}});
  EXPECT_EQ(UserSession(throughput.user_classes()[0], Rng(1)).wait_after(milliseconds(50)), milliseconds(200));

  const Scenario between = wait_of({{"between", {"100ms", 0.2}}});
  UserSession random_wait(between.user_classes()[0], Rng(1));
  nanoseconds lo = std::chrono::seconds(1), hi{0};
  for (int i = 0; i < 1000; ++i) {
    const auto w = random_wait.wait_after(milliseconds(0));
    lo = std::min(lo, w);
    hi = std::max(hi, w);
  }
  EXPECT_GE(lo, milliseconds(100));
  EXPECT_LT(lo, milliseconds(105));
  EXPECT_LE(hi, milliseconds(200));
  EXPECT_GT(hi, milliseconds(195));
}

TEST(UserSession, RawBodyAndHeaderOverrides) {
  const Scenario s = Scenario::parse(
      {{"stampede_scenario", 1},
       {"defaults", {{"headers", {{"Accept", "application/json"}, {"X-Trace", "t-${uniform(1, 1)}"}}}, {"timeout", 2}}},
       {"user_classes",
        {{{"name", "U"},
          {"on_start", {{"n", "seq(7)"}}},
          {"tasks", {{{"request", {{"method", "put"}, {"path", "/raw"}, {"timeout", "150ms"},
                                   {"headers", {{"accept", "text/plain"}, {"Content-Type", "text/plain"}}},
                                   {"body", "n=${n}"}}}}}}}}}},
      "inline.json");
  UserSession session(s.user_classes()[0], Rng(1));
  RenderedRequest r;
  session.render(session.next(), r);
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.body, "n=7");
  EXPECT_EQ(r.timeout, milliseconds(150));
  EXPECT_EQ(r.headers, (std::vector<std::string>{"X-Trace: t-1", "Content-Type: text/plain", "accept: text/plain"}));
}

}  // namespace
}  // namespace stampede::scenarios

namespace stampede::scenarios {
namespace {

TEST(UserSession, HandMadeClassWithoutTasksYieldsNoRequest) {
  UserClass bare;
  bare.name = "Bare";
  UserSession session(bare, Rng(1));
  EXPECT_FALSE(session.next());
  EXPECT_EQ(session.wait_after(std::chrono::milliseconds(1)), std::chrono::nanoseconds(0));
}

}  // namespace
}  // namespace stampede::scenarios
