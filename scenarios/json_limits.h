// Reading JSON that comes from outside (scenario files, response bodies) within the limits
// of scenarios/limits.h, before anything walks it recursively.
//
// nlohmann::json parses and destroys without recursion (3.11: an explicit stack in the
// parser, a flattening destructor), but copying, dump(), comparison and our own template
// compiler recurse once per level, so a document nested 70,000 deep overflows the stack as
// soon as it is used. These functions refuse such input first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace stampede::scenarios {

// Parses a scenario file's text. Throws ScenarioError with one Problem naming `file`:
//  - nesting deeper than kMaxJsonDepth: the JSON pointer where it goes too deep;
//  - a number a double cannot hold (1e999): its pointer, line and column;
//  - a syntax error: path "" and nlohmann's line and column.
// The document is only built once the text is known to be within the limits, so a deep
// value is never constructed, copied or destroyed.
nlohmann::json parse_json_within_limits(std::string_view text, const std::string& file);

// For a document that is already built (Scenario::parse): throws ScenarioError naming
// `file` and the JSON pointer of the first array or object deeper than kMaxJsonDepth
// levels. Walks the document without recursion.
void check_json_depth(const nlohmann::json& doc, const std::string& file);

// True when the brackets of `text` (outside strings) open more than `max_depth` levels.
// A linear scan with no allocation, for checking a response body before parsing it.
bool json_text_nested_deeper_than(std::string_view text, std::size_t max_depth);

}  // namespace stampede::scenarios
