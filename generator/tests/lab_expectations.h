// What a finished lab folder must hold, shared by the SQLite and the MariaDB lab tests:
// complete run folders with extra.strategy and server.json, rows per shard adding up to the
// grabs recorded, the report files with their sections, and the seed's directions.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "generator/comparison_files.h"
#include "reporters/comparison.h"
#include "results/result_folder.h"

namespace stampede::generator::testing {

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One run folder of the lab: extra, server.json, rows = grabs answered 200.
inline void expect_lab_run(const std::filesystem::path& lab, const std::string& strategy, const std::string& store,
                           int shards) {
  SCOPED_TRACE(strategy);
  const std::filesystem::path folder = lab / strategy;
  results::RunResult run = results::read_result_folder(folder);
  EXPECT_EQ(run.info.status, "complete");
  EXPECT_EQ(run.info.label, strategy);
  EXPECT_EQ(run.info.extra.value("strategy", ""), strategy);
  EXPECT_EQ(run.info.extra.value("store", ""), store);
  EXPECT_EQ(run.info.extra.value("shards", 0), shards);
  EXPECT_EQ(run.info.extra.value("lab", ""), lab.filename().string());
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

inline reporters::Comparison lab_comparison(const std::filesystem::path& lab, const std::vector<std::string>& strategies) {
  std::vector<std::filesystem::path> folders;
  for (const auto& s : strategies) folders.push_back(lab / s);
  return reporters::build_comparison(read_compared_runs(folders));
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

// The seed's write balance: range's hottest shard > 50 % of grab writes, hash's < 30 %.
inline void expect_write_balance(const reporters::Comparison& c) {
  const std::size_t hash = run_index(c, "hash"), range = run_index(c, "range");
  EXPECT_GT(c.shards[range].largest_write_pct, 50.0) << "range: shard " << c.shards[range].largest_write_shard;
  EXPECT_LT(c.shards[hash].largest_write_pct, 30.0) << "hash: shard " << c.shards[hash].largest_write_shard;
}

// The seed's query directions, on p50: user coupons faster under hash (one shard vs all),
// room orders faster under range (one shard vs all).
inline void expect_query_directions(const reporters::Comparison& c) {
  const std::size_t hash = run_index(c, "hash"), range = run_index(c, "range");
  const auto* user = endpoint(c, "/api/user/:id/coupons [Query Own]");
  const auto* room = endpoint(c, "/api/room/:id/orders [Cross Shard]");
  ASSERT_NE(user, nullptr);
  ASSERT_NE(room, nullptr);
  EXPECT_LT(user->runs[hash].p50_ms, user->runs[range].p50_ms)
      << "user coupons p50: hash " << user->runs[hash].p50_ms << " ms (" << user->runs[hash].requests
      << " req), range " << user->runs[range].p50_ms << " ms (" << user->runs[range].requests << " req)";
  EXPECT_LT(room->runs[range].p50_ms, room->runs[hash].p50_ms)
      << "room orders p50: range " << room->runs[range].p50_ms << " ms (" << room->runs[range].requests
      << " req), hash " << room->runs[hash].p50_ms << " ms (" << room->runs[hash].requests << " req)";
  // And the reason: single shard vs fan-out, as Server-Timing reported it.
  EXPECT_LT(user->runs[hash].avg_shards, 1.05);
  EXPECT_GT(user->runs[range].avg_shards, 3.5);
  EXPECT_LT(room->runs[range].avg_shards, 1.05);
  EXPECT_GT(room->runs[hash].avg_shards, 3.5);
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
  for (const char* section : {"Endpoints", "Balance", "Resharding", "seed"})
    EXPECT_NE(md.find(section), std::string::npos) << section;
  EXPECT_NE(html.find("<svg"), std::string::npos) << "charts";
  auto doc = nlohmann::json::parse(js);
  EXPECT_EQ(doc["runs"].size(), strategies.size());
  auto lab_json = nlohmann::json::parse(slurp(lab / "lab.json"));
  EXPECT_EQ(lab_json["status"], "complete");
  EXPECT_EQ(lab_json["runs"].size(), strategies.size());
  EXPECT_FALSE(std::filesystem::exists(lab / ".data")) << "removed without --keep-data";
}

}  // namespace stampede::generator::testing
