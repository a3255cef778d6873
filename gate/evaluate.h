// Evaluating thresholds on a run's result.
//
// Scope of a threshold:
//   no selector        the whole run (the "Aggregated" row)
//   name= / method=    the merge of every endpoint matching both given fields
//   shard=N            ShardStats rows for shard N (further narrowed by name=/method=):
//                      latency metrics read shard_time (the server's own time per shard),
//                      count/rps read the responses naming that shard; error_rate is not
//                      recorded per shard and is reported as an error.
// A selector that matches nothing in the run FAILS (Verdict::kNoData) with a message
// naming what was missing; it never passes silently. So does a latency threshold on a
// scope without a single request.
//
// Which latency (docs/open-model.md): plain latency metrics read EndpointStats::latency
// (open model: from the intended start), service.* reads EndpointStats::service (from the
// actual send). A run that recorded no service time at all reads its latency for service.*
// when it is a closed-model run (there the latency is from the send: the same figure, and
// the message says so), and is NO DATA when it is an open-model run (an older engine). In
// a run with service time the messages say which latency each figure is.
// dropped: the open model's dropped arrivals (EndpointStats::dropped, history slices for
// windows and warm-ups); 0 in a closed-model run, which drops nothing.
// connect.*, tls.*, ttfb.* and cache_hit_ratio read EndpointStats::exchange (history
// slices for windows and warm-ups), merged over the scope like the latency. A run with no
// exchange figure at all (an older engine) is NO DATA saying so; so is a scope whose
// requests opened no connection (connect.*), did no TLS handshake (tls.*: an http://
// target) or got no Server-Timing cache entry (cache_hit_ratio). In a window, such a
// quiet window is skipped like a window without requests.
//
// rate_limited: the requests answered HTTP 429 (EndpointStats::rate_limited, history slices
// for windows and warm-ups), not failures: with % their share of the scope's requests,
// without a unit their count.
//
// Whole-run figures: rps = requests / duration_s, error_rate = failures / requests (429s
// are not failures).
// With a warm-up or a window (`over 10s`), figures come from RunResult::history (one
// point per interval, with per-endpoint and per-(endpoint, shard) slices): the warm-up
// drops intervals that started before it; a window slides over consecutive intervals and
// the threshold fails if any full window breaks it (the worst window is reported). Read
// the result with results::read_result_folder: the engine's in-memory history is short.
//
// Pure functions, thread-compatible; no exceptions for data problems (they are verdicts).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gate/threshold.h"
#include "results/run_result.h"

namespace stampede::gate {

struct EvaluateOptions {
  std::chrono::milliseconds warmup{0};
};

enum class Verdict { kPass, kFail, kNoData };

struct Outcome {
  Threshold threshold;
  Verdict verdict = Verdict::kNoData;
  double measured = 0;      // in the threshold's internal unit; meaningless for kNoData
  std::string scope;        // "all requests", "GET /api/items", "shard 0 of all endpoints"
  std::string message;      // one line: "p95 = 162.4ms, limit < 150ms (all requests)"
  double window_end_s = 0;  // for windowed thresholds: end of the worst window
  bool passed() const { return verdict == Verdict::kPass; }
};

Outcome evaluate(const Threshold& threshold, const results::RunResult& run,
                 const EvaluateOptions& options = {});
std::vector<Outcome> evaluate_all(const std::vector<Threshold>& thresholds,
                                  const results::RunResult& run, const EvaluateOptions& options = {});

bool all_passed(const std::vector<Outcome>& outcomes);

}  // namespace stampede::gate
