#include "gate/tests/sample_report.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace stampede::gate::testing {

GateReport sample_report() {
  results::RunResult run;
  run.info.label = "nightly <main>";
  run.info.scenario_name = "coupon";
  run.info.started_unix_ms = 1795000000000;
  run.info.duration_s = 60;
  results::EndpointStats grab;
  grab.method = "POST";
  grab.name = "/api/coupon/grab [Hot Room]";
  grab.requests = 1000;
  grab.failures = 30;
  for (int i = 1; i <= 1000; ++i) grab.latency.record(static_cast<std::uint64_t>(i) * 100);
  run.endpoints = {grab};
  run.aggregated = grab;
  run.aggregated.method = "";
  run.aggregated.name = results::kAggregatedName;
  std::vector<Threshold> thresholds = {
      parse_threshold("p95 < 150ms"),
      parse_threshold(R"(p99{name="/api/coupon/grab [Hot Room]"} < 80ms)"),
      parse_threshold("error_rate < 1%"),
      parse_threshold(R"(avg{name="a|b & 'c' <d>"} < 1s)"),
  };
  return make_threshold_report(run, "results/runs/20261122-053000-nightly", evaluate_all(thresholds, run));
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(STAMPEDE_SOURCE_DIR) + "/gate/tests/golden/" + name;
  const char* update = std::getenv("STAMPEDE_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << "missing golden file " << path
                         << " (run with STAMPEDE_UPDATE_GOLDEN=1 to create it)";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), actual) << "golden file " << path << " differs";
}

}  // namespace stampede::gate::testing
