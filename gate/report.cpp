#include "gate/report.h"

#include <algorithm>
#include <ostream>
#include <sstream>
#include <utility>

#include "reporters/text_cells.h"
#include "results/result_folder.h"

namespace stampede::gate {

std::size_t GateReport::failures() const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const CheckRow& r) { return !r.passed(); }));
}

std::string_view verdict_word(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kNoData: return "NO DATA";
  }
  return "?";
}

CheckRow to_row(const Outcome& o) {
  CheckRow row;
  row.name = o.threshold.text;
  row.scope = o.scope;
  row.verdict = o.verdict;
  row.measured = o.verdict == Verdict::kNoData ? "-" : o.threshold.format_value(o.measured);
  row.limit = o.threshold.format_limit();
  row.message = o.message;
  return row;
}

GateReport report_on_run(std::string suite, const results::RunResult& run, const std::string& run_dir) {
  GateReport report;
  report.suite = std::move(suite);
  report.run_label = run.info.label;
  report.run_dir = run_dir;
  report.scenario_name = run.info.scenario_name;
  report.started_unix_ms = run.info.started_unix_ms;
  report.duration_s = run.info.duration_s;
  return report;
}

GateReport make_threshold_report(const results::RunResult& run, const std::string& run_dir,
                                 const std::vector<Outcome>& outcomes) {
  GateReport report = report_on_run("thresholds", run, run_dir);
  for (const Outcome& o : outcomes) report.rows.push_back(to_row(o));
  return report;
}

void write_gate_table(std::ostream& out, const GateReport& report) {
  using reporters::fit;
  using reporters::left;
  using reporters::right;
  constexpr std::size_t kVerdict = 7;
  // Columns as wide as their longest cell, within bounds: a long run label or endpoint name
  // stays readable, and compare's "13.7ms -> 13.8ms (+0.1ms, +0.6%)" is not cut.
  std::size_t kCheck = 9, kScope = 5, kValue = 8;
  for (const CheckRow& row : report.rows) {
    kCheck = std::max(kCheck, row.name.size());
    kScope = std::max(kScope, row.scope.size());
    kValue = std::max(kValue, row.measured.size());
  }
  kCheck = std::min<std::size_t>(kCheck, 44);
  kScope = std::min<std::size_t>(kScope, 60);
  kValue = std::min<std::size_t>(kValue, 40);
  std::string header = left("Result", kVerdict) + " | " + left(report.suite == "thresholds" ? "Threshold" : "Rule", kCheck) +
                       " | " + left("Scope", kScope) + " | " + right("Measured", kValue) + " | Limit";
  for (const std::string& note : report.notes) out << "note: " << reporters::one_line(note) << "\n";
  out << header << "\n" << reporters::separator_for(header) << "\n";
  for (const CheckRow& row : report.rows) {
    out << left(verdict_word(row.verdict), kVerdict) << " | " << left(fit(row.name, kCheck), kCheck)
        << " | " << left(fit(row.scope, kScope), kScope) << " | "
        << right(fit(row.measured, kValue), kValue) << " | " << fit(row.limit, 32) << "\n";
  }
  for (const CheckRow& row : report.rows)
    if (!row.passed()) out << "  " << verdict_word(row.verdict) << ": " << reporters::one_line(row.message) << "\n";
  const std::size_t failed = report.failures();
  if (failed == 0)
    out << report.suite << ": all " << report.rows.size() << " passed\n";
  else
    out << report.suite << ": " << failed << " of " << report.rows.size() << " FAILED\n";
}

void write_report_file(const std::filesystem::path& path, const std::vector<GateReport>& reports,
                       ReportRenderer render) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ostringstream text;
  render(text, reports);
  results::write_file_atomically(path, text.str());
}

}  // namespace stampede::gate
