// The `stampede` command line (CLI11): `stampede run …`, `stampede check …` (the CI gate,
// generator/gate_commands.h), `stampede compare …` (compare_command.cpp) and `stampede lab …`
// (generator/lab.h). No load is sent from here.
#pragma once

#include <atomic>
#include <iosfwd>

namespace stampede::generator {

// Parses argv and runs the chosen subcommand; returns the process exit code (2 for usage
// or scenario errors, with the problem on `err`).
int run_cli(int argc, char** argv, const std::atomic<int>& interrupts, std::ostream& out,
            std::ostream& err);

}  // namespace stampede::generator
