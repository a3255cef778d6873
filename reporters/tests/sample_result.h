// Deterministic RunResults for the reporter tests, built by hand (no engine, no clock), and
// helpers for golden-file comparison.
#pragma once

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "results/run_result.h"

namespace stampede::reporters::testing {

// 12 one-second history points, five endpoints (one with a very long name, one with a comma
// and quotes in its name, a slow one above 100 ms and 1 s to exercise Locust's rounding),
// two failure kinds. Endpoints and the aggregate are the merge of the history.
// with_shards adds ShardStats for two endpoints over four shards.
results::RunResult make_sample_result(bool with_shards);

// The sample as an open-model run (--arrival-rate 60, docs/open-model.md): run.json's
// open_model, service times (each request's latency bucket at three quarters: sent a
// quarter late), dropped arrivals of POST home page in seconds 5-7 and an endpoint that
// only dropped ("GET /sold-out", requests 0). Totals are the merge of the history.
results::RunResult make_open_result();

// The sample with the exchange figures a newer engine records (results::ExchangeStats):
// connections opened in the first two seconds with their connect times, time to first
// byte (each response's latency bucket at nine tenths); `tls`: an https run whose
// connections did TLS handshakes (some resumed); `cache`: GET responses saying
// Server-Timing cache hit or miss (all misses in the first two seconds, then a quarter)
// and every response naming srv-0 or srv-1. Totals are the merge of the history.
results::RunResult make_exchange_result(bool tls, bool cache);

// What `fn` prints to the stream it is given.
template <typename Fn>
std::string capture(Fn fn) {
  std::ostringstream out;
  fn(out);
  return out.str();
}

// A result that has not seen a request yet (first live tick).
results::RunResult make_empty_result();

// Compares `actual` with reporters/tests/golden/<name>; with STAMPEDE_UPDATE_GOLDEN=1 in the
// environment, rewrites the golden file instead (review the diff by eye).
void expect_golden(const std::string& name, const std::string& actual);
// The same for <source tree>/<folder>/<name>, for golden files kept elsewhere (the lab's,
// lab/tests/golden, which link this file).
void expect_golden_in(const std::string& folder, const std::string& name, const std::string& actual);

std::string read_text_file(const std::string& path);

// Each part appears in `text`, in this order (a GoogleTest failure names the first missing).
void expect_in_order(const std::string& text, const std::vector<std::string>& parts);

}  // namespace stampede::reporters::testing
