// A lab folder as `stampede lab` writes it (results/labs/<ts>-lab/<strategy>/ with lab.json),
// built in a temporary folder from the real hash and range runs of gui/tests/fixtures: each
// run.json gets the lab's label (the strategy) and `extra` ({"strategy", "store", "shards",
// "lab"}), as generator/lab.cpp writes them, and, unless told otherwise, a
// server.json written with results::write_server_report. The server.json numbers are test
// inputs chosen here (round, uneven for range), not measurements.
#pragma once

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <nlohmann/json.hpp>
#include <vector>

#include "gui/tests/fixtures.h"
#include "results/server_report.h"

namespace stampede::gui::testing {

inline constexpr const char* kLabName = "20261122-090000-lab";

inline results::ServerReport server_report(const std::string& strategy, std::vector<std::uint64_t> rows) {
  results::ServerReport r;
  r.collected_unix_ms = 1795323770000;
  r.source = "http://127.0.0.1:8000";
  r.strategy = strategy;
  r.store = "sqlite";
  r.shard_count = static_cast<int>(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    results::ServerShard s;
    s.shard = static_cast<int>(k);
    s.result_rows = rows[k];
    s.queries = 10 * rows[k];
    s.query_seconds = 0.001 * static_cast<double>(rows[k]);
    r.shards.push_back(s);
  }
  return r;
}

inline const std::vector<std::uint64_t>& hash_rows() {
  static const std::vector<std::uint64_t> rows{1000, 1010, 990, 1000};
  return rows;
}
inline const std::vector<std::uint64_t>& range_rows() {
  static const std::vector<std::uint64_t> rows{2200, 600, 600, 600};
  return rows;
}

// Copies run folder `from` to `to` (files only; run folders are flat).
inline bool copy_run(const QString& from, const QString& to) {
  if (!QDir().mkpath(to)) return false;
  for (const QString& name : QDir(from).entryList(QDir::Files)) {
    if (!QFile::copy(from + QLatin1Char('/') + name, to + QLatin1Char('/') + name)) return false;
  }
  return true;
}

// Rewrites <dir>/run.json's label and extra the way the lab does.
inline bool mark_lab_run(const QString& dir, const std::string& strategy) {
  QFile f(dir + QStringLiteral("/run.json"));
  if (!f.open(QIODevice::ReadOnly)) return false;
  auto j = nlohmann::json::parse(f.readAll().toStdString());
  f.close();
  j["label"] = strategy;
  j["extra"] = {{"strategy", strategy}, {"store", "sqlite"}, {"shards", 4}, {"lab", kLabName}};
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  return f.write(QByteArray::fromStdString(j.dump(2))) > 0;
}

struct LabFixture {
  QTemporaryDir tmp;
  QString labs;  // <tmp>/labs: a results/labs root
  QString lab;   // <tmp>/labs/<kLabName>
  QString hash;  // <lab>/hash
  QString range; // <lab>/range
  bool ok = false;

  // with_server: give both runs a server.json (else neither has one).
  explicit LabFixture(bool with_server = true) {
    labs = tmp.path() + QStringLiteral("/labs");
    lab = labs + QLatin1Char('/') + QLatin1String(kLabName);
    hash = lab + QStringLiteral("/hash");
    range = lab + QStringLiteral("/range");
    ok = tmp.isValid() && copy_run(hash_run(), hash) && copy_run(range_run(), range) &&
         mark_lab_run(hash, "hash") && mark_lab_run(range, "range");
    QFile lab_json(lab + QStringLiteral("/lab.json"));
    ok = ok && lab_json.open(QIODevice::WriteOnly) && lab_json.write(R"({"format_version":1})") > 0;
    if (ok && with_server) {
      results::write_server_report(hash.toStdString(), server_report("hash", hash_rows()));
      results::write_server_report(range.toStdString(), server_report("range", range_rows()));
    }
  }
};

}  // namespace stampede::gui::testing
