#include "reporters/rate_limited_lines.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "reporters/text_cells.h"

namespace stampede::reporters {

std::uint64_t rate_limited_total(const results::RunResult& result) {
  if (result.aggregated.rate_limited > 0) return result.aggregated.rate_limited;
  std::uint64_t total = 0;
  for (const results::EndpointStats& e : result.endpoints) total += e.rate_limited;
  return total;
}

void print_rate_limited(std::ostream& out, const results::RunResult& result, const TableOptions& options) {
  const std::uint64_t total = rate_limited_total(result);
  if (total == 0) return;
  std::uint64_t requests = result.aggregated.requests;
  if (requests == 0)
    for (const results::EndpointStats& e : result.endpoints) requests += e.requests;
  out << "Rate limited (HTTP 429, not failures): " << total << " of " << requests << " requests ("
      << format_percent(total, requests) << ")\n";
  std::vector<const results::EndpointStats*> rows;
  for (const results::EndpointStats& e : result.endpoints)
    if (e.rate_limited > 0) rows.push_back(&e);
  std::sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return std::tie(a->name, a->method) < std::tie(b->name, b->method);
  });
  for (const results::EndpointStats* e : rows) {
    out << "  " << endpoint_cells(e->method, e->name, options.name_width) << " "
        << right(std::to_string(e->rate_limited), kCountWidth) << " (" << format_percent(e->rate_limited, e->requests)
        << ")\n";
  }
}

}  // namespace stampede::reporters
