// Made-up run folders for the tests that follow a run while it is written (LiveRunFollower,
// the Live page, the main window): run.json, history lines, and a folder begun the way the
// engine begins one. Qt Core only, so model tests can use it without the views.
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "results/result_folder.h"

namespace stampede::gui::testing {

// One history line of a made-up run at `t` s: `users` users, `requests` requests of GET /
// (20 + t when not given) with latencies from 0.8 ms in steps of 0.15 ms.
inline results::HistoryPoint history_line(double t, int users, std::optional<std::uint64_t> requests = std::nullopt) {
  results::HistoryPoint p;
  p.elapsed_s = t;
  p.users = users;
  results::IntervalEndpoint e;
  e.method = "GET";
  e.name = "/";
  e.requests = requests.value_or(20 + static_cast<std::uint64_t>(t));
  for (std::uint64_t i = 0; i < e.requests; ++i) e.latency.record(800 + 150 * i);
  p.endpoints.push_back(std::move(e));
  return p;
}

inline results::RunInfo live_info(const std::string& label, const std::string& status = "running") {
  results::RunInfo info;
  info.started_unix_ms = 1795000000000;
  info.label = label;
  info.status = status;
  info.target_host = "http://127.0.0.1:18500";
  return info;
}

// A run folder at `dir` begun as the engine begins one: run.json from live_info(label,
// status), then history_line(t, users) for t = 1..lines. The writer is returned open, for
// more lines and the final run.json.
inline std::unique_ptr<results::ResultWriter> begin_run_folder(const QString& dir, const std::string& label,
                                                               int lines = 1, int users = 2,
                                                               const std::string& status = "running") {
  auto writer = std::make_unique<results::ResultWriter>(dir.toStdString());
  writer->write_run_info(live_info(label, status));
  for (int t = 1; t <= lines; ++t) writer->append_history(history_line(t, users));
  return writer;
}

}  // namespace stampede::gui::testing
