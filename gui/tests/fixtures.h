// Paths of the result folders the GUI tests read. run-hash / run-range are real 8 s runs
// of scenarios/coupon.json against stampede-server (make_fixtures.sh); the results/ fixtures
// add failures (sample-run), a live folder (live-run) and a corrupt one (corrupt-run).
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
inline QString sample_run() { return fixture("results/tests/fixtures/sample-run"); }
inline QString live_run() { return fixture("results/tests/fixtures/live-run"); }
inline QString corrupt_run() { return fixture("results/tests/fixtures/corrupt-run"); }

}  // namespace stampede::gui::testing
