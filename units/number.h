// Plain numbers and counts as people write them on a command line.
//
//   number := digits [ '.' digits ]     no sign, no exponent, no spaces
//   count  := number [ k | K | M | m ]  "1000", "1k", "2.5k", "1M" (m is a million too)
//
// Errors: none thrown; nullopt for anything else. Pure and thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace stampede::units {

// Reads a number at the start of `text` and removes it from `text`; nullopt (text left
// as it was) when none starts there.
std::optional<double> take_number(std::string_view& text);

// A count: users, rates, request totals. Not rounded: callers that need whole numbers check.
std::optional<double> parse_count(std::string_view text);

}  // namespace stampede::units
