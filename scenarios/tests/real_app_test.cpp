// Scenarios for real applications (issue 21): data sources, records, form / multipart /
// auth bodies, body / header / regex checks, regex / header / cookie captures, `when`,
// on_start and on_stop requests.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "scenarios/data_source.h"
#include "scenarios/scenario.h"
#include "scenarios/user_session.h"

namespace stampede::scenarios {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A scratch folder with a scenario's data files; removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("stampede-real-app-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
    return path_ / name;
  }
  std::string scenario_file() const { return (path_ / "scenario.json").string(); }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

std::string problems_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

json with_class(json cls, json data = nullptr) {
  json doc = {{"stampede_scenario", 1}, {"user_classes", {std::move(cls)}}};
  if (!data.is_null()) doc["data"] = std::move(data);
  return doc;
}

std::string render_one(UserSession& session, RequestRef ref) {
  RenderedRequest r;
  session.render(ref, r);
  std::string line = std::string(r.method) + " " + r.target;
  for (const auto& h : r.headers) line += " | " + h;
  if (!r.body.empty()) line += " | " + r.body;
  return line;
}

// --- data sources ------------------------------------------------------------------------

TEST(DataSource, ReadsCsvWithQuotedFields) {
  std::string error;
  auto d = DataSource::from_csv("user,password\r\nann,\"a,b\"\n\"bo\"\"b\",x\n", "a.csv", error);
  ASSERT_TRUE(d) << error;
  EXPECT_EQ(d->columns(), (std::vector<std::string>{"user", "password"}));
  ASSERT_EQ(d->size(), 2u);
  EXPECT_EQ(d->row(0)[1].s, "a,b");
  EXPECT_EQ(d->row(1)[0].s, "bo\"b");
}

TEST(DataSource, CsvErrorsNameLineAndColumn) {
  std::string error;
  EXPECT_FALSE(DataSource::from_csv("user,password\nann,1\nbob,2,3\n", "a.csv", error));
  EXPECT_EQ(error, "a.csv: line 3: expected 2 fields (user, password), got 3");
  EXPECT_FALSE(DataSource::from_csv("user,password\nann,\"open\n", "a.csv", error));
  EXPECT_EQ(error, "a.csv: line 2, column 5: a quoted field is not closed");
  EXPECT_FALSE(DataSource::from_csv("user\nan\"n\n", "a.csv", error));
  EXPECT_EQ(error, "a.csv: line 2, column 3: a quote inside an unquoted field (quote the whole field)");
  EXPECT_FALSE(DataSource::from_csv("user\n", "a.csv", error));
  EXPECT_EQ(error, "a.csv: no rows after the header row");
  EXPECT_FALSE(DataSource::from_csv("", "a.csv", error));
  EXPECT_EQ(error, "a.csv: the data file is empty (expected a header row naming the columns)");
}

TEST(DataSource, ReadsJsonArrays) {
  std::string error;
  auto d = DataSource::from_json(R"([{"user": "ann", "id": 7}, {"user": "bob", "id": 8}])", "a.json", error);
  ASSERT_TRUE(d) << error;
  EXPECT_EQ(d->columns(), (std::vector<std::string>{"id", "user"}));  // the first object's keys, sorted
  EXPECT_EQ(d->row(1)[0].i, 8);
  EXPECT_EQ(d->row(1)[1].s, "bob");
  EXPECT_FALSE(DataSource::from_json("[{\"user\": \"ann\"},\n {\"usr\": 1}]", "a.json", error));
  EXPECT_EQ(error, "a.json: [1]: missing key 'user' (every row needs user)");
  EXPECT_FALSE(DataSource::from_json("[{\"user\": \"ann\"},\n {\"user\" 1}]", "a.json", error));
  EXPECT_EQ(error, "a.json: line 2, column 10: not valid JSON");
}

json account_class() {
  return {{"name", "Shopper"},
          {"on_start", {{"account", "next(accounts)"}}},
          {"tasks", {{{"request", {{"path", "/u/${account.user}"}, {"query", {{"p", "${account.password}"}}}}}}}}};
}

TEST(DataSource, UniqueRowsGoOneToEachUser) {
  TempDir dir;
  dir.write("accounts.csv", "user,password\nann,p 1\nbob,p2\ncid,p3\n");
  const Scenario s = Scenario::parse(with_class(account_class(), {{"accounts", {{"csv", "accounts.csv"}}}}),
                                     dir.scenario_file());
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    UserSession session(s.user_classes()[0], Rng(static_cast<std::uint64_t>(i)));
    seen.insert(render_one(session, session.next()));
  }
  EXPECT_EQ(seen, (std::set<std::string>{"GET /u/ann?p=p%201", "GET /u/bob?p=p2", "GET /u/cid?p=p3"}));
  EXPECT_NO_THROW(s.check_users(3));
  EXPECT_EQ(problems_of([&] { s.check_users(4); }),
            dir.scenario_file() + ": /data/accounts: data source 'accounts' has 3 rows and pick \"unique\", but the "
                                  "run starts 4 users taking a row each (add rows, run fewer users, or use "
                                  "\"pick\": \"cycle\")");
}

