// Reading and writing result folders (format version 2; version 1 folders read too).
//
//   <run>/run.json        RunInfo: configuration, environment, status. Rewritten atomically
//                         at start ("running") and at the end ("complete"/"interrupted").
//   <run>/scenario.json   the scenario as run. Written once at start, atomically.
//   <run>/history.jsonl   one HistoryPoint per line, appended (and flushed) as the run goes,
//                         so a viewer can follow a live run. A torn last line is ignored.
//   <run>/stats.json      final endpoints, aggregate, shards, failures with encoded
//                         histograms. Written atomically at the end (also on Ctrl-C).
//
// Every whole-file write goes to "<file>.tmp" in the same folder, is fsync'ed and renamed
// over the target, so a reader never sees a half-written JSON document.
// Errors: std::runtime_error with the path and what went wrong.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/run_result.h"

namespace stampede::results {

// --- JSON mapping (exposed for tests and for tools that embed results) ---------------
nlohmann::json to_json(const RunInfo& info);
nlohmann::json to_json(const EndpointStats& e);
nlohmann::json to_json(const ShardStats& s);
nlohmann::json to_json(const FailureStats& f);
nlohmann::json to_json(const HistoryPoint& p);
// from_json throw std::runtime_error naming the JSON path of the problem.
RunInfo run_info_from_json(const nlohmann::json& j);
EndpointStats endpoint_from_json(const nlohmann::json& j);
ShardStats shard_from_json(const nlohmann::json& j);
FailureStats failure_from_json(const nlohmann::json& j);
HistoryPoint history_point_from_json(const nlohmann::json& j);

// Write `text` to `path` atomically (tmp file + fsync + rename).
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Writes one run's folder as it progresses. Not thread-safe: one owner thread.
class ResultWriter {
 public:
  // Creates the folder (and parents). Fails if it exists and is not empty.
  explicit ResultWriter(std::filesystem::path dir);
  ~ResultWriter();
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;

  const std::filesystem::path& dir() const { return dir_; }

  void write_run_info(const RunInfo& info);               // run.json (atomic)
  void write_scenario(const nlohmann::json& scenario);    // scenario.json (atomic)
  void append_history(const HistoryPoint& point);         // one line + flush
  // stats.json (atomic): endpoints, aggregated, shards, failures.
  void write_final_stats(const RunResult& result);
  // Convenience for the end of a run: final stats, then run.json with its final status.
  void finish(const RunResult& result);

 private:
  std::filesystem::path dir_;
  std::FILE* history_ = nullptr;
};

// Reads a result folder. A folder still being written (status "running", no stats.json)
// reads fine: endpoints/aggregate are then rebuilt from the history.
// Throws std::runtime_error naming the file (and JSON path) for missing run.json,
// unsupported format_version, or malformed content.
RunResult read_result_folder(const std::filesystem::path& dir);

// Reads only the history lines from byte offset `from` on; returns the new offset (the end
// of the last complete line). For following a live run.
std::vector<HistoryPoint> read_history_since(const std::filesystem::path& dir,
                                             std::uintmax_t& offset);

// Appends history points (in order, after those already there) to a result whose summary
// is its history's sum, as read_result_folder builds it for a folder without stats.json:
// endpoints, aggregate and shards grow by the points' intervals, and a running run's
// duration_s reaches the last point. What a live follower uses instead of re-reading.
void append_history(RunResult& result, std::vector<HistoryPoint> points);

// Default folder name: "<YYYYmmdd-HHMMSS>-<label>" (UTC) with label sanitised to
// [A-Za-z0-9._-].
std::string default_run_folder_name(std::int64_t unix_ms, const std::string& label);

}  // namespace stampede::results
