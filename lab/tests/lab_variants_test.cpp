// `stampede lab --variant` end to end against the real stampede-server on the embedded store:
// two variants that differ in --workers at the same arrival rate (the open model), and a
// variant whose flags the server rejects. 127.0.0.1 only, a few seconds each.
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "generator/commands/tests/cli_runner.h"
#include "lab/tests/lab_expectations.h"

#ifndef STAMPEDE_SERVER_BIN  // reference-server not configured (STAMPEDE_FOLDERS)
#define STAMPEDE_SERVER_BIN ""
#endif

namespace stampede::lab {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> with(std::vector<std::string> extra, std::vector<std::string> args) {
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// w4 and w16 differ in --workers only; --server-flags gives both --strategy range; the load is
// 100 arrivals/s. The report names the variants as its columns and their full server command
// lines at the top, shows the open model's figures, and no seed checks (the strategy does not
// differ). About 15 s.
TEST(LabVariants, TwoWorkerCountsAtTheSameArrivalRate) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  fs::path lab = fs::temp_directory_path() / ("stampede-lab-variants-" + std::to_string(::getpid()));
  fs::remove_all(lab);
  auto r = commands::testing::run_stampede(with(
      testing::port_base_args(30),
      {"lab", "--variant", "w4=--workers 4", "--variant", "w16=--workers '16'", "--server-flags=--strategy range",
       "--arrival-rate", "100", "--max-users", "50", "-t", "3s", "--warmup", "1s", "--seed", "7", "--out",
       lab.string(), "--server-bin", STAMPEDE_SERVER_BIN, "--only-summary"}));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("[w4] "), std::string::npos) << "live output names its variant";
  EXPECT_NE(r.out.find("[w16] "), std::string::npos);

  const std::string bin = STAMPEDE_SERVER_BIN;
  for (const std::string name : {"w4", "w16"}) {
    SCOPED_TRACE(name);
    const results::RunResult run = results::read_result_folder(lab / name);
    EXPECT_EQ(run.info.status, "complete");
    EXPECT_EQ(run.info.label, name);
    ASSERT_TRUE(run.info.lab.has_value());
    EXPECT_EQ(run.info.lab->strategy, "range") << "from --server-flags";
    ASSERT_TRUE(run.info.open_model.has_value()) << "the lab ran the open model";
    EXPECT_DOUBLE_EQ(run.info.open_model->arrival_rate, 100.0);
    EXPECT_EQ(run.info.open_model->max_users, 50);
    ASSERT_TRUE(run.server.has_value());
    EXPECT_EQ(run.server->strategy, "range");
    EXPECT_GT(run.aggregated.requests, 100u);
  }

  // The header: each variant's full command line, the lab's flags first, the variant's last.
  const std::string md = testing::slurp(lab / "report.md");
  EXPECT_EQ(md.find("# Stampede comparison: w4 vs w16\n"), 0u) << md.substr(0, 400);
  EXPECT_NE(md.find("**Servers compared (one per variant, each on its own data)**"), std::string::npos);
  const std::string w4_line = "- w4 (baseline): `" + bin + " --store sqlite --bind 127.0.0.1 --port ";
  ASSERT_NE(md.find(w4_line), std::string::npos) << md.substr(0, 1200);
  const std::string w4 = md.substr(md.find(w4_line), md.find('\n', md.find(w4_line)) - md.find(w4_line));
  EXPECT_NE(w4.find("--data " + (lab / ".data" / "w4").string() + " --shards 4 --strategy range --workers 4`"),
            std::string::npos) << w4;
  EXPECT_NE(md.find("- w16: `" + bin), std::string::npos);
  EXPECT_NE(md.find("--strategy range --workers 16`"), std::string::npos);
  EXPECT_EQ(md.find("## Compared with the seed"), std::string::npos) << "the strategy does not differ";
  EXPECT_NE(md.find("## Open model: dropped arrivals and service time"), std::string::npos);
  EXPECT_NE(r.out.find("Servers compared (one per variant, each on its own data):\n  w4 (baseline): " + bin),
            std::string::npos) << r.out;
  const std::string html = testing::slurp(lab / "report.html");
  EXPECT_NE(html.find("<section id=\"variants\">"), std::string::npos);
  EXPECT_NE(html.find("--workers 16</code>"), std::string::npos);

