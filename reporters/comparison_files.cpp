#include "reporters/comparison_files.h"

#include <stdexcept>

#include "results/result_folder.h"

namespace stampede::reporters {

std::vector<ComparedRun> read_compared_runs(const std::vector<std::filesystem::path>& folders) {
  std::vector<ComparedRun> runs;
  for (const auto& folder : folders) {
    if (!std::filesystem::is_directory(folder))
      throw std::runtime_error("'" + folder.string() + "' is not a result folder (no such directory)");
    if (!std::filesystem::is_regular_file(folder / "run.json"))
      throw std::runtime_error("'" + folder.string() + "' is not a result folder (no run.json)");
    ComparedRun run;
    try {
      run.run = results::read_result_folder(folder);
    } catch (const std::exception& e) {
      throw std::runtime_error("'" + folder.string() + "' is not a readable result folder: " + e.what());
    }
    run.folder = folder;
    run.label = default_run_label(run.run, folder);
    runs.push_back(std::move(run));
  }
  make_labels_unique(runs);
  return runs;
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  results::write_file_atomically(path, text);
}

}  // namespace stampede::reporters
