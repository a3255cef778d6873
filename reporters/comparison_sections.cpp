#include "reporters/comparison_sections.h"

#include <cstdio>

#include "reporters/comparison_exchange.h"
#include "reporters/comparison_rate_limited.h"
#include "reporters/comparison_format.h"

namespace stampede::reporters {

namespace {

constexpr Align L = Align::left;
constexpr Align R = Align::right;

std::string endpoint_title(const EndpointRow& row) { return row.method + " " + row.name; }

std::string or_unknown(const std::string& s) { return s.empty() ? kAbsent : s; }

std::string shard_list(const std::vector<int>& shards) {
  std::string out;
  for (int s : shards) out += (out.empty() ? "" : ",") + std::to_string(s);
  return out.empty() ? kAbsent : out;
}

ReportSection runs_section(const Comparison& c) {
  ReportSection s{"runs", "Runs", c.warnings, {}, {}, {}};
  ReportTable t{{"Run", "status", "duration", "users", "scenario", "store", "strategy", "shards", "requests", "fail %",
                 "server.json"},
                {L, L, R, R, L, L, L, R, R, R, L},
                {},
                4};
  for (const RunHeader& h : c.runs) {
    t.rows.push_back({h.label, h.status, fmt_seconds(h.duration_s), std::to_string(h.users), or_unknown(h.scenario_name),
                      or_unknown(h.store), or_unknown(h.strategy), h.shard_count > 0 ? std::to_string(h.shard_count) : kAbsent,
                      fmt_count(h.requests),
                      h.requests > 0 ? fmt_pct(100.0 * static_cast<double>(h.failures) / static_cast<double>(h.requests)) : kAbsent,
                      h.has_server_report ? "yes" : "no"});
    s.bullets.push_back(h.label + ": " + h.folder);
  }
  s.tables.push_back({"", std::move(t)});
  return s;
}

const char* outcome_mark(ComparisonCheck::Outcome outcome) {
  switch (outcome) {
    case ComparisonCheck::Outcome::met: return "[met] ";
    case ComparisonCheck::Outcome::not_met: return "[NOT met] ";
    case ComparisonCheck::Outcome::not_checked: return "[not checked] ";
  }
  return "[not checked] ";
}

// A caller's checks as they are: one bullet per check, then the note and where they come from.
ReportSection check_section(const CheckSection& checks) {
  ReportSection s{checks.id, checks.title, {}, {}, {}, {}};
  for (const ComparisonCheck& check : checks.checks)
    s.bullets.push_back(outcome_mark(check.outcome) + check.claim + " — " + check.detail);
  if (!checks.note.empty()) s.notes.push_back(checks.note);
  if (!checks.about.empty()) s.notes.push_back(checks.about);
  return s;
}

ReportSection endpoints_section(const Comparison& c) {
  ReportSection s{"endpoints", "Endpoints", {}, {}, {}, {}};
  const std::string base = c.runs.front().label;
  ReportTable t{{"Endpoint", "Run", "reqs", "req/s", "fail %", "p50 ms", "p95 ms", "p99 ms", "p50 ×r", "p95 ×r",
                 "p99 ×r", "req/s ×r"},
                {L, L, R, R, R, R, R, R, R, R, R, R},
                {},
                0,
                // The console keeps p95 and req/s ratios (120 columns); Markdown/HTML show all.
                {false, false, false, false, false, false, false, false, true, false, true, false}};
  bool any_fastest = false;
  for (const EndpointRow& row : c.endpoints) {
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const EndpointCell& e = row.runs[i];
      const bool fastest = row.fastest && *row.fastest == i;
      any_fastest |= fastest;
      std::vector<std::string> cells{i == 0 ? endpoint_title(row) : "", c.runs[i].label + (fastest ? " *" : "")};
      if (!e.present) {
        cells.insert(cells.end(), {"0", kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent});
      } else {
        cells.insert(cells.end(), {fmt_count(e.requests), fmt_rate(e.rps), fmt_pct(e.failure_pct), fmt_ms(e.p50_ms),
                                   fmt_ms(e.p95_ms), fmt_ms(e.p99_ms), fmt_ratio(e.p50_ratio), fmt_ratio(e.p95_ratio),
                                   fmt_ratio(e.p99_ratio), fmt_ratio(e.rps_ratio)});
      }
      t.rows.push_back(std::move(cells));
    }
  }
  s.tables.push_back({"", std::move(t)});
  if (any_fastest) s.notes.push_back("* lowest p95 of the runs for that endpoint.");
  s.notes.push_back("×r = this run's value / " + base + "'s value (for p95, above 1 = slower than " + base +
                    "); — = no requests in one of the two runs.");
  if (c.any_open_model)
    s.notes.push_back("p50/p95/p99 of an open-model run are its latency from each request's intended start; service "
                      "time and dropped arrivals: see \"Open model\".");
  return s;
}

std::string model_text(const RunHeader& h) {
  if (!h.open_model) return "closed, " + std::to_string(h.users) + " users";
  char rate[32];
  std::snprintf(rate, sizeof rate, "%g", h.open_model->arrival_rate);
  return std::string("open, ") + (h.open_model->shape ? "up to " : "") + rate + "/s " +
         std::string(results::to_string(h.open_model->arrivals));
}

// The open model's figures, when a run is open-model: each run's schedule and drops, then
// per endpoint the dropped arrivals and the service time beside the intended-start p99.
ReportSection open_model_section(const Comparison& c) {
  ReportSection s{"open", "Open model: dropped arrivals and service time", {}, {}, {}, {}};
  ReportTable runs{{"Run", "model", "arrivals", "started", "dropped", "dropped %", "max lag ms"},
                   {L, L, R, R, R, R, R},
                   {},
                   1};
  for (const RunHeader& h : c.runs) {
    if (!h.open_model) {
      runs.rows.push_back({h.label, model_text(h), kAbsent, kAbsent, "0", kAbsent, kAbsent});
      continue;
    }
    const results::OpenModelInfo& o = *h.open_model;
    const std::uint64_t arrivals = o.iterations_started + o.dropped;
    runs.rows.push_back({h.label, model_text(h), fmt_count(arrivals), fmt_count(o.iterations_started),
                         fmt_count(o.dropped),
                         arrivals > 0 ? fmt_pct(100.0 * static_cast<double>(o.dropped) / static_cast<double>(arrivals))
                                      : kAbsent,
                         fmt_fixed(o.max_schedule_lag_ms, 1)});
  }
  s.tables.push_back({"", std::move(runs)});
  ReportTable t{{"Endpoint", "Run", "reqs", "dropped", "p99 ms", "svc p99 ms", "svc p99 ×r"}, {L, L, R, R, R, R, R}, {}, 0};
  for (const EndpointRow& row : c.endpoints) {
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const EndpointCell& e = row.runs[i];
      t.rows.push_back({i == 0 ? endpoint_title(row) : "", c.runs[i].label, fmt_count(e.requests),
                        fmt_count(e.dropped), e.present ? fmt_ms(e.p99_ms) : kAbsent,
                        e.service_p99_ms ? fmt_ms(*e.service_p99_ms) : kAbsent, fmt_ratio(e.service_p99_ratio)});
    }
  }
  s.tables.push_back({"Per endpoint", std::move(t)});
  s.notes.push_back("p99 ms: in an open-model run the latency from each request's intended start (the schedule), in a "
                    "closed-model run from the send; svc p99 = service time, from the actual send (a closed-model run's "
                    "p99: the same figure); dropped = arrivals not sent because no user was free under --max-users "
                    "(none in the closed model); max lag = the latest an arrival started after its due time.");
  return s;
}

