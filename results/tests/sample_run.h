// Test helpers: a deterministic sample RunResult (the content of
// results/tests/fixtures/sample-run/), a way to write it as a result folder, and a
// field-by-field comparison with gtest expectations.
#pragma once

#include <filesystem>

#include "results/result_folder.h"
#include "results/run_result.h"

namespace stampede::results::testing {

// Three endpoints over 10 one-second intervals, 4 shards, two failure kinds. Fully
// deterministic (integer PRNG), so the committed fixture can be compared with it.
RunResult make_sample_run();

// The sample's run information with every typed member a lab's measured run records (pid,
// timeouts, transport, connections, peak_users, lab, ...), and a free-form extra.
RunInfo make_lab_run_info();

// The sample as an open-model run (results/tests/fixtures/open-run/): run.json's
// open_model, service histograms, dropped arrivals per endpoint and interval, and an
// endpoint that only dropped (requests 0).
RunResult make_open_run();

// The sample as an https run with the exchange figures (results/tests/fixtures/https-run/):
// per endpoint and interval, new connections with connect and TLS handshake times (some
// sessions resumed), time to first byte, Server-Timing cache hits and misses on
// GET /api/items/[id], and the answering servers (srv-0, srv-1) on every endpoint.
RunResult make_https_run();

// The sample against a rate-limited server (results/tests/fixtures/rate-limited-run/):
// GET /api/items/[id] answered HTTP 429 to some of its successful requests from the fourth
// second on (rate_limited per endpoint and interval, not failures); the other endpoints never.
RunResult make_rate_limited_run();

// The sample as a scenario for a real application (results/tests/fixtures/real-app-run/):
// POST /api/cart skipped by its `when` in the odd seconds, GET /api/items/[id] answered with
// two ignored Set-Cookie headers (invalid_cookies) in each of the first three seconds, and
// POST /logout only skipped (requests 0) in seconds 3..5.
RunResult make_real_app_run();

// What the engine writes when `run` starts: run.json "running" (no end, no duration yet)
// and scenario.json. History lines and the end are the caller's.
void start_result_folder(ResultWriter& writer, const RunResult& run);

// Writes `run` with ResultWriter the way the engine does: start_result_folder, history
// lines, then finish(). `dir` must not exist or be empty.
void write_result_folder(const std::filesystem::path& dir, const RunResult& run);

// EXPECTs every field of `actual` to equal `expected` (histograms with operator==),
// history lines with their endpoint and shard slices included.
void expect_same_result(const RunResult& actual, const RunResult& expected);

}  // namespace stampede::results::testing
