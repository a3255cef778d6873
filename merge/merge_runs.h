// merge_runs: several result folders' runs of one scenario combined into one run, exactly.
//
// What "exactly" means: every histogram of the merged run (latency, service, the exchange
// figures' connect/TLS/TTFB, shard times) is the HDR merge of the parts'
// histograms (results/histogram.h), so a percentile of the merged run is the percentile of
// all the parts' samples together, as if one process had recorded them; every count is
// the sum of the parts' counts (ExchangeStats::merge for the exchange figures). The parts ran side by side (stampede workers under one
// Locust master, docs/distributed.md), so:
//   - endpoints, the aggregate, shards and failures are merged by their key
//     ((method, name), (method, name, shard), (method, name, error));
//   - history is aligned on wall-clock seconds (merge_history.h);
//   - the merged run starts at the earliest part's start and ends at the latest part's
//     end; first/last request times are moved onto that start;
//   - run.json's extra.merged_from lists the parts (folder, label, host, start, end,
//     requests, status) in the order given.
//
// Refused (MergeError, the reason naming the parts): fewer than two runs, runs of
// different scenarios (scenario.json differs), two parts with the same label (the same
// run given twice, or workers not told apart: give each its own --label).
//
// Thread-safety: pure functions.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "results/run_result.h"

namespace stampede::merge {

class MergeError : public std::runtime_error {
 public:
  enum class Kind { kTooFewRuns, kDifferentScenarios, kOverlappingLabels, kOutput };
  MergeError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One run to merge and the name it is known by in messages and in merged_from (its folder).
struct MergePart {
  std::string folder;
  results::RunResult run;
};

// Throws MergeError when the parts cannot be merged (see above). `label` is the merged
// run's label; empty: the parts' labels joined with '+'. `command_line` is recorded as the
// merged run's command line.
results::RunResult merge_runs(const std::vector<MergePart>& parts, const std::string& label,
                              const std::vector<std::string>& command_line);

// The checks merge_runs makes before merging (exposed for tests); throws MergeError.
void check_mergeable(const std::vector<MergePart>& parts);

}  // namespace stampede::merge
