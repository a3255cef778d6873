// The comparison report as console text (<= 120 columns) and as Markdown.
#include "reporters/comparison.h"
#include "reporters/comparison_sections.h"
#include "reporters/text_cells.h"

namespace stampede::reporters {

namespace {

constexpr std::size_t kConsoleWidth = 120;

std::string title_of(const Comparison& c) {
  std::string labels;
  for (const RunHeader& h : c.runs) labels += (labels.empty() ? "" : " vs ") + h.label;
  return "Stampede comparison: " + labels;
}

// Word-wraps one paragraph to `width` code points; continuation lines start with `indent`.
std::string wrap(const std::string& text, std::size_t width, const std::string& first, const std::string& indent) {
  std::string out;
  std::string line = first;
  std::size_t line_width = display_width(first);
  const std::size_t indent_width = display_width(indent);
  std::size_t pos = 0;
  const std::string flat = one_line(text);
  bool line_has_word = false;
  while (pos < flat.size()) {
    std::size_t end = flat.find(' ', pos);
    if (end == std::string::npos) end = flat.size();
    const std::string word = flat.substr(pos, end - pos);
    pos = end + 1;
    if (word.empty()) continue;
    const std::size_t w = display_width(word);
    if (line_has_word && line_width + 1 + w > width) {
      out += line + "\n";
      line = indent;
      line_width = indent_width;
      line_has_word = false;
    }
    if (line_has_word) {
      line += ' ';
      ++line_width;
    }
    line += word;
    line_width += w;
    line_has_word = true;
  }
  return out + line + "\n";
}

std::string underline(const std::string& title, char c) { return title + "\n" + std::string(display_width(title), c) + "\n"; }

}  // namespace

std::string comparison_console(const Comparison& c) {
  std::string out = underline(title_of(c), '=');
  for (const ReportSection& s : comparison_sections(c)) {
    out += "\n" + underline(s.title, '-');
    for (const std::string& w : s.warnings) out += wrap(w, kConsoleWidth, "! WARNING: ", "  ");
    if (!s.warnings.empty()) out += "\n";
    const bool bullets_first = s.id != "runs";
    auto bullets = [&] {
      for (const std::string& b : s.bullets) out += wrap(b, kConsoleWidth, "- ", "  ");
    };
    if (bullets_first) bullets();
    for (const CaptionedTable& t : s.tables) {
      if (!t.caption.empty()) out += "\n" + t.caption + ":\n";
      out += render_console_table(t.table, kConsoleWidth);
    }
    if (!bullets_first) bullets();
    for (const std::string& n : s.notes) out += wrap(n, kConsoleWidth, "", "");
  }
  return out;
}

std::string comparison_markdown(const Comparison& c) {
  std::string out = "# " + markdown_escape(title_of(c)) + "\n";
  for (const ReportSection& s : comparison_sections(c)) {
    out += "\n## " + markdown_escape(s.title) + "\n\n";
    for (const std::string& w : s.warnings) out += "> **Warning:** " + markdown_escape(w) + "\n>\n";
    if (!s.warnings.empty()) out += "\n";
    for (const std::string& b : s.bullets) out += "- " + markdown_escape(b) + "\n";
    if (!s.bullets.empty()) out += "\n";
    for (const CaptionedTable& t : s.tables) {
      if (!t.caption.empty()) out += "**" + markdown_escape(t.caption) + "**\n\n";
      out += render_markdown_table(t.table) + "\n";
    }
    for (const std::string& n : s.notes) out += markdown_escape(n) + "\n\n";
  }
  for (std::size_t at; (at = out.find("\n\n\n")) != std::string::npos;) out.erase(at, 1);
  while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

}  // namespace stampede::reporters
