#include "generator/commands/gate_commands.h"

#include <algorithm>
#include <ostream>
#include <tuple>

#include <CLI/CLI.hpp>

#include "gate/junit.h"
#include "gate/markdown.h"
#include "gate/report.h"
#include "generator/commands/exit_codes.h"
#include "units/duration.h"
#include "results/result_folder.h"

namespace stampede::commands {

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
    auto d = units::parse_duration(raw.warmup);
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

namespace {

// The run since its warm-up ended, merged from the history points as they arrive: the
// engine keeps only its last few history points in memory, so a warm-up-excluding figure
// for the whole rest of the run has to be accumulated here. One merged point (whose
// interval starts where the first point after the warm-up started) is what
// gate::evaluate reads with the warm-up option: exactly the figures the final gate sees.
class SinceWarmup {
 public:
  explicit SinceWarmup(double warmup_s) : warmup_s_(warmup_s) {}

  // Merges the points of `so_far.history` not seen yet; false while none is after the warm-up.
  bool add(const results::RunResult& so_far) {
    for (const results::HistoryPoint& p : so_far.history) {
      if (p.elapsed_s <= seen_until_s_ + 1e-9) continue;
      seen_until_s_ = p.elapsed_s;
      const double start = p.elapsed_s - p.interval_s;
      if (start < warmup_s_ - 1e-6) continue;
      if (!started_) {
        started_ = true;
        first_start_s_ = start;
      }
      merge(p);
    }
    return started_;
  }

  // `so_far` with the merged point as its only history point.
  results::RunResult view(const results::RunResult& so_far) const {
    results::RunResult v = so_far;
    v.history.assign(1, merged_);
    v.history[0].interval_s = merged_.elapsed_s - first_start_s_;
    return v;
  }

 private:
  void merge(const results::HistoryPoint& p) {
    merged_.elapsed_s = p.elapsed_s;
    merged_.unix_ms = p.unix_ms;
    merged_.users = p.users;
    for (const results::IntervalEndpoint& e : p.endpoints) {
      auto it = std::find_if(merged_.endpoints.begin(), merged_.endpoints.end(), [&](const auto& m) {
        return m.method == e.method && m.name == e.name;
      });
      if (it == merged_.endpoints.end()) {
        merged_.endpoints.push_back(e);
        continue;
      }
      it->requests += e.requests;
      it->failures += e.failures;
      it->rate_limited += e.rate_limited;
      it->content_bytes += e.content_bytes;
      it->latency.merge(e.latency);
      it->service.merge(e.service);
      it->dropped += e.dropped;
      it->exchange.merge(e.exchange);
    }
    for (const results::IntervalShard& sh : p.shards) {
      auto it = std::find_if(merged_.shards.begin(), merged_.shards.end(), [&](const auto& m) {
        return m.shard == sh.shard && m.method == sh.method && m.name == sh.name;
      });
      if (it == merged_.shards.end()) {
        merged_.shards.push_back(sh);
        continue;
      }
      it->count += sh.count;
      it->shard_time.merge(sh.shard_time);
    }
    std::sort(merged_.shards.begin(), merged_.shards.end(), [](const auto& a, const auto& b) {
      return std::tie(a.shard, a.name, a.method) < std::tie(b.shard, b.name, b.method);
    });
  }

  double warmup_s_;
  double seen_until_s_ = -1;
  double first_start_s_ = 0;
  bool started_ = false;
  results::HistoryPoint merged_;
};

}  // namespace

std::function<std::optional<std::string>(const results::RunResult&)> make_abort_check(
    const GateOptions& options, std::shared_ptr<bool> aborted) {
  std::vector<gate::Threshold> watched;
  for (const auto& t : options.thresholds)
    if (t.abort) watched.push_back(t);
  if (watched.empty()) return {};
  const gate::EvaluateOptions evaluate = options.evaluate;
  const double warmup_s = std::chrono::duration<double>(evaluate.warmup).count();
  auto since = std::make_shared<SinceWarmup>(warmup_s);
  return [watched, evaluate, warmup_s, since, aborted](
             const results::RunResult& so_far) -> std::optional<std::string> {
    if (so_far.info.duration_s < warmup_s) return std::nullopt;
    const bool after_warmup = warmup_s <= 0 || since->add(so_far);
    for (const auto& t : watched) {
      // The warm-up is left out as in the final gate: windows slide over the recent
      // history after it; whole-run figures come from what was merged since it ended.
      gate::Outcome o;
      if (t.window || warmup_s <= 0) {
        o = gate::evaluate(t, so_far, evaluate);
      } else if (after_warmup) {
        o = gate::evaluate(t, since->view(so_far), evaluate);
      } else {
        continue;
      }
      // Only a real failure stops the run: an endpoint not seen yet is no evidence.
      if (o.verdict != gate::Verdict::kFail) continue;
      *aborted = true;
      return "threshold '" + t.text + "' failed: " + o.message;
    }
    return std::nullopt;
  };
}

}  // namespace stampede::commands