ReportSection fanout_section(const Comparison& c) {
  ReportSection s{"fanout", "Shards touched per endpoint", {}, {}, {}, {}};
  ReportTable t{{"Endpoint", "Run", "shards/req", "single %", "touched", "hot shard", "hot %", "shard p95 ms", "p95 ms",
                 "fan-out"},
                {L, L, R, R, L, R, R, R, R, L},
                {},
                0,
                // The console leaves the two p95 columns out (120 columns); Markdown/HTML show them.
                {false, false, false, false, false, false, false, true, true, false}};
  for (const EndpointRow& row : c.endpoints) {
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const EndpointCell& e = row.runs[i];
      std::vector<std::string> cells{i == 0 ? endpoint_title(row) : "", c.runs[i].label};
      if (!e.present || e.shard_touches == 0) {
        cells.insert(cells.end(), {kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent,
                                   e.present ? fmt_ms(e.p95_ms) : kAbsent, e.present ? e.fan_out : "no requests"});
      } else {
        cells.insert(cells.end(), {fmt_fixed(e.avg_shards, 2), fmt_pct(e.single_shard_pct), shard_list(e.shards_touched),
                                   std::to_string(e.largest_shard), fmt_pct(e.largest_shard_pct),
                                   e.shard_p95_ms ? fmt_ms(*e.shard_p95_ms) : kAbsent, fmt_ms(e.p95_ms), e.fan_out});
      }
      t.rows.push_back(std::move(cells));
    }
  }
  s.tables.push_back({"", std::move(t)});
  s.notes.push_back("shards/req = shard touches (Server-Timing shard-<k> entries) / requests; single % = share of "
                    "requests whose response named exactly one shard; touched = shards named at least once; hot shard = "
                    "the one named most, hot % its share of the endpoint's shard touches; shard p95 ms (Markdown and "
                    "HTML) = p95 of this endpoint's shard queries as the server timed them (Server-Timing dur), next to the whole request's "
                    "p95 ms: a wide gap is time spent outside the shard queries.");
  return s;
}

