// Regression rules: a new run judged against a baseline, per endpoint, per shard and for the
// whole run (what `stampede compare --max-regression` gates on; the side-by-side report of
// any runs is reporters/comparison.h). Called "regression" here so that "compare" names only
// the command.
//
// A rule is `METRIC:CHANGE%`: `p95:10%` lets p95 grow by at most 10% over the baseline;
// a negative change bounds a drop instead: `rps:-5%` lets rps fall by at most 5%.
// METRIC is any percentile (p50, p99.9), avg, min, max (each also as service.p99 ...: the
// open model's service time; connect.p95, tls.p95, ttfb.p95 ...: how the requests
// travelled), rps, error_rate, count, dropped or cache_hit_ratio.
// Without rules, compare shows p50, p95, p99, rps and error_rate as information only.
//
// Rows: the whole run, every endpoint present in both runs, every (endpoint, shard) present
// in both (error_rate, service.*, dropped, connect.*, tls.*, ttfb.* and cache_hit_ratio are
// not recorded per shard: skipped there).
// Endpoints or shards in only one run are warnings, as are differing scenarios. A rule whose baseline is 0 compares
// nothing meaningful as a ratio: it passes only if the new value is 0 too (or, for a
// negative rule, any value).
//
// Latency values are µs, error_rate a fraction, rps requests/s. Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gate/evaluate.h"
#include "gate/report.h"

namespace stampede::gate {

struct RegressionRule {
  std::string text;             // as written: "p95:10%"
  Threshold metric;             // metric (and percentile) only; other fields unused
  double max_change_pct = 0;    // >= 0: largest allowed rise; < 0: largest allowed drop
  bool informational = false;   // a default row without a limit
};

// Throws ThresholdError (expression, column, caret) on bad syntax.
RegressionRule parse_regression_rule(std::string_view text);

struct RegressionRow {
  std::string scope;  // "all requests", "GET /api/items", "shard 0 of GET /api/items"
  RegressionRule rule;
  double baseline = 0;
  double current = 0;
  double delta = 0;                // current - baseline
  std::optional<double> ratio;     // current / baseline; nullopt when baseline is 0
  Verdict verdict = Verdict::kPass;
  std::string message;
};

struct RegressionResult {
  std::vector<RegressionRow> rows;
  std::vector<std::string> warnings;
  bool passed() const;
};

// min_requests: a row (endpoint or endpoint-shard; never the whole run) with fewer requests
// than this on either side is not judged — a p95 of 7 requests is noise — and a warning
// says how many rows each rule skipped (the whole-run row is always judged). A rule that
// can't be measured on a side of a row gets a NO DATA row: it fails instead of passing
// silently.
RegressionResult judge_regressions(const results::RunResult& baseline, const results::RunResult& current,
                           const std::vector<RegressionRule>& rules, std::uint64_t min_requests = 0);

// For the console table, JUnit and Markdown (suite "regressions").
GateReport make_compare_report(const RegressionResult& result, const results::RunResult& current,
                               const std::string& baseline_dir, const std::string& current_dir);

nlohmann::json to_json(const RegressionResult& result, const std::string& baseline_dir,
                       const std::string& current_dir);

}  // namespace stampede::gate
