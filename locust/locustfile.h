// locustfile: the Locust master's view of a scenario, as a small Python locustfile
// (`stampede locustfile SCENARIO`, docs/distributed.md).
//
// The master only dispatches users: it decides how many users of each class each worker
// runs, from the classes' weights and fixed counts, and sends the counts by class name.
// So the file declares one Locust User class per scenario class with the same name (the
// exact text, even when it is not a Python identifier), weight, fixed_count and wait time,
// and a task that never runs on the master (a Python worker given the file stops each such
// user at once: the requests are the stampede workers'). A scenario whose load_shape has the
// users form gets a LoadTestShape with the same stages, so the master follows it; the
// arrival_rate form (the open model) has no Locust equivalent and is only named in a comment.
//
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "scenarios/scenario.h"

namespace stampede::locust {

// The locustfile's text. `scenario_file` and `version` only appear in its header comment.
std::string make_locustfile(const scenarios::Scenario& scenario, const std::string& scenario_file,
                            const std::string& version);

// Whether `name` can be written as a Python class statement (an identifier, not a keyword).
bool is_python_identifier(const std::string& name);

}  // namespace stampede::locust