TEST(DataSource, CycleWrapsAndRandomIsSeeded) {
  TempDir dir;
  dir.write("accounts.json", R"([{"user": "ann", "password": "1"}, {"user": "bob", "password": "2"}])");
  for (const std::string pick : {"cycle", "random"}) {
    const Scenario s = Scenario::parse(
        with_class(account_class(), {{"accounts", {{"json", "accounts.json"}, {"pick", pick}}}}), dir.scenario_file());
    EXPECT_NO_THROW(s.check_users(10)) << pick;
    std::vector<std::string> users;
    for (int i = 0; i < 4; ++i) {
      UserSession session(s.user_classes()[0], Rng(7));
      users.push_back(render_one(session, session.next()));
    }
    if (pick == "cycle") {
      EXPECT_EQ(users, (std::vector<std::string>{"GET /u/ann?p=1", "GET /u/bob?p=2", "GET /u/ann?p=1",
                                                 "GET /u/bob?p=2"}));
    } else {
      EXPECT_EQ(std::set<std::string>(users.begin(), users.end()).size(), 1u) << "same seed, same row";
    }
  }
}

TEST(DataSource, BadInputIsReportedWithPaths) {
  TempDir dir;
  dir.write("accounts.csv", "user,password\nann,1\nbob\n");
  const std::string f = dir.scenario_file();
  json cls = account_class();
  EXPECT_EQ(problems_of([&] { Scenario::parse(with_class(cls, {{"accounts", {{"csv", "missing.csv"}}}}), f); }),
            f + ": /data/accounts/csv: " + (dir.write("x", "").parent_path() / "missing.csv").string() +
                ": cannot read data file: no such file");
  EXPECT_EQ(problems_of([&] { Scenario::parse(with_class(cls, {{"accounts", {{"csv", "accounts.csv"}}}}), f); }),
            f + ": /data/accounts/csv: " + (dir.write("y", "").parent_path() / "accounts.csv").string() +
                ": line 3: expected 2 fields (user, password), got 1");
  dir.write("ok.csv", "user,password\nann,1\n");
  EXPECT_EQ(problems_of([&] {
              Scenario::parse(with_class(cls, {{"acounts", {{"csv", "ok.csv"}, {"pick", "uniqe"}}}}), f);
            }),
            f + ": /data/acounts/pick: expected \"unique\", \"cycle\" or \"random\", got \"uniqe\" — did you mean "
                "'unique'?\n" +
                f + ": /user_classes/0/on_start/account: undefined data source 'accounts' (the scenario has no "
                    "\"data\")");
  EXPECT_NE(problems_of([&] {
              Scenario::parse(with_class(cls, {{"acounts", {{"csv", "ok.csv"}}}}), f);
            }).find("undefined data source 'accounts' — did you mean 'acounts'?"),
            std::string::npos);
  cls["tasks"][0]["request"]["path"] = "/u/${account.usr}";
  const std::string p = problems_of([&] { Scenario::parse(with_class(cls, {{"accounts", {{"csv", "ok.csv"}}}}), f); });
  EXPECT_NE(p.find("undefined variable 'account.usr' at column 6 — did you mean 'account.user'?"), std::string::npos) << p;
}

// --- bodies and auth ----------------------------------------------------------------------

