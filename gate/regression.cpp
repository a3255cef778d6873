#include "gate/regression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>

namespace stampede::gate {
namespace {

std::string percent(double v, bool sign) {
  char buf[32];
  std::snprintf(buf, sizeof buf, sign ? "%+.1f%%" : "%.1f%%", v);
  return buf;
}

// A metric name alone, checked by the threshold parser (so the two grammars agree).
Threshold parse_metric(std::string_view rule_text, std::string_view metric) {
  std::string probe = std::string(metric) + " >= 0";
  try {
    Threshold t = parse_threshold(probe + "us");
    t.unit = Unit::kMilliseconds;
    return t;
  } catch (const ThresholdError&) {
  }
  try {
    Threshold t = parse_threshold(probe);
    if (t.metric == Metric::kErrorRate || t.metric == Metric::kCacheHitRatio) t.unit = Unit::kPercent;
    return t;
  } catch (const ThresholdError& e) {
    // Only metric problems can come from here: point into the rule.
    throw ThresholdError(std::string(rule_text), std::min(e.column(), metric.size() + 1),
                         e.problem());
  }
}

std::string endpoint_scope(const std::string& method, const std::string& name) {
  return method.empty() ? name : method + " " + name;
}

}  // namespace

RegressionRule parse_regression_rule(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  const std::string rule_text(text);
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    throw ThresholdError(rule_text, text.size() + 1, "expected METRIC:CHANGE% (e.g. p95:10% or rps:-5%)");
  RegressionRule rule;
  rule.text = rule_text;
  rule.metric = parse_metric(rule_text, text.substr(0, colon));
  std::string_view change = text.substr(colon + 1);
  const std::size_t change_at = colon + 2;
  if (change.empty() || change.back() != '%')
    throw ThresholdError(rule_text, change_at + change.size(), "expected a percentage ending in % (e.g. 10%)");
  change.remove_suffix(1);
  if (!change.empty() && change.front() == '+') change.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(change.data(), change.data() + change.size(), v);
  if (change.empty() || ec != std::errc() || end != change.data() + change.size())
    throw ThresholdError(rule_text, change_at, "expected a number of percent (e.g. 10% or -5%)");
  rule.max_change_pct = v;
  return rule;
}

bool RegressionResult::passed() const {
  return std::all_of(rows.begin(), rows.end(), [](const RegressionRow& r) { return r.verdict == Verdict::kPass; });
}

RegressionResult judge_regressions(const results::RunResult& baseline, const results::RunResult& current,
                           const std::vector<RegressionRule>& given_rules, std::uint64_t min_requests) {
  RegressionResult out;
  std::vector<RegressionRule> rules = given_rules;
  if (rules.empty()) {
    for (const char* m : {"p50:0%", "p95:0%", "p99:0%", "rps:0%", "error_rate:0%"}) {
      rules.push_back(parse_regression_rule(m));
      rules.back().informational = true;
    }
  }
  if (baseline.info.scenario_name != current.info.scenario_name)
    out.warnings.push_back("the runs are of different scenarios: \"" + baseline.info.scenario_name +
                           "\" vs \"" + current.info.scenario_name + "\"");
  else if (baseline.scenario != current.scenario)
    out.warnings.push_back("the scenario \"" + current.info.scenario_name + "\" changed between the runs");

  // Scopes as selectors; in only one run -> warning.
  std::vector<std::pair<std::string, Selector>> scopes = {{"all requests", {}}};
  std::set<std::pair<std::string, std::string>> base_eps, new_eps;
  for (const auto& e : baseline.endpoints) base_eps.insert({e.method, e.name});
  for (const auto& e : current.endpoints) new_eps.insert({e.method, e.name});
  for (const auto& [method, name] : base_eps) {
    if (new_eps.count({method, name}))
      scopes.push_back({endpoint_scope(method, name), {name, method, std::nullopt}});
    else
      out.warnings.push_back("endpoint " + endpoint_scope(method, name) + " is only in the baseline");
  }
  for (const auto& [method, name] : new_eps)
    if (!base_eps.count({method, name}))
      out.warnings.push_back("endpoint " + endpoint_scope(method, name) + " is only in the new run");
  std::set<std::tuple<int, std::string, std::string>> base_sh, new_sh;
  for (const auto& s : baseline.shards) base_sh.insert({s.shard, s.method, s.name});
  for (const auto& s : current.shards) new_sh.insert({s.shard, s.method, s.name});
  for (const auto& [shard, method, name] : base_sh) {
    std::string scope = "shard " + std::to_string(shard) + " of " + endpoint_scope(method, name);
    if (new_sh.count({shard, method, name}))
      scopes.push_back({scope, {name, method, shard}});
    else
      out.warnings.push_back(scope + " is only in the baseline");
  }
  for (const auto& [shard, method, name] : new_sh)
    if (!base_sh.count({shard, method, name}))
      out.warnings.push_back("shard " + std::to_string(shard) + " of " + endpoint_scope(method, name) +
                             " is only in the new run");

  std::vector<std::size_t> skipped(rules.size(), 0);
  for (const auto& [scope, selector] : scopes) {
    // Requests (or, for a shard, responses naming it) on each side of this row.
    Threshold counter = parse_threshold("count > 0");
    counter.selector = selector;
    const bool whole_run = !selector.name && !selector.method && !selector.shard;
    const bool too_few = !whole_run && min_requests > 0 &&
                         (evaluate(counter, baseline).measured < static_cast<double>(min_requests) ||
                          evaluate(counter, current).measured < static_cast<double>(min_requests));
    for (std::size_t r = 0; r < rules.size(); ++r) {
      const RegressionRule& rule = rules[r];
      // Not recorded per shard: error_rate, the service time, dropped arrivals, connections,
      // time to first byte and the cache.
      if (selector.shard && (rule.metric.metric == Metric::kErrorRate || rule.metric.of == LatencyOf::kService ||
                             rule.metric.metric == Metric::kDropped || rule.metric.metric == Metric::kRateLimited ||
                             rule.metric.is_exchange()))
        continue;
      if (too_few) {
        ++skipped[r];
        continue;
      }
      Threshold probe = rule.metric;
      probe.selector = selector;
      Outcome b = evaluate(probe, baseline);
      Outcome n = evaluate(probe, current);
      RegressionRow row;
      row.scope = scope;
      row.rule = rule;
      if (b.verdict == Verdict::kNoData || n.verdict == Verdict::kNoData) {
        if (rule.informational) continue;  // e.g. no latency: nothing to show
        row.verdict = Verdict::kNoData;
        row.message = rule.metric.metric_name() + " can't be judged (" + scope + "): " +
                      (b.verdict == Verdict::kNoData ? "baseline: " + b.message : "new run: " + n.message);
        out.rows.push_back(row);
        continue;
      }
      row.baseline = b.measured;
      row.current = n.measured;
      row.delta = n.measured - b.measured;
      if (b.measured != 0) row.ratio = n.measured / b.measured;
      const double change_pct = row.ratio ? (*row.ratio - 1) * 100 : (row.delta == 0 ? 0 : INFINITY);
      bool ok = true;
      if (!rule.informational) {
        if (rule.max_change_pct >= 0)
          ok = row.ratio ? change_pct <= rule.max_change_pct + 1e-9 : row.current <= 0;
        else
          ok = row.ratio ? change_pct >= rule.max_change_pct - 1e-9 : true;
      }
      row.verdict = ok ? Verdict::kPass : Verdict::kFail;
      row.message = rule.metric.metric_name() + " " + rule.metric.format_value(row.baseline) + " -> " +
                    rule.metric.format_value(row.current) + " (" +
                    (row.ratio ? percent(change_pct, true) : std::string("baseline 0")) + ")";
      if (!rule.informational)
        row.message += ", allowed " + percent(rule.max_change_pct, true) + " (" + scope + ")";
      out.rows.push_back(row);
    }
  }
  for (std::size_t r = 0; r < rules.size(); ++r) {
    if (skipped[r] == 0) continue;
    const std::string name = rules[r].informational ? rules[r].metric.metric_name() : rules[r].text;
    out.warnings.push_back(name + ": " + std::to_string(skipped[r]) + " row" + (skipped[r] == 1 ? "" : "s") +
                           " with fewer than " + std::to_string(min_requests) +
                           " requests on a side not judged (--min-requests)");
  }
  return out;
}

GateReport make_compare_report(const RegressionResult& result, const results::RunResult& current,
                               const std::string& baseline_dir, const std::string& current_dir) {
  GateReport report = report_on_run("regressions", current, current_dir);
  report.notes = result.warnings;
  report.notes.insert(report.notes.begin(), "baseline: " + baseline_dir);
  for (const RegressionRow& r : result.rows) {
    CheckRow row;
    row.name = r.rule.informational ? r.rule.metric.metric_name() : r.rule.text;
    row.scope = r.scope;
    row.verdict = r.verdict;
    const std::string change =
        r.ratio ? percent((*r.ratio - 1) * 100, true) : std::string(r.delta == 0 ? "+0.0%" : "n/a");
    // Baseline -> new, then the absolute and the relative change (ASCII: console tables).
    const std::string delta = r.delta < 0 ? "-" + r.rule.metric.format_value(-r.delta)
                                          : "+" + r.rule.metric.format_value(r.delta);
    row.measured = r.verdict == Verdict::kNoData
                       ? std::string("no data")
                       : r.rule.metric.format_value(r.baseline) + " -> " + r.rule.metric.format_value(r.current) +
                             " (" + delta + ", " + change + ")";
    row.limit = r.rule.informational ? "-" : percent(r.rule.max_change_pct, true) + " of " +
                                                 r.rule.metric.format_value(r.baseline);
    row.message = r.message;
    report.rows.push_back(row);
  }
  return report;
}

nlohmann::json to_json(const RegressionResult& result, const std::string& baseline_dir,
                       const std::string& current_dir) {
  nlohmann::json rows = nlohmann::json::array();
  for (const RegressionRow& r : result.rows) {
    nlohmann::json j = {{"scope", r.scope},
                        {"metric", r.rule.metric.metric_name()},
                        {"unit", r.rule.metric.is_latency() ? "us"
                                 : r.rule.metric.metric == Metric::kErrorRate ||
                                           r.rule.metric.metric == Metric::kCacheHitRatio
                                       ? "fraction"
                                 : r.rule.metric.metric == Metric::kRps ? "requests/s"
                                 : r.rule.metric.metric == Metric::kDropped ? "arrivals" : "requests"},
                        {"baseline", r.baseline},
                        {"new", r.current},
                        {"delta", r.delta},
                        {"ratio", r.ratio ? nlohmann::json(*r.ratio) : nlohmann::json(nullptr)},
                        {"verdict", std::string(verdict_word(r.verdict))}};
    if (!r.rule.informational) {
      j["rule"] = r.rule.text;
      j["max_change_pct"] = r.rule.max_change_pct;
    }
    rows.push_back(j);
  }
  return {{"baseline", baseline_dir}, {"new", current_dir}, {"passed", result.passed()},
          {"warnings", result.warnings}, {"rows", rows}};
}

}  // namespace stampede::gate
