// The limits on everything that enters the scenarios library from outside: scenario files
// (and documents handed to Scenario::parse), the expressions and templates inside them, and
// response bodies read by checks and captures. One place for every value; README's
// "Limits" section lists them for users. Going over a limit is an input error like any
// other (a ScenarioError problem naming file and JSON path, or a check failure), never a
// crash: the values keep every recursive walk (nlohmann::json's copy, dump and compare, the
// template compiler, expression evaluation) far inside a thread's stack.
#pragma once

#include <cstddef>

namespace stampede::scenarios {

// Arrays and objects nested inside each other, counting the document itself as level 1.
inline constexpr std::size_t kMaxJsonDepth = 256;

// Levels of an expression: parentheses, unary minus, call arguments, and the depth of the
// compiled tree (so `x + x + … + x` may have at most this many terms).
inline constexpr std::size_t kMaxExpressionDepth = 256;

// A scenario file is read whole; anything bigger is refused before it is read. Besides
// the text, the compiled form of the widest expressions (choice(1, 1, …)) takes ~85 bytes
// per byte of text, so this also bounds memory (~350 MB at worst, ~1,000 times coupon.json).
inline constexpr std::size_t kMaxScenarioFileBytes = std::size_t{4} << 20;  // 4 MiB

// Weights of classes and tasks, and the per-user rate of constant_throughput (tasks per
// second; its smallest value keeps 1/rate within the 1e9 s a duration may have).
inline constexpr double kMaxWeight = 1e9;
inline constexpr double kMaxThroughputPerSecond = 1e9;
inline constexpr double kMinThroughputPerSecond = 1e-9;

// Spawn rates of load-shape stages, in users per second.
inline constexpr double kMaxSpawnRatePerSecond = 1e7;

// Stages of a load shape: the step form's time_limit / step_duration, and the stages of the
// arrival_rate form.
inline constexpr std::size_t kMaxLoadShapeStages = 100'000;

// The arrival_rate form: rates in arrivals per second (as `stampede run --arrival-rate`), and
// the shape's whole length, which keeps every due time in 64-bit nanoseconds (~292 years).
inline constexpr double kMaxArrivalRatePerSecond = 1e7;
inline constexpr double kMaxArrivalShapeSeconds = 1e9;

// Data files (scenario "data": CSV or JSON rows) and multipart files, read whole before
// the run and kept in memory by every run's scenario.
inline constexpr std::size_t kMaxDataFileBytes = std::size_t{64} << 20;       // 64 MiB
inline constexpr std::size_t kMaxMultipartFileBytes = std::size_t{16} << 20;  // 16 MiB

// Redirects followed for one request before it fails "too many redirects".
inline constexpr int kMaxRedirects = 10;

}  // namespace stampede::scenarios
