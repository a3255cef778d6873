// Result folders: the bytes as the files of one result folder, read the way the GUI, the
// gate and `stampede compare` open any folder they are pointed at (read_result_folder),
// followed the way the GUI follows a live run (read_history_since, append_history), and
// then used by every reader of a RunResult: the console tables, the shard tables, the
// Locust CSVs, the shard metrics, the comparison report in all its formats, and the gate
// (`stampede check FOLDER`: thresholds of every kind, windows and a warm-up included).
//
// Input: the files' contents separated by NUL bytes, in the order of kFiles; a file the
// input does not reach is absent (so "{...}" alone is a folder with only run.json). JSON
// never contains a raw NUL, so committed folders concatenate into seeds unchanged.
// A std::runtime_error naming the file is the reader's answer to a bad folder; anything
// else is a bug.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "fuzz/scratch_dir.h"
#include "gate/evaluate.h"
#include "gate/report.h"
#include "reporters/comparison.h"
#include "reporters/console_table.h"
#include "reporters/locust_csv.h"
#include "reporters/shard_table.h"
#include "results/result_folder.h"
#include "results/shard_metrics.h"

namespace {

using namespace stampede;

constexpr const char* kFiles[] = {"run.json", "history.jsonl", "stats.json", "server.json", "scenario.json"};

// One threshold of each way evaluate reads a run: whole-run figures, a selector, a shard,
// a sliding window over the history; the open model's service time and dropped arrivals;
// the exchange figures (connect, TLS, time to first byte, the Server-Timing cache).
const std::vector<gate::Threshold>& thresholds() {
  static const std::vector<gate::Threshold> parsed = [] {
    std::vector<gate::Threshold> out;
    for (const char* text : {"p95 < 150ms", "error_rate < 1%", "rps > 10", R"(avg{method="POST"} < 1s)",
                             "p99{shard=1} < 20ms", "count{shard=0} > 1", "p50 < 1s over 2s", "rps > 1 over 3s",
                             "service.p99 < 20ms", R"(dropped{method="GET"} < 1)", "service.max < 1s over 2s",
                             "dropped < 1 over 2s", "connect.p95 < 5ms", R"(ttfb.p99{method="GET"} < 1s over 2s)",
                             "tls.max < 1s", "cache_hit_ratio > 50% over 2s"})
      out.push_back(gate::parse_threshold(text));
    return out;
  }();
  return parsed;
}

void show(const results::RunResult& run) {
  std::ostringstream out;
  reporters::print_final_summary(out, run);
  reporters::print_live_table(out, run);
  reporters::print_shard_tables(out, run);
  (void)reporters::locust_stats_csv(run);
  (void)reporters::locust_stats_history_csv(run, true);
  (void)reporters::locust_failures_csv(run);
  const auto shards = results::shard_totals(run);
  std::vector<double> touches;
  for (const auto& s : shards) touches.push_back(static_cast<double>(s.touches()));
  (void)results::balance_score(touches);
  (void)results::has_every_server_line(shards);

  std::vector<reporters::ComparedRun> compared{{"a", "fuzz/a", run}, {"b", "fuzz/b", run}};
  const reporters::Comparison comparison = reporters::build_comparison(std::move(compared));
  (void)reporters::comparison_console(comparison);
  (void)reporters::comparison_markdown(comparison);
  (void)reporters::comparison_html(comparison);
  (void)reporters::comparison_json(comparison).dump();

  for (const auto warmup : {std::chrono::milliseconds(0), std::chrono::milliseconds(2000)}) {
    const auto outcomes = gate::evaluate_all(thresholds(), run, {warmup});
    gate::write_gate_table(out, gate::make_threshold_report(run, "fuzz/a", outcomes));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::ScratchDir dir("result-folder");
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> parts;
  for (bool more = true; more && parts.size() < std::size(kFiles);) {
    const std::size_t end = rest.find('\0');
    more = end != std::string_view::npos;
    parts.push_back(rest.substr(0, end));
    rest = more ? rest.substr(end + 1) : std::string_view();
  }
  for (std::size_t i = 0; i < std::size(kFiles); ++i) {
    if (i < parts.size()) {
      dir.write(kFiles[i], parts[i]);
    } else {
      dir.remove(kFiles[i]);
    }
  }
  // A live run without stats.json is opened while its history has one line, and then
  // followed as the rest arrives (the GUI's LiveRunFollower).
  const bool live = parts.size() == 2;
  std::size_t first_line = 0;
  if (live) {
    first_line = parts[1].find('\n');
    first_line = first_line == std::string_view::npos ? 0 : first_line + 1;
    dir.write(kFiles[1], parts[1].substr(0, first_line));
  }

  results::RunResult run;
  try {
    run = results::read_result_folder(dir.path());
  } catch (const std::runtime_error&) {
    return 0;
  }
  show(run);
  if (live) {
    dir.write(kFiles[1], parts[1]);
    try {
      std::uintmax_t offset = first_line;
      results::append_history(run, results::read_history_since(dir.path(), offset));
    } catch (const std::runtime_error&) {
      return 0;
    }
    show(run);
  }
  return 0;
}
