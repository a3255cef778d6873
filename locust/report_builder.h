// report_builder: the engine's history intervals (results/run_result.h HistoryPoint, what
// the engine appends to history.jsonl every second) turned into Locust stats deltas, the
// way a stampede worker reports to its master.
//
// Every request of an interval is reported once: its endpoint's entry gets the interval's
// requests, failures and bytes; its response times come from the interval's histogram,
// bucket by bucket (each bucket's midpoint, exact below 2.048 ms, within 0.1 % above, then
// Locust's rounding), while the sum, min and max are the histogram's exact ones. Requests
// and failures per second are filed under the wall-clock second of the interval's middle.
// Failure texts are not in the history: add_failures() takes rows (e.g. the final
// stats.json's) and reports them as Locust's errors table.
//
// Thread-safety: none; one owner.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "locust/messages.h"
#include "results/run_result.h"

namespace stampede::locust {

class ReportBuilder {
 public:
  explicit ReportBuilder(double start_unix_s) : start_unix_s_(start_unix_s) {}

  void add(const results::HistoryPoint& point);
  void add_failures(const std::vector<results::FailureStats>& rows);

  // The report of everything added since the last take (entries with activity only), and
  // a fresh start at `now_unix_s`.
  StatsReport take(const std::map<std::string, int>& user_classes_count, double now_unix_s);

 private:
  double start_unix_s_;
  std::map<std::pair<std::string, std::string>, StatsEntry> entries_;  // (name, method)
  std::map<std::string, StatsErrorEntry> errors_;
};

}  // namespace stampede::locust