TEST(RealAppRequests, FormMultipartAndAuth) {
  TempDir dir;
  dir.write("note.txt", "hello\n");
  const Scenario s = Scenario::parse(
      with_class({{"name", "C"},
                  {"on_start", {{"token", "'abc'"}}},
                  {"tasks",
                   {{{"sequence",
                      {{{"method", "POST"}, {"path", "/f"}, {"form", {{"user", "a b&c"}, {"n", 5}}},
                        {"auth", {{"basic", {"Aladdin", "open sesame"}}}}},
                       {{"method", "POST"},
                        {"path", "/m"},
                        {"multipart", {{"fields", {{"t", "x${token}"}}},
                                       {"files", {{"file", {{"path", "note.txt"}, {"content_type", "text/plain"}}}}}}},
                        {"auth", {{"bearer", "${token}"}}}}}}}}}}),
      dir.scenario_file());
  UserSession session(s.user_classes()[0], Rng(1));
  EXPECT_EQ(render_one(session, session.next()),
            "POST /f | Content-Type: application/x-www-form-urlencoded | Authorization: Basic "
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ== | n=5&user=a%20b%26c");
  EXPECT_EQ(render_one(session, session.next()),
            "POST /m | Content-Type: multipart/form-data; boundary=stampede-form-boundary-7e3f9a1c5b | "
            "Authorization: Bearer abc | --stampede-form-boundary-7e3f9a1c5b\r\n"
            "Content-Disposition: form-data; name=\"t\"\r\n\r\nxabc\r\n"
            "--stampede-form-boundary-7e3f9a1c5b\r\n"
            "Content-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n"
            "hello\n\r\n--stampede-form-boundary-7e3f9a1c5b--\r\n");
}

TEST(RealAppRequests, BadBodiesAreLoadErrors) {
  TempDir dir;
  const std::string f = dir.scenario_file();
  auto req = [](json r) { return with_class({{"name", "C"}, {"tasks", {{{"request", std::move(r)}}}}}); };
  EXPECT_EQ(problems_of([&] {
              Scenario::parse(req({{"path", "/"}, {"multipart", {{"files", {{"f", "gone.bin"}}}}}}), f);
            }),
            f + ": /user_classes/0/tasks/0/request/multipart/files/f: cannot read multipart file " +
                (fs::path(f).parent_path() / "gone.bin").string() + ": no such file");
  EXPECT_EQ(problems_of([&] { Scenario::parse(req({{"path", "/"}, {"form", {{"a", 1}}}, {"json", {}}}), f); }),
            f + ": /user_classes/0/tasks/0/request: a request has at most one of \"json\", \"body\", \"form\" or "
                "\"multipart\"");
  EXPECT_EQ(problems_of([&] { Scenario::parse(req({{"path", "/"}, {"auth", {{"basci", {"u", "p"}}}}}), f); }),
            f + ": /user_classes/0/tasks/0/request/auth/basci: unknown key 'basci' — did you mean 'basic'?");
  EXPECT_EQ(problems_of([&] { Scenario::parse(req({{"path", "/"}, {"capture", {{"x", {{"regex", "(["}}}}}}), f); })
                .find(f + ": /user_classes/0/tasks/0/request/capture/x/regex: invalid regex /([/: "),
            0u);
  EXPECT_EQ(problems_of([&] { Scenario::parse(req({{"path", "/"}, {"follow_redirect", false}}), f); }),
            f + ": /user_classes/0/tasks/0/request/follow_redirect: unknown key 'follow_redirect' — did you mean "
                "'follow_redirects'?");
}

// --- checks and captures ----------------------------------------------------------------

TEST(RealAppChecks, BodyHeaderRegexChecksAndCaptures) {
  const Scenario s = Scenario::parse(
      with_class({{"name", "C"},
                  {"tasks",
                   {{{"sequence",
                      {{{"path", "/a"},
                        {"check", {{"body_contains", {"Cart", "Total"}}, {"header", {{"content-type", "html"}, {"X-Gone", false}}},
                                   {"regex", "Total: [0-9]+"}}},
                        {"capture", {{"csrf", {{"regex", "csrf=([a-z0-9]+)"}}}, {"loc", {{"header", "Location"}}},
                                     {"sid", {{"cookie", "session"}}}}}},
                       {{"path", "/b/${csrf}/${sid}/${loc}"}}}}}}}}),
      "inline.json");
  UserSession session(s.user_classes()[0], Rng(1));
  const RequestRef first = session.next();
  EXPECT_TRUE(session.needs_body(first));
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "text/html"}, {"location", "/next"}};
  Response r;
  r.status = 200;
  r.headers = &headers;
  r.cookie = [](std::string_view name) -> std::optional<std::string> {
    if (name == "session") return "s42";
    return std::nullopt;
  };
  r.body = "Cart Total: 12 csrf=tok9";
  EXPECT_EQ(session.check(first, r), std::nullopt);
  r.body = "Cart Sum: 12";
  EXPECT_EQ(session.check(first, r), "body does not contain \"Total\"");
  r.body = "Cart Total: none";
  EXPECT_EQ(session.check(first, r), "body does not match /Total: [0-9]+/");
  r.body = "Cart Total: 1";
  EXPECT_EQ(session.check(first, r), "capture 'csrf': regex /csrf=([a-z0-9]+)/ does not match the response");
  headers.emplace_back("x-gone", "1");
  EXPECT_EQ(session.check(first, r), "header X-Gone: expected to be absent, got \"1\"");
  headers = {{"Content-Type", "application/json"}};
  EXPECT_EQ(session.check(first, r),
            "header content-type: expected it to contain \"html\", got \"application/json\"");
  headers = {};
  EXPECT_EQ(session.check(first, r), "header content-type: missing (expected it to contain \"html\")");
  // The passing check captured all three values.
  EXPECT_EQ(render_one(session, session.next()), "GET /b/tok9/s42//next");
}

// --- when -----------------------------------------------------------------------------------

