// merge_history: the parts' history lines aligned on wall-clock seconds.
//
// Each history point covers (unix_ms - interval_s, unix_ms]. A point belongs to the
// wall-clock second its interval ends in, ceil(unix_ms / 1000); the parts' points of one
// second are merged into one point (endpoint and shard slices by their key, histograms by
// the HDR merge), so every request of every part is in exactly one merged point and the
// sum of the merged history equals the sum of the parts' histories.
//
// The merged point ends at that whole second (unix_ms = second * 1000), its elapsed_s is
// measured from `started_unix_ms` (the merged run's start), its interval_s is the longest
// of the merged points' intervals, and its users are the sum, over the parts still running
// at that second, of each part's users at its latest point at or before it.
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <vector>

#include "results/run_result.h"

namespace stampede::merge {

std::vector<results::HistoryPoint> merge_histories(
    const std::vector<const std::vector<results::HistoryPoint>*>& histories,
    std::int64_t started_unix_ms);

}  // namespace stampede::merge
