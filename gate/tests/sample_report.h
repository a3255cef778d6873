// Shared by the gate's formatter tests: a hand-built report with a pass, a failure and a
// check without data, names that need escaping; and golden-file comparison.
#pragma once

#include <string>

#include "gate/report.h"

namespace stampede::gate::testing {

GateReport sample_report();
// Compares with gate/tests/golden/<name>; STAMPEDE_UPDATE_GOLDEN=1 rewrites it.
void expect_golden(const std::string& name, const std::string& actual);

}  // namespace stampede::gate::testing
