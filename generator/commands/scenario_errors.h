// How every command reports a scenario that did not validate: one line per problem, each
// naming the file, the JSON path and what was expected (scenarios::ScenarioError).
#pragma once

#include <ostream>
#include <string_view>

#include "scenarios/scenario.h"

namespace stampede::commands {

inline void print_scenario_error(std::string_view command, const scenarios::ScenarioError& e, std::ostream& err) {
  err << command << ": the scenario has " << e.problems().size() << " problem"
      << (e.problems().size() == 1 ? "" : "s") << ":\n";
  for (const auto& p : e.problems()) err << "  " << p.to_string() << "\n";
}

}  // namespace stampede::commands
