// GateReport: the outcome of a gate (threshold checks, regression rules) in the one shape
// every output reads — the console table, JUnit XML and the Markdown summary.
//
// Pure data and pure formatters; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "gate/evaluate.h"
#include "results/run_result.h"

namespace stampede::gate {

// One check: a threshold or a regression rule.
struct CheckRow {
  std::string name;      // what the user wrote: "p95 < 150ms", "p95:10%"
  std::string scope;     // "all requests", "GET /api/items", "shard 0"
  Verdict verdict = Verdict::kNoData;
  std::string measured;  // "162.4ms"; "-" when there is nothing to show
  std::string limit;     // "< 150ms"
  std::string message;   // one line saying measured vs limit, or why there is no data
  bool passed() const { return verdict == Verdict::kPass; }
};

struct GateReport {
  std::string suite;                 // "thresholds", "regressions"
  std::string run_label;             // the run's label, or "" 
  std::string run_dir;               // the result folder the checks read, or ""
  std::string scenario_name;
  std::int64_t started_unix_ms = 0;  // 0: unknown (no timestamp written)
  double duration_s = 0;             // the run's duration, reported as the suite's time
  std::vector<CheckRow> rows;
  std::vector<std::string> notes;    // shown before the table (e.g. compare's warnings)

  std::size_t failures() const;
  bool passed() const { return failures() == 0; }
};

CheckRow to_row(const Outcome& outcome);
// An empty report of `suite` on a run: label, scenario, time and duration from the run's
// info, `run_dir` as given.
GateReport report_on_run(std::string suite, const results::RunResult& run, const std::string& run_dir);
// A threshold report on a run: label, scenario, time and duration from the run's info.
GateReport make_threshold_report(const results::RunResult& run, const std::string& run_dir,
                                 const std::vector<Outcome>& outcomes);

// Console: a fixed-width, ASCII table, one line per check, then a verdict line.
void write_gate_table(std::ostream& out, const GateReport& report);

// Writes what `render` writes for `reports` to `path` atomically (tmp + rename), creating
// parent folders: the JUnit and Markdown files. Throws std::runtime_error.
using ReportRenderer = void (*)(std::ostream&, const std::vector<GateReport>&);
void write_report_file(const std::filesystem::path& path, const std::vector<GateReport>& reports,
                       ReportRenderer render);

std::string_view verdict_word(Verdict v);  // "PASS", "FAIL", "NO DATA"

}  // namespace stampede::gate
