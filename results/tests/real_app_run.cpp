// make_real_app_run(): the sample run as a scenario for a real application, the content of
// results/tests/fixtures/real-app-run/ (sample_run.h).
#include <map>
#include <string>
#include <utility>

#include "sample_run.h"

namespace stampede::results::testing {

RunResult make_real_app_run() {
  RunResult run = make_sample_run();
  run.info.label = "real-app";
  std::map<std::pair<std::string, std::string>, std::pair<std::uint64_t, std::uint64_t>> totals;
  for (HistoryPoint& p : run.history) {
    const auto second = static_cast<std::uint64_t>(p.elapsed_s);
    for (IntervalEndpoint& ie : p.endpoints) {
      // The cart is skipped (its `when` false) every other second; the item pages set a
      // cookie with a bad Expires in the first three seconds.
      if (ie.name == "/api/cart") ie.skipped = second % 2;
      if (ie.name == "/api/items/[id]" && second <= 3) ie.invalid_cookies = 2;
    }
    if (second >= 3 && second <= 5) {
      // A logout whose `when` never held: a row that was only skipped.
      IntervalEndpoint logout;
      logout.method = "POST";
      logout.name = "/logout";
      logout.skipped = 1;
      p.endpoints.push_back(logout);
    }
    for (const IntervalEndpoint& ie : p.endpoints) {
      auto& [skipped, invalid] = totals[{ie.name, ie.method}];
      skipped += ie.skipped;
      invalid += ie.invalid_cookies;
    }
  }
  EndpointStats logout;
  logout.method = "POST";
  logout.name = "/logout";
  run.endpoints.push_back(logout);  // sorted by (name, method): "/logout" after "/api/..."
  run.aggregated.skipped = 0;
  run.aggregated.invalid_cookies = 0;
  for (EndpointStats& e : run.endpoints) {
    const auto& [skipped, invalid] = totals[{e.name, e.method}];
    e.skipped = skipped;
    e.invalid_cookies = invalid;
    run.aggregated.skipped += skipped;
    run.aggregated.invalid_cookies += invalid;
  }
  return run;
}

}  // namespace stampede::results::testing
