#include "reporters/comparison_rate_limited.h"

#include <algorithm>
#include <string>

#include "reporters/comparison_format.h"

namespace stampede::reporters {

namespace {

constexpr Align L = Align::left;
constexpr Align R = Align::right;

std::string pct_of(std::uint64_t part, std::uint64_t whole) {
  return whole > 0 ? fmt_pct(100.0 * static_cast<double>(part) / static_cast<double>(whole)) : kAbsent;
}

}  // namespace

ReportSection rate_limited_section(const Comparison& c) {
  ReportSection s{"rate-limited", "Rate limited (HTTP 429)", {}, {}, {}, {}};
  ReportTable runs{{"Run", "requests", "rate limited", "limited %", "fail %"}, {L, R, R, R, R}, {}, 1};
  for (const RunHeader& h : c.runs) {
    runs.rows.push_back({h.label, fmt_count(h.requests), fmt_count(h.rate_limited), pct_of(h.rate_limited, h.requests),
                         pct_of(h.failures, h.requests)});
  }
  s.tables.push_back({"", std::move(runs)});
  ReportTable t{{"Endpoint", "Run", "reqs", "rate limited", "limited %"}, {L, L, R, R, R}, {}, 0};
  for (const EndpointRow& row : c.endpoints) {
    if (std::none_of(row.runs.begin(), row.runs.end(), [](const EndpointCell& e) { return e.rate_limited > 0; }))
      continue;
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const EndpointCell& e = row.runs[i];
      t.rows.push_back({i == 0 ? row.method + " " + row.name : "", c.runs[i].label, fmt_count(e.requests),
                        fmt_count(e.rate_limited), e.present ? pct_of(e.rate_limited, e.requests) : kAbsent});
    }
  }
  s.tables.push_back({"Per endpoint (those rate limited in some run)", std::move(t)});
  s.notes.push_back(
      "rate limited = requests answered HTTP 429 Too Many Requests (a server's or gateway's rate limit): counted in "
      "requests and the latencies, not in the failures (fail %); limited % = of the requests.");
  return s;
}

void add_rate_limited_json(nlohmann::json& into, std::uint64_t rate_limited, std::uint64_t requests) {
  into["rate_limited"] = rate_limited;
  into["rate_limited_pct"] =
      requests > 0 ? nlohmann::json(100.0 * static_cast<double>(rate_limited) / static_cast<double>(requests))
                   : nlohmann::json(nullptr);
}

}  // namespace stampede::reporters
