// `stampede locustfile SCENARIO`: flags in, locust/locustfile.h in the middle, exit code out.
#include "generator/commands/locustfile_command.h"

#include <ostream>

#include <CLI/CLI.hpp>

#include "generator/commands/exit_codes.h"
#include "generator/commands/scenario_errors.h"
#include "locust/locustfile.h"
#include "results/result_folder.h"

namespace stampede::commands {

void add_locustfile_options(CLI::App& locustfile, RawLocustfileOptions& raw) {
  locustfile.add_option("SCENARIO", raw.scenario, "The scenario file the stampede workers will run")->required();
  locustfile.add_option("-o,--output", raw.output, "Write the locustfile here instead of standard output");
}

int run_locustfile(const RawLocustfileOptions& raw, std::ostream& out, std::ostream& err) {
  std::string text;
  try {
    const scenarios::Scenario scenario = scenarios::Scenario::load(raw.scenario);
    text = locust::make_locustfile(scenario, raw.scenario, STAMPEDE_VERSION);
  } catch (const scenarios::ScenarioError& e) {
    print_scenario_error("stampede locustfile", e, err);
    return kExitUsage;
  }
  if (raw.output.empty()) {
    out << text;
    return kExitOk;
  }
  try {
    results::write_file_atomically(raw.output, text);
  } catch (const std::exception& e) {
    err << "stampede locustfile: --output: " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace stampede::commands
