// The `stampede` command line (CLI11): which subcommand, and its help. Each subcommand is a
// thin front end of its own: `run` (run_command.h), `check` (gate_commands.h), `compare`
// (compare_command.h) and `lab` (lab_command.h). No load is sent from here.
#pragma once

#include <atomic>
#include <iosfwd>

namespace stampede::commands {

// Parses argv and runs the chosen subcommand; returns the process exit code (2 for usage
// or scenario errors, with the problem on `err`).
int run_cli(int argc, char** argv, const std::atomic<int>& interrupts, std::ostream& out,
            std::ostream& err);

}  // namespace stampede::commands
