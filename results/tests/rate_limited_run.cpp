// make_rate_limited_run(): the sample run against a rate-limited server, the content of
// results/tests/fixtures/rate-limited-run/ (sample_run.h).
#include <map>
#include <string>
#include <utility>

#include "sample_run.h"

namespace stampede::results::testing {

RunResult make_rate_limited_run() {
  RunResult run = make_sample_run();
  run.info.label = "rate-limited";
  std::map<std::pair<std::string, std::string>, std::uint64_t> totals;
  for (HistoryPoint& p : run.history) {
    const auto second = static_cast<std::uint64_t>(p.elapsed_s);
    for (IntervalEndpoint& ie : p.endpoints) {
      if (ie.name != "/api/items/[id]" || second < 4) continue;
      // The limiter's bucket is empty from the fourth second: a share of what had succeeded
      // is answered 429 instead (never more than requests - failures).
      ie.rate_limited = (ie.requests - ie.failures) * (second - 3) / 10;
      totals[{ie.name, ie.method}] += ie.rate_limited;
    }
  }
  run.aggregated.rate_limited = 0;
  for (EndpointStats& e : run.endpoints) {
    e.rate_limited = totals[{e.name, e.method}];
    run.aggregated.rate_limited += e.rate_limited;
  }
  return run;
}

}  // namespace stampede::results::testing
