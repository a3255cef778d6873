// Runs the `stampede` command line in-process for tests: argv in, exit code and output out.
#pragma once

#include <atomic>
#include <sstream>
#include <string>
#include <vector>

#include "generator/commands/cli.h"

namespace stampede::commands::testing {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

inline CliResult run_stampede(std::vector<std::string> args) {
  args.insert(args.begin(), "stampede");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::atomic<int> interrupts{0};
  std::ostringstream out, err;
  int code = run_cli(static_cast<int>(argv.size()), argv.data(), interrupts, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace stampede::commands::testing