TEST(RealAppWhen, SkipsTasksAndStepsAndCountsThem) {
  const Scenario s = Scenario::parse(
      with_class({{"name", "C"},
                  {"tasks",
                   {{{"when", "${tok} != ''"}, {"request", {{"path", "/needs-token"}}}},
                    {{"sequence",
                      {{{"path", "/login"}, {"capture", {{"tok", {{"header", "X-Token"}}}}}},
                       {{"path", "/skipped"}, {"when", "${tok} == 'no'"}},
                       {{"path", "/last"}, {"when", "${tok}"}}}}}}}}),
      "inline.json");
  UserSession session(s.user_classes()[0], Rng(3));
  // Until tok is captured, the first task is always skipped: every task run is /login.
  RequestRef ref = session.next();
  EXPECT_EQ(render_one(session, ref), "GET /login");
  EXPECT_FALSE(session.task_finished());
  std::vector<std::pair<std::string, std::string>> headers = {{"X-Token", "yes"}};
  Response r;
  r.status = 200;
  r.headers = &headers;
  EXPECT_EQ(session.check(ref, r), std::nullopt);
  EXPECT_EQ(render_one(session, session.next()), "GET /last") << "/skipped's condition is false";
  EXPECT_TRUE(session.task_finished());
  EXPECT_GE(session.skipped(), 1u);
  std::set<std::string> later;
  for (int i = 0; i < 40; ++i) {
    RequestRef next = session.next();
    if (!next) continue;
    later.insert(render_one(session, next));
  }
  EXPECT_TRUE(later.count("GET /needs-token")) << "runs once tok is set";
}

TEST(RealAppWhen, BadConditionsAreLoadErrors) {
  const std::string p = problems_of([] {
    Scenario::parse(with_class({{"name", "C"}, {"tasks", {{{"when", "${tokn} == 1"}, {"request", {{"path", "/"}}}}}}}),
                    "inline.json");
  });
  EXPECT_EQ(p, "inline.json: /user_classes/0/tasks/0/when: undefined variable 'tokn' at column 3");
}

// --- on_start / on_stop ---------------------------------------------------------------------

TEST(RealAppHooks, SetupThenTasksThenTeardown) {
  const Scenario s = Scenario::parse(
      with_class({{"name", "C"},
                  {"on_start", {{"n", "7"}, {"requests", {{{"path", "/login/${n}"}}, {{"path", "/welcome"}}}}}},
                  {"tasks", {{{"request", {{"path", "/t"}}}}}},
                  {"on_stop", {{"requests", {{{"method", "POST"}, {"path", "/logout"}}}}}}}),
      "inline.json");
  ASSERT_EQ(s.endpoints().size(), 4u);
  UserSession session(s.user_classes()[0], Rng(1));
  ASSERT_TRUE(session.in_setup());
  EXPECT_EQ(render_one(session, session.next_setup()), "GET /login/7");
  EXPECT_EQ(render_one(session, session.next_setup()), "GET /welcome");
  EXPECT_FALSE(session.next_setup());
  EXPECT_FALSE(session.in_setup());
  EXPECT_EQ(render_one(session, session.next()), "GET /t");
  EXPECT_TRUE(session.begin_teardown());
  EXPECT_EQ(render_one(session, session.next_teardown()), "POST /logout");
  EXPECT_FALSE(session.next_teardown());
  EXPECT_FALSE(session.begin_teardown()) << "on_stop runs once";
}

TEST(RealAppHooks, OnStartFailureStopsOrContinues) {
  for (const std::string choice : {"stop", "continue"}) {
    const Scenario s = Scenario::parse(
        with_class({{"name", "C"},
                    {"on_start_failure", choice},
                    {"on_start", {{"requests", {{{"path", "/a"}}, {{"path", "/b"}}}}}},
                    {"tasks", {{{"request", {{"path", "/t"}}}}}}}),
        "inline.json");
    UserSession session(s.user_classes()[0], Rng(1));
    ASSERT_TRUE(session.next_setup());
    EXPECT_EQ(session.setup_failed(), choice == "stop");
    EXPECT_FALSE(session.in_setup()) << "the rest of on_start is dropped";
  }
  EXPECT_EQ(problems_of([] {
              Scenario::parse(with_class({{"name", "C"}, {"on_start_failure", "halt"}, {"cookies", "no"},
                                          {"on_stop", {{"request", {}}}},
                                          {"tasks", {{{"request", {{"path", "/"}}}}}}}),
                              "inline.json");
            }),
            "inline.json: /user_classes/0/cookies: expected true or false, got \"no\"\n"
            "inline.json: /user_classes/0/on_start_failure: expected \"stop\" or \"continue\", got \"halt\"\n"
            "inline.json: /user_classes/0/on_stop/request: unknown key 'request' — did you mean 'requests'?");
}

}  // namespace
}  // namespace stampede::scenarios