  const auto doc = nlohmann::json::parse(testing::slurp(lab / "report.json"));
  EXPECT_EQ(doc["baseline"], "w4");
  ASSERT_EQ(doc["variants"].size(), 2u);
  EXPECT_EQ(doc["variants"][1]["name"], "w16");
  EXPECT_EQ(doc["variants"][1]["flags"], (std::vector<std::string>{"--strategy", "range", "--workers", "16"}));
  EXPECT_EQ(doc["variants"][1]["server_command"].front(), bin);
  EXPECT_FALSE(doc.contains("seed_checks"));
  const auto lab_json = nlohmann::json::parse(testing::slurp(lab / "lab.json"));
  EXPECT_EQ(lab_json["status"], "complete");
  EXPECT_EQ(lab_json["variants"][0]["flags"], "--workers 4");
  EXPECT_EQ(lab_json["server_flags"], (std::vector<std::string>{"--strategy", "range"}));
  EXPECT_EQ(lab_json["runs"][1]["variant"], "w16");
  EXPECT_EQ(lab_json["open_model"]["arrival_rate"], 100.0);
  if (!::testing::Test::HasFailure()) fs::remove_all(lab);
}

// A variant whose flags the server refuses stops the lab before any load: the variant and the
// server's own words are named, exit 2, no run folder, lab.json says which.
TEST(LabVariants, AVariantTheServerRejectsStopsTheLabBeforeAnyLoad) {
  if (std::string(STAMPEDE_SERVER_BIN).empty()) GTEST_SKIP() << "stampede-server is not built";
  const struct {
    std::string flags;
    std::string server_says;
  } cases[] = {
      {"--workers many", "--workers"},         // CLI11 cannot convert it
      {"--strategy diagonal", "diagonal"},     // not one of hash, range, time
      {"--no-such-flag 1", "--no-such-flag"},  // unknown to the server
      // the server's own checks (exit 2), each naming its flag
      {"--cache bogus", "--cache: expected off, memory or redis, got 'bogus'"},
      {"--read-from replicas", "--read-from replicas: only with --store mysql"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.flags);
    fs::path lab = fs::temp_directory_path() / ("stampede-lab-rejected-" + std::to_string(::getpid()));
    fs::remove_all(lab);
    auto r = commands::testing::run_stampede({"lab", "--variant", "ok=--workers 4", "--variant", "bad=" + c.flags,
                                              "-t", "30s", "--warmup", "0", "--out", lab.string(), "--server-bin",
                                              STAMPEDE_SERVER_BIN, "-q"});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("stampede lab: --variant bad: stampede-server rejects its flags (exit code"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("  | "), std::string::npos) << "the server's own message, quoted: " << r.err;
    EXPECT_NE(r.err.find(c.server_says), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("before any load"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(lab / "ok")) << "no load ran, not even the variant before it";
    EXPECT_FALSE(fs::exists(lab / "report.md"));
    const auto lab_json = nlohmann::json::parse(testing::slurp(lab / "lab.json"));
    EXPECT_EQ(lab_json["status"], "failed");
    EXPECT_EQ(lab_json["runs"][0]["status"], "skipped");
    EXPECT_EQ(lab_json["runs"][1]["status"], "failed");
    EXPECT_NE(lab_json["runs"][1]["error"].get<std::string>().find(c.server_says), std::string::npos);
    fs::remove_all(lab);
  }
}

}  // namespace
}  // namespace stampede::lab
