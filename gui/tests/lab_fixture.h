// The lab folder of the GUI tests: gui/tests/fixtures/20261122-lab, written by a real
// `stampede lab` (hash, range, time; 8 users, 8 s each, SQLite, 4 shards) through
// make_fixtures.sh — lab.json plus one run folder per strategy with the server's
// server.json. Tests take expected numbers from the files themselves (read here with plain
// nlohmann::json, not through the results reader), never from constants.
#pragma once

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "gui/tests/fixtures.h"

namespace stampede::gui::testing {

inline constexpr const char* kLabName = "20261122-lab";

inline QString lab_folder() { return fixture("gui/tests/fixtures/20261122-lab"); }
inline QString lab_run(const char* strategy) { return lab_folder() + QLatin1Char('/') + QLatin1String(strategy); }

inline nlohmann::json read_json(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return nullptr;
  return nlohmann::json::parse(f.readAll().toStdString(), nullptr, /*allow_exceptions=*/false);
}

// server.json's result_rows per shard, in shard order.
inline std::vector<std::uint64_t> server_rows(const QString& run_dir) {
  std::vector<std::uint64_t> rows;
  const auto j = read_json(run_dir + QStringLiteral("/server.json"));
  if (!j.is_object()) return rows;
  for (const auto& s : j["shards"]) {
    const auto k = s["shard"].get<std::size_t>();
    if (rows.size() <= k) rows.resize(k + 1);
    rows[k] = s["result_rows"].get<std::uint64_t>();
  }
  return rows;
}

inline std::vector<double> as_doubles(const std::vector<std::uint64_t>& v) { return {v.begin(), v.end()}; }

// Copies a run folder (files only; run folders are flat).
inline bool copy_run(const QString& from, const QString& to) {
  if (!QDir().mkpath(to)) return false;
  for (const QString& name : QDir(from).entryList(QDir::Files)) {
    if (!QFile::copy(from + QLatin1Char('/') + name, to + QLatin1Char('/') + name)) return false;
  }
  return true;
}

// A writable copy of one lab run, for tests that break its files.
struct LabRunCopy {
  QTemporaryDir tmp;
  QString dir;
  bool ok = false;
  explicit LabRunCopy(const char* strategy) {
    dir = tmp.path() + QLatin1Char('/') + QLatin1String(strategy);
    ok = tmp.isValid() && copy_run(lab_run(strategy), dir);
  }
};

// A copy of a real run as a backend without Server-Timing shards would have left it: the
// "shards" of stats.json and of every history line removed. Returns false on any I/O error.
inline bool copy_run_without_shards(const QString& from, const QString& to) {
  if (!copy_run(from, to)) return false;
  QFile history(to + QStringLiteral("/history.jsonl"));
  if (!history.open(QIODevice::ReadOnly)) return false;
  QByteArray kept;
  for (const QByteArray& line : history.readAll().split('\n')) {
    if (line.isEmpty()) continue;
    auto j = nlohmann::json::parse(line.toStdString());
    j.erase("shards");
    kept += QByteArray::fromStdString(j.dump()) + '\n';
  }
  history.close();
  if (!history.open(QIODevice::WriteOnly | QIODevice::Truncate) || history.write(kept) != kept.size()) return false;
  history.close();
  if (QFile::exists(to + QStringLiteral("/stats.json"))) {
    auto stats = read_json(to + QStringLiteral("/stats.json"));
    stats.erase("shards");
    QFile out(to + QStringLiteral("/stats.json"));
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    out.write(QByteArray::fromStdString(stats.dump()));
  }
  return true;
}

}  // namespace stampede::gui::testing
