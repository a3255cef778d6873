// What a finished lab folder must hold, shared by the SQLite and the MariaDB lab tests:
// complete run folders with run.json lab and server.json, rows per shard adding up to the
// grabs recorded, the report files with their sections, and the study's directions as the
// report judges them.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "reporters/comparison_files.h"
#include "reporters/comparison.h"
#include "lab/study_checks.h"
#include "reporters/tests/chromium.h"
#include "results/result_folder.h"

namespace stampede::lab::testing {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One run folder of the lab: run.json lab, server.json, rows = grabs answered 200.
inline void expect_lab_run(const std::filesystem::path& lab, const std::string& strategy, const std::string& store,
                           int shards) {
  SCOPED_TRACE(strategy);
  const std::filesystem::path folder = lab / strategy;
  results::RunResult run = results::read_result_folder(folder);
  EXPECT_EQ(run.info.status, "complete");
  EXPECT_EQ(run.info.label, strategy);
  ASSERT_TRUE(run.info.lab.has_value());
  EXPECT_EQ(run.info.lab->strategy, strategy);
  EXPECT_EQ(run.info.lab->store, store);
  EXPECT_EQ(run.info.lab->shards, shards);
  EXPECT_EQ(run.info.lab->folder, lab.filename().string());
  EXPECT_FALSE(run.info.lab->warmup);
  EXPECT_TRUE(std::filesystem::exists(folder / "server.log"));
  ASSERT_TRUE(run.server.has_value()) << "no server.json in " << folder;
  EXPECT_EQ(run.server->strategy, strategy);
  EXPECT_EQ(run.server->store, store);
  ASSERT_EQ(static_cast<int>(run.server->shards.size()), shards);

  std::uint64_t grabs_answered = 0, grab_failures = 0;
  for (const auto& e : run.endpoints)
    if (e.method == "POST" && e.name.find("/api/coupon/grab") == 0) {
      grabs_answered += e.requests - e.failures;
      grab_failures += e.failures;
    }
  std::uint64_t rows = 0, queries = 0;
  for (const auto& s : run.server->shards) rows += s.result_rows, queries += s.queries;
  EXPECT_GT(grabs_answered, 100u);
  EXPECT_EQ(grab_failures, 0u);
  // Every grab answered 200 stored one coupon_results row (success or not); the warm-up's
  // rows were emptied by /admin/reset.
  EXPECT_EQ(rows, grabs_answered);
  EXPECT_GT(queries, 0u) << "per-shard store queries during the measured run";
  EXPECT_EQ(run.server->reshard.size(), 3u) << "hash, range and time estimates";
}

// The comparison rebuilt from the lab's run folders as the lab builds it: with the study's checks.
inline reporters::Comparison lab_comparison(const std::filesystem::path& lab, const std::vector<std::string>& strategies) {
  std::vector<std::filesystem::path> folders;
  for (const auto& s : strategies) folders.push_back(lab / s);
  reporters::Comparison c = reporters::build_comparison(reporters::read_compared_runs(folders));
  add_study_checks(c);
  return c;
}

// The study's section of a lab comparison (the only check section the lab adds).
inline const reporters::CheckSection& study_section(const reporters::Comparison& c) {
  static const reporters::CheckSection none;
  if (c.check_sections.size() != 1) {
    ADD_FAILURE() << "expected the study's section only, got " << c.check_sections.size() << " check sections";
    return none;
  }
  return c.check_sections.front();
}

inline const reporters::EndpointRow* endpoint(const reporters::Comparison& c, const std::string& name) {
  for (const auto& row : c.endpoints)
    if (row.name == name) return &row;
  return nullptr;
}

inline std::size_t run_index(const reporters::Comparison& c, const std::string& label) {
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    if (c.runs[i].label == label) return i;
  ADD_FAILURE() << "no run " << label;
  return 0;
}

// The report's verdict on the study's check whose claim starts with `claim`; fails the test
// when the report has no such check.
inline const reporters::ComparisonCheck* study_check(const reporters::Comparison& c, const std::string& claim) {
  const reporters::CheckSection& study = study_section(c);
  for (const auto& check : study.checks)
    if (check.claim.starts_with(claim)) return &check;
  ADD_FAILURE() << "the report has no study check '" << claim << "'; note: " << study.note;
  return nullptr;
}

// The study's write balance as the report judges it: range's hottest shard > 50 % of writes,
// hash's largest below 1.2× the even share (30 % over 4 shards). Routing alone decides
// these, so they must be met at any load.
inline void expect_write_balance(const reporters::Comparison& c) {
  const std::size_t hash = run_index(c, "hash"), range = run_index(c, "range");
  EXPECT_GT(c.shards[range].largest_write_pct, 50.0) << "range: shard " << c.shards[range].largest_write_shard;
  EXPECT_LT(c.shards[hash].largest_write_pct, 120.0 / static_cast<double>(c.shards[hash].shards.size()))
      << "hash: shard " << c.shards[hash].largest_write_shard;
  for (const char* claim : {"range's hottest shard", "hash's largest shard"})
    if (const auto* check = study_check(c, claim)) {
      EXPECT_EQ(check->outcome, reporters::ComparisonCheck::Outcome::met) << check->claim << ": " << check->detail;
    }
}

// The study's query directions as the report judges them (p95, lab/study_checks.cpp):
// each is checked, and either met or NOT met with the note built from the runs' own numbers
// (few requests, or shard-query time against the whole request) — at test size on a loaded
// 2-core machine a p95 of a few dozen room orders can go either way, and the issue asks
// for the reason, not a forced direction. Behind them, always: one shard vs fan-out to all.
inline void expect_query_directions(const reporters::Comparison& c) {
  const std::size_t hash = run_index(c, "hash"), range = run_index(c, "range");
  for (const char* claim : {"user-coupon queries faster (p95) under hash", "room-order queries faster (p95) under range"}) {
    const auto* check = study_check(c, claim);
    if (check == nullptr) continue;
    SCOPED_TRACE(check->claim + ": " + check->detail);
    ASSERT_NE(check->outcome, reporters::ComparisonCheck::Outcome::not_checked);
    if (check->outcome == reporters::ComparisonCheck::Outcome::met) continue;
    std::cout << "[ NOT MET  ] " << check->claim << ": " << check->detail << "\n";
    const bool explained = check->detail.find("Few requests (fewer than") != std::string::npos ||
                           check->detail.find("shard-query p95 (Server-Timing)") != std::string::npos;
    EXPECT_TRUE(explained) << "a NOT met direction carries the note from the run's numbers";
    EXPECT_EQ(check->detail.find("MySQL"), std::string::npos) << "no generic reason";
  }
  const auto* user = endpoint(c, "/api/user/:id/coupons [Query Own]");
  const auto* room = endpoint(c, "/api/room/:id/orders [Cross Shard]");
  ASSERT_NE(user, nullptr);
  ASSERT_NE(room, nullptr);
  // The reason for both: single shard vs fan-out, as Server-Timing reported it.
  EXPECT_LT(user->runs[hash].avg_shards, 1.05);
  EXPECT_GT(user->runs[range].avg_shards, 3.5);
  EXPECT_LT(room->runs[range].avg_shards, 1.05);
  EXPECT_GT(room->runs[hash].avg_shards, 3.5);
  // The numbers the note would quote are there: shard-query p95 per endpoint and strategy.
  for (const auto* row : {user, room})
    for (std::size_t run : {hash, range}) EXPECT_TRUE(row->runs[run].shard_p95_ms.has_value()) << row->name;
}

// "--port-base P" when STAMPEDE_LAB_TEST_PORT_BASE is set (P = it + offset, so tests that
// run at the same time can be kept apart); none (free ports) otherwise.
inline std::vector<std::string> port_base_args(int offset) {
  const char* env = std::getenv("STAMPEDE_LAB_TEST_PORT_BASE");
  if (env == nullptr || *env == '\0') return {};
  return {"--port-base", std::to_string(std::stoi(env) + offset)};
}

inline void expect_report_files(const std::filesystem::path& lab, const std::vector<std::string>& strategies) {
  const std::string md = slurp(lab / "report.md");
  const std::string html = slurp(lab / "report.html");
  const std::string js = slurp(lab / "report.json");
  ASSERT_FALSE(md.empty());
  for (const auto& s : strategies) {
    EXPECT_NE(md.find(s), std::string::npos) << s;
    EXPECT_NE(html.find(s), std::string::npos) << s;
  }
  for (const char* section : {"## Runs", "## Reading", "## Compared with the seed", "## Endpoints",
                              "## Shards touched per endpoint", "## Hot shard per write endpoint", "## Per shard",
                              "## Balance (100 = even)", "## Resharding", "## Definitions"})
    EXPECT_NE(md.find(section), std::string::npos) << section;
  EXPECT_NE(md.find("| p50 ×r | p95 ×r | p99 ×r | req/s ×r |"), std::string::npos) << "every ratio per endpoint";
  EXPECT_NE(md.find("| shard p95 ms | p95 ms |"), std::string::npos) << "shard time next to the whole request";
  EXPECT_NE(html.find("<svg"), std::string::npos) << "charts";
  EXPECT_NE(md.find("**Servers compared (one per variant, each on its own data)**"), std::string::npos);
  EXPECT_NE(md.find("- " + strategies.front() + " (baseline): `"), std::string::npos) << "its server's command line";
  auto doc = nlohmann::json::parse(js);
  EXPECT_EQ(doc["runs"].size(), strategies.size());
  EXPECT_EQ(doc["baseline"], strategies.front());
  auto lab_json = nlohmann::json::parse(slurp(lab / "lab.json"));
  EXPECT_EQ(lab_json["status"], "complete");
  EXPECT_EQ(lab_json["runs"].size(), strategies.size());
  EXPECT_FALSE(std::filesystem::exists(lab / ".data")) << "removed without --keep-data";
}

// report.json judged the study's directions as the comparison rebuilt from the run folders does.
inline void expect_report_verdicts(const std::filesystem::path& lab, const reporters::Comparison& c) {
  auto doc = nlohmann::json::parse(slurp(lab / "report.json"));
  const reporters::CheckSection& study = study_section(c);
  ASSERT_EQ(doc["seed_checks"].size(), study.checks.size());
  const auto name = [](reporters::ComparisonCheck::Outcome o) {
    return o == reporters::ComparisonCheck::Outcome::met       ? "met"
           : o == reporters::ComparisonCheck::Outcome::not_met ? "not_met"
                                                               : "not_checked";
  };
  for (std::size_t i = 0; i < study.checks.size(); ++i) {
    EXPECT_EQ(doc["seed_checks"][i]["claim"], study.checks[i].claim);
    EXPECT_EQ(doc["seed_checks"][i]["outcome"], name(study.checks[i].outcome)) << study.checks[i].claim;
  }
  EXPECT_EQ(doc["seed_note"], study.note);
}

// The lab's report.html in headless Chromium (reporters/tests/chromium.h): no page errors, and
// the DOM holds the charts (as many <svg> as the page, with their titles). Without Chromium
// it says so and checks nothing more.
inline void expect_report_renders(const std::filesystem::path& lab, const std::vector<std::string>& chart_titles) {
  const std::string chromium = reporters::testing::chromium_binary();
  if (chromium.empty()) {
    std::cout << "no Chromium (/usr/bin/chromium): report.html not opened in a browser\n";
    return;
  }
  const std::filesystem::path dir = lab / ".chromium";
  const int status = reporters::testing::run_headless_chromium(chromium, dir / "profile", lab / "report.html", "--dump-dom",
                                                               dir / "dom.html", dir / "stderr.txt");
  ASSERT_EQ(status, 0) << slurp(dir / "stderr.txt");
  const std::string dom = slurp(dir / "dom.html");
  const std::size_t svgs = reporters::testing::count_of(dom, "<svg");
  EXPECT_GE(svgs, chart_titles.size()) << dom.substr(0, 2000);
  EXPECT_EQ(svgs, reporters::testing::count_of(slurp(lab / "report.html"), "<svg")) << "every chart of the page";
  EXPECT_EQ(reporters::testing::count_of(dom, "</svg>"), svgs);
  for (const auto& title : chart_titles) EXPECT_NE(dom.find(title), std::string::npos) << title;
  EXPECT_EQ(reporters::testing::page_errors(slurp(dir / "stderr.txt")), "");
  std::filesystem::remove_all(dir);
}

}  // namespace stampede::lab::testing
