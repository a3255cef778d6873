// Which of the seeds' checks a lab's report shows: only those about what its variants vary
// (issue 16). Each family of checks belongs to one server flag: the sharding study's checks
// (study_checks.h) to --strategy; the cache and replica checks (read_scaling_checks.h) to
// --cache and --read-from; the queue's, when they are written, to --write-path. A family applies when the variants'
// servers differ in its flag (a variant without the flag has the server's default), or,
// for the strategy, when the variants are strategies (`--strategies`, even just one).
//
// Pure; the families are a table in variant_checks.cpp: a new server switch adds a row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reporters/comparison.h"

namespace stampede::lab {

// One variant's server as the checks see it: its name and every server flag it was started
// with besides the lab's own (--server-flags merged with its own, variants.h).
struct VariantServer {
  std::string name;
  std::vector<std::string> flags;
};

// A server flag's value for `server`, or `server_default` when it does not give the flag.
std::string setting_of(const VariantServer& server, std::string_view flag, std::string_view server_default);

// True when at least two of `servers` have different values of `flag`.
bool servers_differ_in(const std::vector<VariantServer>& servers, std::string_view flag, std::string_view server_default);

// Appends to c.check_sections the checks of every family that applies to `servers` (in the
// table's order) and returns the flags whose families applied, e.g. {"--strategy"}; a family
// without checks yet (the queue's) applies but adds nothing. `servers` are in c.runs' order.
std::vector<std::string> add_checks_that_apply(reporters::Comparison& c, const std::vector<VariantServer>& servers,
                                               bool strategy_variants);

}  // namespace stampede::lab
