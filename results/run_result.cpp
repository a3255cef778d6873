#include "results/run_result.h"

namespace stampede::results {

IntervalEndpoint HistoryPoint::total() const {
  IntervalEndpoint sum;
  sum.name = kAggregatedName;
  for (const IntervalEndpoint& e : endpoints) {
    sum.requests += e.requests;
    sum.failures += e.failures;
    sum.content_bytes += e.content_bytes;
    sum.latency.merge(e.latency);
  }
  return sum;
}

}  // namespace stampede::results
