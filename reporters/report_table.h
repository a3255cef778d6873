// ReportTable: one table of a report as plain cells, rendered three ways (fixed-width
// console text, GitHub Markdown, an HTML <table>) so every output shows the same cells.
//
// Cells are UTF-8 text. Console widths count code points (so "×" and "—" line up);
// Markdown escapes '|' and backslashes; HTML escapes everything (html_escape).
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stampede::reporters {

enum class Align { left, right };

struct ReportTable {
  std::vector<std::string> header;
  std::vector<Align> align;                     // per column; missing = left
  std::vector<std::vector<std::string>> rows;   // each as long as header
  std::size_t shrink_column = 0;                // the column cut (in its middle) to fit a width
  std::vector<bool> console_hidden = {};        // per column; true = Markdown/HTML only (missing = shown)
};

// Columns separated by two spaces, a dashed rule under the header, every line at most
// max_width code points when the shrink column can be cut that far (names keep >= 40, so a
// table with long run labels may be wider). Columns marked console_hidden are left out.
std::string render_console_table(const ReportTable& table, std::size_t max_width = 120);
std::string render_markdown_table(const ReportTable& table);
std::string render_html_table(const ReportTable& table);

// &, <, >, " and ' as entities (' as &#39;); control characters and DEL as spaces.
std::string html_escape(std::string_view text);
// XML 1.0 text and attribute values (JUnit): the same five entities (' as &apos;); newline
// and tab as character references, so attribute values keep them; other control characters
// as U+FFFD (XML 1.0 can't carry them).
std::string xml_escape(std::string_view text);
// Markdown inline text: \ ` * _ [ ] < > | escaped with a backslash, on one line.
std::string markdown_escape(std::string_view text);
// Code points in UTF-8 text (continuation bytes not counted).
std::size_t display_width(std::string_view text);

}  // namespace stampede::reporters
