// run_warnings: what a run warns about, worded once (runner.cpp decides when): a target
// that every request so far failed to connect to, worker threads left behind at the end,
// responses refused by --max-body-memory. Pure: text from figures.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "generator/engine/stats_recorder.h"

namespace stampede::engine {

// "warning: cannot reach HOST (…)…" when these intervals had requests and every one of
// them failed to connect (the most frequent failure text names why); nullopt otherwise.
std::optional<std::string> unreachable_warning(const std::vector<Interval>& intervals, const std::string& host);

std::string left_behind_warning(int threads, std::chrono::seconds grace);
std::string body_memory_warning(std::uint64_t responses, std::uint64_t max_body_memory_bytes);

}  // namespace stampede::engine
