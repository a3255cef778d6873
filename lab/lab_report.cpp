#include "lab/lab_report.h"

#include <fstream>

#include "lab/shell_words.h"
#include "lab/variant_checks.h"
#include "lab/variants.h"
#include "reporters/comparison_files.h"
#include "reporters/report_table.h"

namespace stampede::lab {
namespace {

constexpr std::string_view kServersTitle = "Servers compared (one per variant, each on its own data)";

std::string role(std::size_t index) { return index == 0 ? " (baseline)" : ""; }

// After the first `lines` lines of `text` (the title), or at its end when it is shorter.
std::string insert_after_lines(const std::string& text, int lines, const std::string& block) {
  std::size_t at = 0;
  for (int i = 0; i < lines && at != std::string::npos; ++i) {
    at = text.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  if (at == std::string::npos || at > text.size()) return text + block;
  return text.substr(0, at) + block + text.substr(at);
}

std::string console_header(const std::vector<ReportedVariant>& variants) {
  std::string out = "\n" + std::string(kServersTitle) + ":\n";
  for (std::size_t i = 0; i < variants.size(); ++i)
    out += "  " + variants[i].name + role(i) + ": " + shell_join(variants[i].server_command) + "\n";
  return out;
}

std::string markdown_header(const std::vector<ReportedVariant>& variants) {
  std::string out = "\n**" + reporters::markdown_escape(kServersTitle) + "**\n\n";
  for (std::size_t i = 0; i < variants.size(); ++i) {
    std::string command = shell_join(variants[i].server_command);
    for (char& ch : command)
      if (ch == '`') ch = '\'';  // a code span cannot hold its own delimiter
    out += "- " + reporters::markdown_escape(variants[i].name) + role(i) + ": `" + command + "`\n";
  }
  return out;
}

std::string html_header(const std::vector<ReportedVariant>& variants) {
  std::string out = "<section id=\"variants\">\n<h2>" + reporters::html_escape(kServersTitle) + "</h2>\n<ul>\n";
  for (std::size_t i = 0; i < variants.size(); ++i)
    out += "<li>" + reporters::html_escape(variants[i].name) + role(i) + ": <code>" +
           reporters::html_escape(shell_join(variants[i].server_command)) + "</code></li>\n";
  return out + "</ul>\n</section>\n";
}

}  // namespace

std::optional<ReportedVariant> variant_of_run_folder(const std::filesystem::path& folder) {
  try {
    const std::filesystem::path dir = std::filesystem::weakly_canonical(folder);
    std::ifstream in(dir.parent_path() / "lab.json");
    if (!in) return std::nullopt;
    const nlohmann::json lab = nlohmann::json::parse(in);
    const std::string name = dir.filename().string();
    std::string variant;
    for (const auto& run : lab.at("runs"))
      if (run.value("folder", std::string()) == name) variant = run.at("variant").get<std::string>();
    if (variant.empty()) return std::nullopt;
    for (const auto& v : lab.at("variants")) {
      if (v.at("name").get<std::string>() != variant) continue;
      ReportedVariant out;
      out.name = variant;
      out.folder = folder;
      out.strategy = v.value("strategy", std::string());
      out.server_command = v.at("server_command").get<std::vector<std::string>>();
      // Every server flag besides the lab's own: --server-flags merged with the variant's.
      out.flags = merge_server_flags(lab.value("server_flags", std::vector<std::string>{}),
                                     split_shell_words(v.value("flags", std::string())));
      return out;
    }
  } catch (const std::exception&) {  // not a lab's lab.json, or one of another shape
  }
  return std::nullopt;
}

reporters::Comparison lab_comparison_of(const std::vector<ReportedVariant>& variants, bool strategy_variants) {
  std::vector<std::filesystem::path> folders;
  std::vector<VariantServer> servers;
  for (const ReportedVariant& v : variants) {
    folders.push_back(v.folder);
    servers.push_back({v.name, v.flags});
  }
  std::vector<reporters::ComparedRun> runs = reporters::read_compared_runs(folders);
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i].label = variants[i].name;  // unique by construction
  reporters::Comparison c = reporters::build_comparison(std::move(runs));
  add_checks_that_apply(c, servers, strategy_variants);
  return c;
}

LabReportTexts lab_report_texts(const reporters::Comparison& c, const std::vector<ReportedVariant>& variants) {
  LabReportTexts t;
  t.console = insert_after_lines(reporters::comparison_console(c), 2, console_header(variants));
  t.markdown = insert_after_lines(reporters::comparison_markdown(c), 1, markdown_header(variants));
  t.html = reporters::comparison_html(c);
  const std::size_t nav = t.html.find("<nav>");
  t.html.insert(nav == std::string::npos ? t.html.size() : nav, html_header(variants));
  t.json = reporters::comparison_json(c);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < variants.size(); ++i)
    list.push_back({{"name", variants[i].name},
                    {"baseline", i == 0},
                    {"strategy", variants[i].strategy},
                    {"flags", variants[i].flags},
                    {"server_command", variants[i].server_command}});
  t.json["variants"] = std::move(list);
  return t;
}

std::string write_lab_report(const std::filesystem::path& dir, const reporters::Comparison& c,
                             const std::vector<ReportedVariant>& variants) {
  LabReportTexts t = lab_report_texts(c, variants);
  reporters::write_text_file(dir / "report.md", t.markdown);
  reporters::write_text_file(dir / "report.html", t.html);
  reporters::write_text_file(dir / "report.json", t.json.dump(2) + "\n");
  return t.console;
}

}  // namespace stampede::lab
