// Placeholder bodies so callers can link while the report is being written.
#include <stdexcept>

#include "reporters/comparison.h"

namespace stampede::reporters {

std::string default_run_label(const results::RunResult& run, const std::filesystem::path& folder) {
  const auto it = run.info.extra.find("strategy");
  if (it != run.info.extra.end() && it->is_string() && !it->get<std::string>().empty())
    return it->get<std::string>();
  if (!run.info.label.empty()) return run.info.label;
  return folder.filename().string();
}

double balance_score(const std::vector<double>&) { return 100; }

Comparison build_comparison(std::vector<ComparedRun> runs) {
  if (runs.empty()) throw std::invalid_argument("build_comparison: no runs to compare");
  Comparison c;
  for (const ComparedRun& r : runs) {
    RunHeader h;
    h.label = r.label;
    h.folder = r.folder.generic_string();
    h.status = r.run.info.status;
    c.runs.push_back(h);
  }
  return c;
}

std::string comparison_console(const Comparison&) { return "Comparison\n"; }
std::string comparison_markdown(const Comparison&) { return "# Comparison\n"; }
std::string comparison_html(const Comparison&) { return "<!DOCTYPE html><html><body></body></html>\n"; }
nlohmann::json comparison_json(const Comparison&) { return nlohmann::json::object(); }

}  // namespace stampede::reporters
