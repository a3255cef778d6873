// `stampede compare RUN_A RUN_B …`: the comparison report of two or more result folders,
// plus the CI regression rules (gate/regression.h) of each later run against the first.
#include "generator/commands/compare_command.h"

#include <optional>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "gate/regression.h"
#include "gate/junit.h"
#include "gate/markdown.h"
#include "gate/report.h"
#include "generator/commands/exit_codes.h"
#include "generator/commands/gate_commands.h"
#include "lab/lab_report.h"
#include "lab/study_checks.h"
#include "lab/variant_checks.h"
#include "reporters/comparison.h"
#include "reporters/comparison_files.h"

namespace stampede::commands {

void add_compare_options(CLI::App& compare, RawCompareOptions& raw) {
  compare.add_option("RUNS", raw.run_dirs, "Two or more result folders; the first is the baseline")->required();
  compare.add_option("--max-regression", raw.rules,
                     "METRIC:CHANGE%, e.g. 'p95:10%' (may rise 10%), 'rps:-5%' (may drop 5%); repeatable; "
                     "each later run is judged against the first");
  compare.add_option("--min-requests", raw.min_requests,
                     "Judge an endpoint or shard row only with at least this many requests on both "
                     "sides (default 100; 0 judges every row)");
  compare.add_option("--markdown", raw.markdown, "Write the comparison (and regressions) as Markdown to this file");
  compare.add_option("--html", raw.html, "Write the comparison as one self-contained HTML page to this file");
  compare.add_option("--json", raw.json, "Write the comparison (and regressions) as JSON to this file");
  compare.add_option("--junit", raw.junit, "Write the regression rules as JUnit XML to this file");
}

int run_compare(const RawCompareOptions& raw, std::ostream& out, std::ostream& err) {
  std::vector<std::string> problems;
  std::vector<gate::RegressionRule> rules;
  for (const std::string& text : raw.rules) {
    try {
      rules.push_back(gate::parse_regression_rule(text));
    } catch (const gate::ThresholdError& e) {
      problems.push_back(std::string("--max-regression: ") + e.what());
    }
  }
  if (raw.run_dirs.size() < 2)
    problems.push_back("expected two or more result folders, got " + std::to_string(raw.run_dirs.size()));
  std::vector<reporters::ComparedRun> runs;
  if (problems.empty()) {
    // Every unreadable folder is named, not just the first.
    for (const std::string& dir : raw.run_dirs) {
      try {
        auto one = reporters::read_compared_runs({dir});
        runs.push_back(std::move(one.front()));
      } catch (const std::exception& e) {
        problems.push_back(e.what());
      }
    }
  }
  if (!problems.empty()) {
    for (const auto& p : problems) err << "stampede compare: " << p << "\n";
    err << "Run 'stampede compare --help' for usage.\n";
    return kExitUsage;
  }
  // Runs of labs (`<lab>/<variant>/` beside the lab's lab.json) are named by their variants, and
  // the report says each one's server command line and checks what the variants vary, as the
  // lab's own report does; only when every folder is a lab's run.
  std::vector<lab::ReportedVariant> variants;
  for (const std::string& dir : raw.run_dirs)
    if (auto v = lab::variant_of_run_folder(dir)) variants.push_back(std::move(*v));
  const bool lab_runs = variants.size() == runs.size();
  if (lab_runs)
    for (std::size_t i = 0; i < runs.size(); ++i) runs[i].label = variants[i].name;
  reporters::make_labels_unique(runs);
  if (lab_runs)
    for (std::size_t i = 0; i < runs.size(); ++i) variants[i].name = runs[i].label;

  // The regressions need the runs; build_comparison takes them by value.
  std::vector<gate::RegressionResult> results;
  std::vector<gate::GateReport> reports;
  if (!rules.empty()) {
    for (std::size_t i = 1; i < runs.size(); ++i) {
      gate::RegressionResult result = gate::judge_regressions(runs[0].run, runs[i].run, rules, raw.min_requests);
      for (const std::string& w : result.warnings) err << "stampede compare: warning: " << w << "\n";
      reports.push_back(gate::make_compare_report(result, runs[i].run, raw.run_dirs[0], raw.run_dirs[i]));
      results.push_back(std::move(result));
    }
  }
  reporters::Comparison comparison;
  try {
    comparison = reporters::build_comparison(runs);
  } catch (const std::exception& e) {
    err << "stampede compare: " << e.what() << "\n";
    return kExitUsage;
  }
  // Lab runs get the checks of what their variants vary; runs of the lab's study (hash or
  // range runs of the coupon scenario) otherwise get the study's checks; any other runs none.
  std::vector<lab::VariantServer> servers;
  for (const auto& v : variants) servers.push_back({v.name, v.flags});
  if (!lab_runs || lab::add_checks_that_apply(comparison, servers, false).empty())
    lab::add_study_checks_if_they_apply(comparison);
  const std::optional<lab::LabReportTexts> lab_texts =
      lab_runs ? std::optional(lab::lab_report_texts(comparison, variants)) : std::nullopt;

  out << (lab_texts ? lab_texts->console : reporters::comparison_console(comparison));
  bool passed = true;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    gate::GateReport console = reports[i];
    console.notes.resize(std::min<std::size_t>(console.notes.size(), 1));  // the baseline; warnings went to err
    out << "\n";
    gate::write_gate_table(out, console);
    passed = passed && results[i].passed();
  }

  try {
    if (!raw.markdown.empty()) {
      std::ostringstream md;
      md << (lab_texts ? lab_texts->markdown : reporters::comparison_markdown(comparison));
      if (!reports.empty()) {
        md << "\n## Regressions against " << runs[0].label << "\n\n";
        gate::write_markdown_summary(md, reports);
      }
      reporters::write_text_file(raw.markdown, md.str());
    }
    if (!raw.html.empty())
      reporters::write_text_file(raw.html, lab_texts ? lab_texts->html : reporters::comparison_html(comparison));
    if (!raw.junit.empty()) gate::write_junit_file(raw.junit, reports);
    if (!raw.json.empty()) {
      nlohmann::json doc = lab_texts ? lab_texts->json : reporters::comparison_json(comparison);
      if (!reports.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t i = 0; i < results.size(); ++i)
          list.push_back(gate::to_json(results[i], raw.run_dirs[0], raw.run_dirs[i + 1]));
        doc["regressions"] = {{"passed", passed}, {"comparisons", list}};
      }
      reporters::write_text_file(raw.json, doc.dump(2) + "\n");
    }
  } catch (const std::exception& e) {
    err << "stampede compare: can't write a report: " << e.what() << "\n";
    return kExitUsage;
  }
  return passed ? kExitOk : kExitThresholdsFailed;
}

}  // namespace stampede::commands
