// Thresholds: the bytes as one threshold expression, as `--threshold`, `stampede check` and
// a scenario's "thresholds" array hand it to gate::parse_threshold. One that parses is
// evaluated on two committed result folders (a plain run, a lab run with shards and
// history for `over` windows and a warm-up) and written out as the gate's console table,
// JUnit XML and Markdown summary, where its text lands verbatim. A ThresholdError is the
// expected answer to bad input; anything else is a bug.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string_view>
#include <vector>

#include "gate/evaluate.h"
#include "gate/junit.h"
#include "gate/markdown.h"
#include "gate/report.h"
#include "gate/threshold.h"
#include "results/result_folder.h"

namespace {

using namespace stampede;

const std::vector<results::RunResult>& runs() {
  static const std::vector<results::RunResult> loaded = [] {
    std::vector<results::RunResult> out;
    for (const char* dir : {"/results/tests/fixtures/sample-run", "/results/tests/fixtures/lab-run"})
      out.push_back(results::read_result_folder(std::string(STAMPEDE_SOURCE_DIR) + dir));
    return out;
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  gate::Threshold threshold;
  try {
    threshold = gate::parse_threshold(text);
  } catch (const gate::ThresholdError& e) {
    (void)e.column();
    return 0;
  }
  (void)threshold.format_limit();
  (void)threshold.metric_name();
  for (const results::RunResult& run : runs()) {
    std::vector<gate::Outcome> outcomes;
    outcomes.push_back(gate::evaluate(threshold, run));
    outcomes.push_back(gate::evaluate(threshold, run, {std::chrono::seconds(2)}));
    (void)threshold.format_value(outcomes.back().measured);
    const std::vector<gate::GateReport> reports{gate::make_threshold_report(run, "fuzz-run", outcomes)};
    std::ostringstream out;
    gate::write_gate_table(out, reports.front());
    gate::write_junit(out, reports);
    gate::write_markdown_summary(out, reports);
  }
  return 0;
}
