// The comparison as JSON: the model's numbers, unrounded, for scripts and the GUI.
// Absent values (no requests, no server.json) are null, never 0 or NaN. With a run that
// recorded exchange figures, every run and cell also has "exchange" (comparison_exchange.h).
#include "reporters/comparison.h"
#include "reporters/comparison_exchange.h"
#include "reporters/comparison_rate_limited.h"
#include "reporters/comparison_sections.h"

namespace stampede::reporters {

namespace {

using nlohmann::json;

template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// With an open-model run in the comparison, every cell also has dropped and service_p99_ms
// (and its ratio); without one, the JSON is as it was before the open model.
json open_model_json(json cell, const EndpointCell& e, bool open) {
  if (!open) return cell;
  cell["dropped"] = e.dropped;
  cell["service_p99_ms"] = opt(e.service_p99_ms);
  cell["service_p99_ratio"] = opt(e.service_p99_ratio);
  return cell;
}

json endpoint_cell_json(const EndpointCell& e) {
  if (!e.present) return json{{"present", false}, {"requests", 0}};
  return json{{"present", true},
              {"requests", e.requests},
              {"failures", e.failures},
              {"failure_pct", e.failure_pct},
              {"rps", e.rps},
              {"p50_ms", e.p50_ms},
              {"p95_ms", e.p95_ms},
              {"p99_ms", e.p99_ms},
              {"p50_ratio", opt(e.p50_ratio)},
              {"p95_ratio", opt(e.p95_ratio)},
              {"p99_ratio", opt(e.p99_ratio)},
              {"rps_ratio", opt(e.rps_ratio)},
              {"shard_touches", e.shard_touches},
              {"avg_shards", e.shard_touches > 0 ? json(e.avg_shards) : json(nullptr)},
              {"single_shard_pct", e.shard_touches > 0 ? json(e.single_shard_pct) : json(nullptr)},
              {"shards_touched", e.shards_touched},
              {"fan_out", e.fan_out},
              {"largest_shard", e.largest_shard >= 0 ? json(e.largest_shard) : json(nullptr)},
              {"largest_shard_pct", e.largest_shard >= 0 ? json(e.largest_shard_pct) : json(nullptr)},
              {"shard_p95_ms", opt(e.shard_p95_ms)}};
}

json shards_json(const RunShards& s) {
  json shards = json::array();
  for (const ShardCell& c : s.shards) {
    shards.push_back({{"shard", c.shard},
                      {"write_touches", c.write_touches},
                      {"write_pct", c.write_pct},
                      {"query_touches", c.query_touches},
                      {"query_pct", c.query_pct},
                      {"shard_p95_ms", opt(c.shard_p95_ms)},
                      {"result_rows", opt(c.result_rows)}});
  }
  const bool writes = s.write_touches > 0;
  return json{{"shards", shards},
              {"write_touches", s.write_touches},
              {"query_touches", s.query_touches},
              {"write_balance", writes ? json(s.write_balance) : json(nullptr)},
              {"query_balance", s.query_touches > 0 ? json(s.query_balance) : json(nullptr)},
              {"rows_balance", opt(s.rows_balance)},
              {"largest_write_shard", writes ? json(s.largest_write_shard) : json(nullptr)},
              {"largest_write_pct", writes ? json(s.largest_write_pct) : json(nullptr)},
              {"largest_rows_shard", opt(s.largest_rows_shard)},
              {"largest_rows_pct", s.largest_rows_shard ? json(s.largest_rows_pct) : json(nullptr)}};
}

const char* outcome_name(ComparisonCheck::Outcome o) {
  switch (o) {
    case ComparisonCheck::Outcome::met: return "met";
    case ComparisonCheck::Outcome::not_met: return "not_met";
    case ComparisonCheck::Outcome::not_checked: return "not_checked";
  }
  return "not_checked";
}

}  // namespace

nlohmann::json comparison_json(const Comparison& c) {
  json runs = json::array();
  for (std::size_t i = 0; i < c.runs.size(); ++i) {
    const RunHeader& h = c.runs[i];
    runs.push_back({{"label", h.label},
                    {"folder", h.folder},
                    {"status", h.status},
                    {"stop_reason", h.stop_reason},
                    {"scenario_name", h.scenario_name},
                    {"duration_s", h.duration_s},
                    {"run_time_s", h.run_time_s},
                    {"users", h.users},
                    {"strategy", h.strategy},
                    {"store", h.store},
                    {"shard_count", h.shard_count},
                    {"has_server_report", h.has_server_report},
                    {"requests", h.requests},
                    {"failures", h.failures},
                    {"shards", shards_json(c.shards[i])}});
    if (c.any_exchange) runs.back()["exchange"] = exchange_json(h.exchange);
    if (c.any_rate_limited) add_rate_limited_json(runs.back(), h.rate_limited, h.requests);
    if (c.any_open_model) {
      json& run = runs.back();
      run["dropped"] = h.dropped;
      run["open_model"] = h.open_model ? json{{"arrival_rate", h.open_model->arrival_rate},
                                              {"arrivals", results::to_string(h.open_model->arrivals)},
                                              {"shape", h.open_model->shape},
                                              {"max_users", h.open_model->max_users},
                                              {"iterations_started", h.open_model->iterations_started},
                                              {"dropped", h.open_model->dropped},
                                              {"max_schedule_lag_ms", h.open_model->max_schedule_lag_ms}}
                                       : json(nullptr);
    }
  }
  json endpoints = json::array();
  for (const EndpointRow& row : c.endpoints) {
    json cells = json::array();
    for (const EndpointCell& e : row.runs) {
      cells.push_back(open_model_json(endpoint_cell_json(e), e, c.any_open_model));
      if (c.any_exchange) {
        cells.back()["exchange"] = exchange_json(e.exchange);
        cells.back()["ttfb_p95_ratio"] = opt(e.ttfb_p95_ratio);
      }
      if (c.any_rate_limited) add_rate_limited_json(cells.back(), e.rate_limited, e.requests);
    }
    endpoints.push_back({{"method", row.method},
                         {"name", row.name},
                         {"is_write", row.is_write},
                         {"fastest", row.fastest ? json(c.runs[*row.fastest].label) : json(nullptr)},
                         {"runs", cells}});
  }
  json reshard = json::array();
  for (const ReshardCell& r : c.reshard) {
    reshard.push_back({{"run", c.runs[r.run].label},
                       {"strategy", r.strategy},
                       {"from_shards", r.from_shards},
                       {"to_shards", r.to_shards},
                       {"rows", r.rows},
                       {"moved", r.moved},
                       {"moved_pct", r.moved_pct},
                       {"how", r.how},
                       {"own", r.own}});
  }
  json doc{{"comparison_format_version", 1},
           {"baseline", c.runs.front().label},
           {"runs", runs},
           {"warnings", c.warnings},
           {"endpoints", endpoints},
           {"reshard", reshard},
           {"reading", c.reading},
           {"definitions", comparison_definitions()}};
  for (const CheckSection& section : c.check_sections) {
    json checks = json::array();
    for (const ComparisonCheck& s : section.checks)
      checks.push_back({{"claim", s.claim}, {"outcome", outcome_name(s.outcome)}, {"detail", s.detail}});
    doc[section.id + "_checks"] = std::move(checks);
    doc[section.id + "_note"] = section.note;
  }
  return doc;
}

}  // namespace stampede::reporters
