#include "generator/gate_commands.h"

#include <ostream>

#include <CLI/CLI.hpp>

#include "gate/junit.h"
#include "gate/markdown.h"
#include "gate/report.h"
#include "generator/runner.h"
#include "generator/units.h"
#include "results/result_folder.h"

namespace stampede::generator {

void add_gate_options(CLI::App& app, RawGateOptions& raw) {
  app.add_option("--threshold", raw.thresholds,
                 "Fail (exit 3) unless this holds, e.g. 'p95 < 150ms', 'error_rate < 1%' "
                 "(repeatable; grammar in docs/ci.md)");
  app.add_option("--warmup", raw.warmup, "Leave the first part of the run out of the thresholds (e.g. 10s)");
  app.add_option("--junit", raw.junit, "Write the threshold results as JUnit XML to this file");
  app.add_option("--summary-md", raw.summary_md, "Write a Markdown summary to this file");
}

void to_gate_options(const RawGateOptions& raw, GateOptions& options, std::vector<std::string>& problems) {
  for (const std::string& text : raw.thresholds) {
    try {
      options.thresholds.push_back(gate::parse_threshold(text));
    } catch (const gate::ThresholdError& e) {
      problems.push_back(std::string("--threshold: ") + e.what());
    }
  }
  if (!raw.warmup.empty()) {
    auto d = parse_duration(raw.warmup);
    if (!d)
      problems.push_back("--warmup: expected a duration like 10s, got '" + raw.warmup + "'");
    else
      options.evaluate.warmup = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
  }
  options.junit = raw.junit;
  options.summary_md = raw.summary_md;
}

void add_scenario_thresholds(const std::vector<std::string>& texts, const std::string& origin,
                             GateOptions& options, std::vector<std::string>& problems) {
  for (std::size_t i = 0; i < texts.size(); ++i) {
    try {
      options.thresholds.push_back(gate::parse_threshold(texts[i]));
    } catch (const gate::ThresholdError& e) {
      problems.push_back(origin + " /thresholds/" + std::to_string(i) + ": " + e.what());
    }
  }
}

int apply_gate(const GateOptions& options, const std::filesystem::path& run_dir, bool quiet,
               std::ostream& out, std::ostream& err) {
  results::RunResult run;
  try {
    run = results::read_result_folder(run_dir);
  } catch (const std::exception& e) {
    err << "stampede: can't read the result folder for the thresholds: " << e.what() << "\n";
    return kExitUsage;
  }
  std::vector<gate::Outcome> outcomes = gate::evaluate_all(options.thresholds, run, options.evaluate);
  gate::GateReport report = gate::make_threshold_report(run, run_dir.string(), outcomes);
  if (!quiet && !report.rows.empty()) {
    out << "\n";
    gate::write_gate_table(out, report);
  } else if (quiet) {
    for (const gate::CheckRow& row : report.rows)
      if (!row.passed()) err << "threshold " << gate::verdict_word(row.verdict) << ": " << row.message << "\n";
  }
  try {
    if (!options.junit.empty()) gate::write_junit_file(options.junit, {report});
    if (!options.summary_md.empty()) gate::write_markdown_file(options.summary_md, {report});
  } catch (const std::exception& e) {
    err << "stampede: can't write the gate report: " << e.what() << "\n";
    return kExitUsage;
  }
  return report.passed() ? kExitOk : kExitThresholdsFailed;
}

void add_check_options(CLI::App& check, RawCheckOptions& raw) {
  check.add_option("RUN_FOLDER", raw.run_dir, "A result folder (results/runs/<run>)")->required();
  add_gate_options(check, raw.gate);
}

int run_check(const RawCheckOptions& raw, std::ostream& out, std::ostream& err) {
  GateOptions options;
  std::vector<std::string> problems;
  to_gate_options(raw.gate, options, problems);
  results::RunResult run;
  try {
    run = results::read_result_folder(raw.run_dir);
  } catch (const std::exception& e) {
    problems.push_back(e.what());
  }
  // Thresholds the scenario carried when it ran count too.
  if (run.scenario.is_object() && run.scenario.contains("thresholds") && run.scenario["thresholds"].is_array()) {
    std::vector<std::string> texts;
    for (const auto& t : run.scenario["thresholds"])
      if (t.is_string()) texts.push_back(t.get<std::string>());
    add_scenario_thresholds(texts, (std::filesystem::path(raw.run_dir) / "scenario.json").string(), options, problems);
  }
  if (problems.empty() && options.thresholds.empty())
    problems.push_back("no thresholds: give --threshold, or run a scenario with a \"thresholds\" array");
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede check: " << p << "\n";
    err << "Run 'stampede check --help' for usage.\n";
    return kExitUsage;
  }
  return apply_gate(options, raw.run_dir, false, out, err);
}

std::function<std::optional<std::string>(const results::RunResult&)> make_abort_check(
    const GateOptions& options, std::shared_ptr<bool> aborted) {
  std::vector<gate::Threshold> watched;
  for (const auto& t : options.thresholds)
    if (t.abort) watched.push_back(t);
  if (watched.empty()) return {};
  const double warmup_s = std::chrono::duration<double>(options.evaluate.warmup).count();
  return [watched, warmup_s, aborted](const results::RunResult& so_far) -> std::optional<std::string> {
    if (so_far.info.duration_s < warmup_s) return std::nullopt;
    for (const auto& t : watched) {
      // Only a real failure stops the run: an endpoint not seen yet is no evidence.
      gate::Outcome o = gate::evaluate(t, so_far);
      if (o.verdict != gate::Verdict::kFail) continue;
      *aborted = true;
      return "threshold '" + t.text + "' failed: " + o.message;
    }
    return std::nullopt;
  };
}

}  // namespace stampede::generator
