#include "gate/markdown.h"

#include <cctype>
#include <cstdio>
#include <ostream>

namespace stampede::gate {
namespace {

// One line of text; inside a table '|' is escaped (GFM needs that even in code spans);
// outside code, '<' and '&' are escaped so names never read as HTML.
std::string cell(std::string_view text, bool in_table = true, bool in_code = false) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // Only what could start a tag or an entity: "< 150ms" stays readable as it is.
    const char next = i + 1 < text.size() ? text[i + 1] : ' ';
    const bool tag_like = std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' || next == '?';
    const bool entity_like = std::isalnum(static_cast<unsigned char>(next)) || next == '#';
    if (c == '|' && in_table) out += "\\|";
    else if (c == '<' && !in_code && tag_like) out += "&lt;";
    else if (c == '&' && !in_code && entity_like) out += "&amp;";
    else if (c == '\n' || c == '\r' || c == '\t') out += ' ';
    else out += c;
  }
  return out;
}

// Inline code that survives backticks in the text (CommonMark: a longer fence).
std::string code(std::string_view text, bool in_table = true) {
  std::string fence = "`";
  while (text.find(fence) != std::string_view::npos) fence += '`';
  std::string pad = (!text.empty() && (text.front() == '`' || text.back() == '`')) ? " " : "";
  return fence + pad + cell(text, in_table, true) + pad + fence;
}

std::string_view icon(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "✅ pass";
    case Verdict::kFail: return "❌ fail";
    case Verdict::kNoData: return "❌ no data";
  }
  return "?";
}

}  // namespace

void write_markdown_summary(std::ostream& out, const std::vector<GateReport>& reports) {
  std::size_t checks = 0, failed = 0;
  for (const GateReport& r : reports) {
    checks += r.rows.size();
    failed += r.failures();
  }
  out << "## Stampede gate: ";
  if (failed == 0) out << "✅ passed (" << checks << " check" << (checks == 1 ? "" : "s") << ")\n";
  else out << "❌ " << failed << " of " << checks << " check" << (checks == 1 ? "" : "s") << " failed\n";
  for (const GateReport& r : reports) {
    out << "\n### " << (r.suite.empty() ? "checks" : r.suite) << ": "
        << (r.passed() ? "passed" : std::to_string(r.failures()) + " failed") << "\n\n";
    std::vector<std::string> facts;
    if (!r.run_label.empty()) facts.push_back("run " + code(r.run_label, false));
    if (!r.scenario_name.empty()) facts.push_back("scenario " + code(r.scenario_name, false));
    if (r.duration_s > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f s", r.duration_s);
      facts.push_back(buf);
    }
    if (!r.run_dir.empty()) facts.push_back("results in " + code(r.run_dir, false));
    if (!facts.empty()) {
      for (std::size_t i = 0; i < facts.size(); ++i) out << (i ? " · " : "") << facts[i];
      out << "\n\n";
    }
    for (const std::string& note : r.notes) out << "> " << cell(note, false) << "\n";
    if (!r.notes.empty()) out << "\n";
    out << "| Result | Check | Scope | Measured | Limit |\n";
    out << "|---|---|---|---:|---|\n";
    for (const CheckRow& row : r.rows)
      out << "| " << icon(row.verdict) << " | " << code(row.name) << " | " << cell(row.scope) << " | "
          << cell(row.measured) << " | " << cell(row.limit) << " |\n";
    bool any = false;
    for (const CheckRow& row : r.rows) {
      if (row.passed()) continue;
      if (!any) out << "\n";
      any = true;
      out << "- " << code(row.name, false) << ": " << cell(row.message, false) << "\n";
    }
  }
}

void write_markdown_file(const std::filesystem::path& path, const std::vector<GateReport>& reports) {
  write_report_file(path, reports, write_markdown_summary);
}

}  // namespace stampede::gate
