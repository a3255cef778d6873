// The exit codes of every `stampede` command, in one place (documented in README.md and
// docs/ci.md). When several apply, thresholds win over request failures.
#pragma once

namespace stampede::commands {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRequestsFailed = 1;  // some requests failed; a lab run or server failed
inline constexpr int kExitUsage = 2;           // a flag, scenario or input folder is wrong
inline constexpr int kExitThresholdsFailed = 3;

}  // namespace stampede::commands