ReportSection hot_section(const Comparison& c) {
  ReportSection s{"hot", "Hot shard per write endpoint", {}, {}, {}, {}};
  ReportTable t{{"Endpoint", "Run", "largest shard", "its share", "shard touches"}, {L, L, R, R, R}, {}, 0};
  for (const EndpointRow& row : c.endpoints) {
    if (!row.is_write) continue;
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const EndpointCell& e = row.runs[i];
      const bool known = e.present && e.shard_touches > 0;
      t.rows.push_back({i == 0 ? endpoint_title(row) : "", c.runs[i].label,
                        known ? std::to_string(e.largest_shard) : kAbsent, known ? fmt_pct(e.largest_shard_pct) : kAbsent,
                        fmt_count(e.shard_touches)});
    }
  }
  ReportTable all{{"Run", "largest shard", "its share of all writes", "writes", "even share"}, {L, R, R, R, R}, {}, 0};
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    const RunShards& sh = c.shards[i];
    const bool known = sh.write_touches > 0;
    all.rows.push_back({c.runs[i].label, known ? std::to_string(sh.largest_write_shard) : kAbsent,
                        known ? fmt_pct(sh.largest_write_pct) : kAbsent, fmt_count(sh.write_touches),
                        sh.shards.empty() ? kAbsent : fmt_pct(100.0 / static_cast<double>(sh.shards.size()))});
  }
  if (!t.rows.empty()) s.tables.push_back({"Per write endpoint: the largest shard's share of its shard touches", std::move(t)});
  s.tables.push_back({"All writes", std::move(all)});
  return s;
}

ReportSection shards_section(const Comparison& c) {
  ReportSection s{"shards", "Per shard", {}, {}, {}, {}};
  ReportTable t{{"Run", "shard", "writes", "writes %", "queries", "queries %", "shard p95 ms", "result rows"},
                {L, R, R, R, R, R, R, R},
                {},
                0};
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    for (const ShardCell& cell : c.shards[i].shards) {
      t.rows.push_back({c.runs[i].label, std::to_string(cell.shard), fmt_count(cell.write_touches), fmt_pct(cell.write_pct),
                        fmt_count(cell.query_touches), fmt_pct(cell.query_pct),
                        cell.shard_p95_ms ? fmt_ms(*cell.shard_p95_ms) : kAbsent,
                        cell.result_rows ? fmt_count(*cell.result_rows) : "n/a"});
    }
  }
  if (t.rows.empty()) s.notes.push_back("No run has shard data (no Server-Timing shard entries, no server.json).");
  else s.tables.push_back({"", std::move(t)});
  s.notes.push_back("writes / queries = shard touches of write (POST, PUT, PATCH, DELETE) / other endpoints; shard p95 = "
                    "the shard's own time from Server-Timing dur; result rows = coupon_results rows at the end "
                    "(server.json; n/a without it).");
  return s;
}

ReportSection balance_section(const Comparison& c) {
  ReportSection s{"balance", "Balance (100 = even)", {}, {}, {}, {}};
  ReportTable t{{"Run", "writes", "queries", "result rows", "largest rows shard", "its share"}, {L, R, R, R, R, R}, {}, 0};
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    const RunShards& sh = c.shards[i];
    t.rows.push_back({c.runs[i].label, sh.write_touches > 0 ? fmt_score(sh.write_balance) : kAbsent,
                      sh.query_touches > 0 ? fmt_score(sh.query_balance) : kAbsent, fmt_score(sh.rows_balance),
                      sh.largest_rows_shard ? std::to_string(*sh.largest_rows_shard) : "n/a",
                      sh.largest_rows_shard ? fmt_pct(sh.largest_rows_pct) : "n/a"});
  }
  s.tables.push_back({"", std::move(t)});
  s.notes.push_back("balance = 100 × (1 − population standard deviation / mean) of the per-shard values, clamped to "
                    "[0, 100]; one shard or a mean of 0 scores 100.");
  return s;
}

