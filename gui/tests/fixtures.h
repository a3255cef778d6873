// Paths of the result folders the GUI tests read, all written by real short runs against
// stampede-server (gui/tests/fixtures/make_fixtures.sh regenerates them): run-hash /
// run-range are 8 s runs of scenarios/coupon.json, run-stages follows a load_shape,
// run-overload has failures (503s from a server shedding load), run-live is run-overload's
// folder copied mid-run, run-torn has a stats.json cut short, run-open is a real open-model
// run; open_run() is results' code-made open-model folder (its edge cases: an endpoint that
// only dropped, a lag the tests set).
#pragma once

#include <QString>

namespace stampede::gui::testing {

inline QString fixture(const char* relative) {
  return QStringLiteral(STAMPEDE_SOURCE_DIR "/") + QString::fromLatin1(relative);
}
inline QString hash_run() { return fixture("gui/tests/fixtures/run-hash"); }
inline QString range_run() { return fixture("gui/tests/fixtures/run-range"); }
// A real 8 s run of coupon-stages.json: a load_shape of 3 s at 4 users, 3 s at 8, 2 s at 2.
inline QString stages_run() { return fixture("gui/tests/fixtures/run-stages"); }
// 120 users ramping up at 30/s for 8 s against one store worker that takes one request at a
// time: about a third of the requests fail with 503.
inline QString overload_run() { return fixture("gui/tests/fixtures/run-overload"); }
// run-overload's run.json, scenario.json and history.jsonl as they were 4.5 s into the run.
inline QString live_run() { return fixture("gui/tests/fixtures/run-live"); }
inline QString corrupt_run() { return fixture("gui/tests/fixtures/run-torn"); }
// An open-model run (--arrival-rate 50, Poisson, at most 8 users): run.json open_model with a
// schedule lag, service time, dropped arrivals per endpoint and per interval, an endpoint with
// drops only. The one folder here not from a real run: results' own fixture, written by
// results/tests/sample_run.cpp, until `make_fixtures.sh <build> open` is run with an engine
// that writes open_model (gui/README.md, Known gaps).
inline QString open_run() { return fixture("results/tests/fixtures/open-run"); }
// A real open-model run (make_fixtures.sh <build> open): scenarios/coupon.json at 2000
// arrivals/s (even) for 6 s, at most 2 users busy, against a server with one store worker:
// the latency from the intended start well above the service time, thousands of arrivals
// dropped (in every class), arrivals started late (the engine's lag warning).
inline QString real_open_run() { return fixture("gui/tests/fixtures/run-open"); }
// results' code-made folders of this session's outcomes (results/tests/rate_limited_run.cpp):
// GET /api/items/[id] answered 429 from second 4 on (rate-limited-run); the same run with
// skipped requests and invalid cookies instead (real-app-run, an endpoint only skipped).
inline QString rate_limited_run() { return fixture("results/tests/fixtures/rate-limited-run"); }
inline QString real_app_run() { return fixture("results/tests/fixtures/real-app-run"); }

}  // namespace stampede::gui::testing
