#include "reporters/report_table.h"

#include <algorithm>

#include "reporters/text_cells.h"

namespace stampede::reporters {

namespace {

constexpr std::size_t kGap = 2;
// The shrinkable column (endpoint names) is not cut below this: with long run labels the
// table grows past max_width instead, since "GET /a...tats]" twice tells nothing apart.
constexpr std::size_t kMinShrunk = 40;

Align align_of(const ReportTable& t, std::size_t col) {
  return col < t.align.size() ? t.align[col] : Align::left;
}

std::string pad(std::string_view text, std::size_t width, Align align) {
  const std::size_t w = display_width(text);
  const std::string fill(w < width ? width - w : 0, ' ');
  return align == Align::left ? std::string(text) + fill : fill + std::string(text);
}

std::string cell(const std::vector<std::string>& row, std::size_t col) {
  return col < row.size() ? one_line(row[col]) : std::string();
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

namespace {

enum class Markup { html, xml };

// The five markup characters as entities in both; they differ in the apostrophe's entity
// and in what becomes of control characters (see html_escape and xml_escape).
std::string escape_markup(std::string_view text, Markup markup) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += markup == Markup::html ? "&#39;" : "&apos;"; break;
      default: {
        const bool control = static_cast<unsigned char>(c) < 0x20;
        if (markup == Markup::html) out += control || c == 0x7f ? ' ' : c;
        else if (c == '\n') out += "&#10;";
        else if (c == '\t') out += "&#9;";
        else if (control) out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 can't carry other control characters
        else out += c;
      }
    }
  }
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) { return escape_markup(text, Markup::html); }

std::string xml_escape(std::string_view text) { return escape_markup(text, Markup::xml); }

std::string render_console_table(const ReportTable& full, std::size_t max_width) {
  // Leave out the Markdown/HTML-only columns first.
  ReportTable t;
  std::vector<std::size_t> kept;
  for (std::size_t c = 0; c < full.header.size(); ++c)
    if (c >= full.console_hidden.size() || !full.console_hidden[c]) kept.push_back(c);
  for (std::size_t c : kept) {
    t.header.push_back(full.header[c]);
    t.align.push_back(c < full.align.size() ? full.align[c] : Align::left);
    if (c == full.shrink_column) t.shrink_column = t.header.size() - 1;
  }
  for (const auto& row : full.rows) {
    std::vector<std::string> cells;
    for (std::size_t c : kept) cells.push_back(c < row.size() ? row[c] : std::string());
    t.rows.push_back(std::move(cells));
  }
  const std::size_t cols = t.header.size();
  std::vector<std::size_t> width(cols, 0);
  for (std::size_t c = 0; c < cols; ++c) {
    width[c] = display_width(t.header[c]);
    for (const auto& row : t.rows) width[c] = std::max(width[c], display_width(cell(row, c)));
  }
  std::size_t total = 0;
  for (std::size_t w : width) total += w;
  total += cols > 0 ? kGap * (cols - 1) : 0;
  const std::size_t s = t.shrink_column;
  if (total > max_width && s < cols) {
    const std::size_t excess = total - max_width;
    const std::size_t floor = std::max(kMinShrunk, display_width(t.header[s]));
    const std::size_t cut = width[s] > excess ? width[s] - excess : 0;
    width[s] = std::max(cut, std::min(width[s], floor));
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (std::size_t c = 0; c < cols; ++c) {
      std::string text = cell(row, c);
      if (display_width(text) > width[c]) text = fit(text, width[c]);
      // The last column is not padded on the right: no trailing spaces.
      const bool last = c + 1 == cols;
      out += last && align_of(t, c) == Align::left ? text : pad(text, width[c], align_of(t, c));
      if (!last) out.append(kGap, ' ');
    }
    out += '\n';
    return out;
  };
  std::string out = line(t.header);
  for (std::size_t c = 0; c < cols; ++c) {
    out.append(width[c], '-');
    if (c + 1 < cols) out.append(kGap, ' ');
  }
  out += '\n';
  for (const auto& row : t.rows) out += line(row);
  return out;
}

std::string markdown_escape(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '|' || c == '\\' || c == '*' || c == '_' || c == '`' || c == '[' || c == ']' || c == '<' || c == '>')
      out += '\\';
    out += c;
  }
  return out;
}

namespace {
std::string markdown_cell(const std::string& text) { return markdown_escape(text); }
}  // namespace

std::string render_markdown_table(const ReportTable& t) {
  std::string out = "|";
  for (const auto& h : t.header) out += " " + markdown_cell(h) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < t.header.size(); ++c) out += align_of(t, c) == Align::right ? " ---: |" : " --- |";
  out += '\n';
  for (const auto& row : t.rows) {
    out += "|";
    for (std::size_t c = 0; c < t.header.size(); ++c) out += " " + markdown_cell(cell(row, c)) + " |";
    out += '\n';
  }
  return out;
}

std::string render_html_table(const ReportTable& t) {
  auto attr = [&](std::size_t c) { return align_of(t, c) == Align::right ? " class=\"num\"" : ""; };
  std::string out = "<table>\n<thead><tr>";
  for (std::size_t c = 0; c < t.header.size(); ++c) out += std::string("<th") + attr(c) + ">" + html_escape(t.header[c]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < t.header.size(); ++c)
      out += std::string("<td") + attr(c) + ">" + html_escape(cell(row, c)) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

}  // namespace stampede::reporters
