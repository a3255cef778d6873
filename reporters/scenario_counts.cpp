#include "reporters/scenario_counts.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "reporters/text_cells.h"

namespace stampede::reporters {
namespace {

struct Totals {
  std::uint64_t skipped = 0;
  std::uint64_t invalid_cookies = 0;
};

// The aggregated row's, or the endpoints' summed when it has none (a live folder's
// aggregate rebuilt from an empty history).
Totals totals_of(const results::RunResult& result) {
  Totals t{result.aggregated.skipped, result.aggregated.invalid_cookies};
  if (t.skipped > 0 || t.invalid_cookies > 0) return t;
  for (const results::EndpointStats& e : result.endpoints) {
    t.skipped += e.skipped;
    t.invalid_cookies += e.invalid_cookies;
  }
  return t;
}

}  // namespace

bool has_scenario_counts(const results::RunResult& result) {
  const Totals t = totals_of(result);
  return t.skipped > 0 || t.invalid_cookies > 0;
}

void print_scenario_counts(std::ostream& out, const results::RunResult& result, const TableOptions& options) {
  const Totals t = totals_of(result);
  if (t.skipped == 0 && t.invalid_cookies == 0) return;
  out << "Skipped (their `when` false): " << t.skipped << " | Set-Cookie headers ignored (invalid): "
      << t.invalid_cookies << '\n';
  std::vector<const results::EndpointStats*> rows;
  for (const results::EndpointStats& e : result.endpoints)
    if (e.skipped > 0 || e.invalid_cookies > 0) rows.push_back(&e);
  std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return std::tie(a->name, a->method) < std::tie(b->name, b->method);
  });
  for (const results::EndpointStats* e : rows) {
    std::string line = "  " + endpoint_cells(e->method, e->name, options.name_width);
    if (e->skipped > 0) line += " " + right(std::to_string(e->skipped), kCountWidth) + " skipped";
    if (e->invalid_cookies > 0)
      line += " " + right(std::to_string(e->invalid_cookies), kCountWidth) + " cookies ignored";
    out << line << '\n';
  }
}

}  // namespace stampede::reporters
