// Cells for the console tables: fixed-width, ASCII-only text so columns line up in any
// terminal and in log files.
//
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::reporters {

// A latency in µs shown in milliseconds with precision that suits its size:
// below 10 ms two decimals ("0.27"), below 1 s one decimal ("123.4"), else none ("4567").
std::string format_ms(std::uint64_t us);

// "12.34%" of part/whole; "0.00%" when whole is 0.
std::string format_percent(std::uint64_t part, std::uint64_t whole);

// A duration as "HH:MM:SS" (hours grow past 99 if they must).
std::string format_hms(double seconds);

// Control characters (newlines, tabs, ...) as spaces, so one value stays on one line.
std::string one_line(std::string_view text);

// Shortens text longer than width by cutting out its middle: "/api/users/...{id}/items".
// The start and the end are what tell similar names apart. Width below 5 cuts the end.
// Widths count bytes; a UTF-8 character is never split (the result may then be shorter).
// Control characters become spaces first (one_line).
std::string fit(std::string_view text, std::size_t width);

// A rule for a table: dashes as long as `header`, with '|' under each '|' of the header.
std::string separator_for(std::string_view header);

// Pads (never truncates) to width: left- or right-aligned.
std::string left(std::string_view text, std::size_t width);
std::string right(std::string_view text, std::size_t width);

// The columns the Locust-style console tables share (statistics, percentiles, shard
// timings), so their method, name, count and latency columns line up.
inline constexpr std::size_t kTypeWidth = 8;
inline constexpr std::size_t kCountWidth = 8;
inline constexpr std::size_t kLatencyWidth = 8;

// The method left in kTypeWidth, a space, the name fitted and padded to name_width.
std::string endpoint_cells(std::string_view type, std::string_view name, std::size_t name_width);
// " |", then each cell right-aligned in kLatencyWidth.
std::string latency_cells(const std::vector<std::string>& cells);

}  // namespace stampede::reporters
