// `stampede compare` with more than two folders: the side-by-side report has a column per
// run, the regression rules judge each later run against the first, bad folders are named.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "generator/commands/exit_codes.h"
#include "generator/commands/gate_commands.h"
#include "generator/engine/runner.h"
#include "generator/commands/tests/cli_runner.h"

namespace stampede::commands {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class CompareCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stampede-compare-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // Three folders with distinct labels: the sample run relabelled "alpha" and "beta" and
    // the slower live run.
    for (const char* label : {"alpha", "beta"}) {
      fs::copy("results/tests/fixtures/sample-run", dir_ / label);
      std::string run_json = slurp(dir_ / label / "run.json");
      auto at = run_json.find("\"label\": \"");
      auto end = run_json.find('"', at + 10);
      run_json.replace(at + 10, end - at - 10, label);
      std::ofstream(dir_ / label / "run.json") << run_json;
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CompareCliTest, ThreeFoldersGiveThreeColumnsAndEveryOutput) {
  const std::string live = "results/tests/fixtures/live-run";
  fs::path md = dir_ / "c.md", html = dir_ / "c.html", json = dir_ / "c.json";
  auto r = testing::run_stampede({"compare", (dir_ / "alpha").string(), (dir_ / "beta").string(), live,
                                  "--markdown", md.string(), "--html", html.string(), "--json", json.string()});
  EXPECT_EQ(r.code, kExitOk) << r.out << r.err;
  const std::string live_label = nlohmann::json::parse(slurp(fs::path(live) / "run.json"))["label"];
  for (const std::string& label : std::vector<std::string>{"alpha", "beta", live_label}) {
    EXPECT_NE(r.out.find(label), std::string::npos) << label << "\n" << r.out;
    EXPECT_NE(slurp(md).find(label), std::string::npos) << label;
    EXPECT_NE(slurp(html).find(label), std::string::npos) << label;
  }
  EXPECT_EQ(r.out.find("regressions:"), std::string::npos) << "no rules, no regression table";
  auto doc = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(doc["runs"].size(), 3u);
  EXPECT_FALSE(doc.contains("regressions"));
}

TEST_F(CompareCliTest, RulesJudgeEachLaterRunAgainstTheFirstAndStillExitThree) {
  const std::string live = "results/tests/fixtures/live-run";
  fs::path md = dir_ / "c.md", json = dir_ / "c.json";
  auto r = testing::run_stampede({"compare", (dir_ / "alpha").string(), (dir_ / "beta").string(), live,
                                  "--max-regression", "rps:-5%", "--markdown", md.string(), "--json", json.string()});
  EXPECT_EQ(r.code, kExitThresholdsFailed) << r.out << r.err;
  // beta is alpha's twin: passes; the live run's rate dropped: fails.
  EXPECT_NE(r.out.find("FAIL: rps 90.0 -> 75.0 (-16.7%), allowed -5.0% (all requests)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("alpha"), std::string::npos);
  auto doc = nlohmann::json::parse(slurp(json));
  EXPECT_EQ(doc["runs"].size(), 3u);
  EXPECT_EQ(doc["regressions"]["passed"], false);
  ASSERT_EQ(doc["regressions"]["comparisons"].size(), 2u);
  EXPECT_EQ(doc["regressions"]["comparisons"][0]["passed"], true);
  EXPECT_EQ(doc["regressions"]["comparisons"][1]["passed"], false);
  const std::string markdown = slurp(md);
  EXPECT_NE(markdown.find("## Regressions against alpha"), std::string::npos) << markdown;
}

// Runs of the shop scenario are not the lab's study: no study section, verdict or text in
// any output (the lab's own runs get it: lab/tests/study_checks_test.cpp).
TEST_F(CompareCliTest, RunsOutsideTheStudyGetNoStudyChecks) {
  fs::path md = dir_ / "c.md", html = dir_ / "c.html", json = dir_ / "c.json";
  auto r = testing::run_stampede({"compare", (dir_ / "alpha").string(), (dir_ / "beta").string(), "--markdown",
                                  md.string(), "--html", html.string(), "--json", json.string()});
  ASSERT_EQ(r.code, kExitOk) << r.out << r.err;
  for (const std::string& out : {r.out, slurp(md), slurp(html), slurp(json)}) {
    for (const char* text : {"seed", "Seed", "student", "[met]", "NOT met", "/api/coupon", "/api/user/:id/coupons",
                             "/api/room/:id/orders"})
      EXPECT_EQ(out.find(text), std::string::npos) << text << " in\n" << out;
  }
  EXPECT_NE(r.out.find("\nReading\n-------\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\nEndpoints\n---------\n"), std::string::npos) << r.out;
}

// Folders of a lab (`<lab>/<variant>/` beside its lab.json): the columns are the variants, the
// header names each one's server command line as the lab's report does, and the checks are
// those of what the variants vary (here --cache: the cache's, with its note on the numbers).
TEST_F(CompareCliTest, ALabsRunFoldersAreComparedAsItsVariants) {
  const fs::path lab = dir_ / "lab";
  fs::create_directories(lab);
  fs::rename(dir_ / "alpha", lab / "nocache");
  fs::rename(dir_ / "beta", lab / "cache");
  const nlohmann::json lab_json = {
      {"stampede_lab", 1},
      {"server_flags", {"--shard-latency", "1ms"}},
      {"variants",
       {{{"name", "nocache"}, {"flags", "--cache off"}, {"strategy", "hash"},
         {"server_command", {"/bin/stampede-server", "--store", "sqlite", "--shard-latency", "1ms", "--cache", "off"}}},
        {{"name", "cache"}, {"flags", "--cache memory --cache-ttl 1s"}, {"strategy", "hash"},
         {"server_command",
          {"/bin/stampede-server", "--store", "sqlite", "--shard-latency", "1ms", "--cache", "memory", "--cache-ttl", "1s"}}}}},
      {"runs",
       {{{"variant", "nocache"}, {"status", "measured"}, {"folder", "nocache"}},
        {{"variant", "cache"}, {"status", "measured"}, {"folder", "cache"}}}}};
  std::ofstream(lab / "lab.json") << lab_json.dump(2);
  const fs::path md = dir_ / "c.md", json = dir_ / "c.json";
  auto r = testing::run_stampede({"compare", (lab / "nocache").string(), (lab / "cache").string(), "--markdown",
                                  md.string(), "--json", json.string()});
  EXPECT_EQ(r.code, kExitOk) << r.out << r.err;
  EXPECT_NE(r.out.find("Servers compared"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nocache (baseline): /bin/stampede-server --store sqlite --shard-latency 1ms --cache off"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cache: /bin/stampede-server --store sqlite --shard-latency 1ms --cache memory --cache-ttl 1s"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("Compared with the seeds: the cache"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Compared with the seed\n"), std::string::npos) << "the strategy does not differ: " << r.out;
  EXPECT_NE(slurp(md).find("`/bin/stampede-server --store sqlite --shard-latency 1ms --cache off`"), std::string::npos);
  const auto doc = nlohmann::json::parse(slurp(json));
  ASSERT_EQ(doc["variants"].size(), 2u) << doc.dump();
  EXPECT_EQ(doc["variants"][1]["name"], "cache");
  EXPECT_EQ(doc["variants"][1]["flags"],
            nlohmann::json({"--shard-latency", "1ms", "--cache", "memory", "--cache-ttl", "1s"}));

  // One folder that is not a lab's run: the plain comparison, labelled as before.
  auto plain = testing::run_stampede({"compare", (lab / "nocache").string(), "results/tests/fixtures/live-run"});
  EXPECT_EQ(plain.code, kExitOk) << plain.err;
  EXPECT_EQ(plain.out.find("Servers compared"), std::string::npos) << plain.out;
}

TEST_F(CompareCliTest, AFolderThatIsNotAResultFolderIsNamed) {
  fs::create_directories(dir_ / "empty");
  auto r = testing::run_stampede({"compare", (dir_ / "alpha").string(), (dir_ / "empty").string(),
                                  (dir_ / "missing").string()});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("'" + (dir_ / "empty").string() + "' is not a result folder (no run.json)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'" + (dir_ / "missing").string() + "' is not a result folder (no such directory)"),
            std::string::npos) << r.err;
  auto one = testing::run_stampede({"compare", (dir_ / "alpha").string()});
  EXPECT_EQ(one.code, kExitUsage);
  EXPECT_NE(one.err.find("expected two or more result folders, got 1"), std::string::npos) << one.err;
}

}  // namespace
}  // namespace stampede::commands
