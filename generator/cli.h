// The `stampede` command line (CLI11): `stampede run …` today; later subcommands (check,
// compare, lab) hang off the same App. Parsing only — no load is sent from here.
#pragma once

#include <atomic>
#include <iosfwd>

namespace stampede::generator {

// Parses argv and runs the chosen subcommand; returns the process exit code (2 for usage
// or scenario errors, with the problem on `err`).
int run_cli(int argc, char** argv, const std::atomic<int>& interrupts, std::ostream& out,
            std::ostream& err);

}  // namespace stampede::generator