ReportSection reshard_section(const Comparison& c) {
  ReportSection s{"reshard", "Resharding", {}, {}, {}, {}};
  if (c.reshard.empty()) {
    s.notes.push_back("No run has a resharding estimate (server.json reshard).");
    return s;
  }
  ReportTable head{{"Run", "strategy", "shards", "rows", "moved", "moved %", "how"}, {L, L, R, R, R, R, L}, {}, 6};
  for (const ReshardCell& r : c.reshard) {
    if (!r.own) continue;
    head.rows.push_back({c.runs[r.run].label, r.strategy,
                         std::to_string(r.from_shards) + " → " + std::to_string(r.to_shards), fmt_count(r.rows),
                         fmt_count(r.moved), fmt_pct(r.moved_pct), r.how});
  }
  if (!head.rows.empty()) s.tables.push_back({"Each run's own strategy", std::move(head)});
  ReportTable matrix{{"Run (rows of)"}, {L}, {}, 0};
  for (const std::string& st : c.reshard_strategies) {
    matrix.header.push_back(st + " moved");
    matrix.align.push_back(R);
  }
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    std::vector<std::string> row{c.runs[i].label};
    bool any = false;
    for (const std::string& st : c.reshard_strategies) {
      std::string cell = kAbsent;
      for (const ReshardCell& r : c.reshard) {
        if (r.run != i || r.strategy != st) continue;
        cell = fmt_count(r.moved) + " (" + fmt_pct(r.moved_pct) + ")";
        any = true;
      }
      row.push_back(cell);
    }
    if (any) matrix.rows.push_back(std::move(row));
  }
  s.tables.push_back({"Every strategy, estimated from each run's rows", std::move(matrix)});
  s.notes.push_back("The server estimates every strategy from the rows it stores (the keys do not depend on the strategy "
                    "that stored them); N → K is the move it assumed.");
  return s;
}

}  // namespace

std::vector<std::string> comparison_definitions() {
  return {
      "Ratios: ×r = a run's value / the first run's value for the same endpoint; — when either run has no requests "
      "for it (never a division by zero).",
      "p50/p95/p99: end-to-end latency percentiles from each run's histogram (within 0.1%), in milliseconds; "
      "req/s = requests / run duration.",
      "Writes are POST, PUT, PATCH and DELETE endpoints; queries are all other methods. A shard's share = its shard "
      "touches (responses naming it in Server-Timing) / all shard touches of that kind in the run.",
      "Balance score = 100 × (1 − CV), CV = population standard deviation / mean of the per-shard values, clamped to "
      "[0, 100]. 100 = perfectly even; 0 = CV ≥ 1 (e.g. one of four shards taking everything, CV = √3). A single "
      "shard or a mean of 0 scores 100.",
      "Fan-out = shard touches / requests: 1 shard = each request was answered by one shard; fan-out to N = each "
      "request touched all N shards it used.",
      "Hot shard = the shard with the most touches of an endpoint (or of all writes); its share of those touches.",
      "Result rows and resharding come from server.json (what the server reported after the run); n/a without it.",
  };
}

std::vector<ReportSection> comparison_sections(const Comparison& c) {
  std::vector<ReportSection> out;
  out.push_back(runs_section(c));
  out.push_back({"reading", "Reading", {}, c.reading, {}, {}});
  for (const CheckSection& checks : c.check_sections) out.push_back(check_section(checks));
  out.push_back(endpoints_section(c));
  if (c.any_rate_limited) out.push_back(rate_limited_section(c));
  if (c.any_open_model) out.push_back(open_model_section(c));
  if (c.any_exchange) out.push_back(exchange_section(c));
  out.push_back(fanout_section(c));
  out.push_back(hot_section(c));
  out.push_back(shards_section(c));
  out.push_back(balance_section(c));
  out.push_back(reshard_section(c));
  out.push_back({"notes", "Definitions", {}, comparison_definitions(), {}, {}});
  return out;
}

}  // namespace stampede::reporters
