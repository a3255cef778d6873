// build_comparison: every number of the comparison report, computed once from the runs.
#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "reporters/comparison.h"
#include "reporters/comparison_detail.h"
#include "reporters/comparison_format.h"
#include "results/shard_metrics.h"

namespace stampede::reporters {

namespace {

double ms(const results::Histogram& h, double p) {
  return static_cast<double>(h.value_at_percentile(p)) / 1000.0;
}

double pct(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<double> ratio(const EndpointCell& run, const EndpointCell& base, double run_v, double base_v) {
  if (!run.present || !base.present || !(base_v > 0)) return std::nullopt;
  return run_v / base_v;
}

// The seconds req/s is measured over: the run's duration, else up to its last request.
double rate_seconds(const results::RunResult& r) {
  return r.info.duration_s > 0 ? r.info.duration_s : r.aggregated.last_request_s;
}

std::string fan_out_text(const EndpointCell& cell) {
  if (cell.shard_touches == 0) return "no shard data";
  const double distinct = static_cast<double>(cell.shards_touched.size());
  if (cell.avg_shards <= 1.05) return "1 shard";
  if (cell.avg_shards >= distinct - 0.05) return "fan-out to " + std::to_string(cell.shards_touched.size());
  return "fan-out to " + fmt_fixed(cell.avg_shards, 1) + " of " + std::to_string(cell.shards_touched.size());
}

EndpointCell endpoint_cell(const results::RunResult& r, const std::string& method, const std::string& name) {
  EndpointCell cell;
  const auto it = std::find_if(r.endpoints.begin(), r.endpoints.end(),
                               [&](const auto& e) { return e.method == method && e.name == name; });
  if (it == r.endpoints.end()) return cell;
  cell.dropped = it->dropped;
  if (it->requests == 0) return cell;
  cell.present = true;
  cell.requests = it->requests;
  cell.failures = it->failures;
  cell.rate_limited = it->rate_limited;
  const double secs = rate_seconds(r);
  cell.rps = secs > 0 ? static_cast<double>(it->requests) / secs : 0;
  cell.p50_ms = ms(it->latency, 50);
  cell.p95_ms = ms(it->latency, 95);
  cell.p99_ms = ms(it->latency, 99);
  if (!it->service.empty()) cell.service_p99_ms = ms(it->service, 99);
  else if (!r.info.open_model) cell.service_p99_ms = cell.p99_ms;  // closed model: latency is from the send
  cell.exchange = exchange_cell(it->exchange);
  cell.failure_pct = pct(it->failures, it->requests);
  std::uint64_t single = 0;
  std::uint64_t largest = 0;
  results::Histogram shard_time;
  for (const results::ShardStats& s : r.shards) {
    if (s.method != method || s.name != name || s.count == 0 || !results::is_counted_shard(s.shard)) continue;
    shard_time.merge(s.shard_time);
    cell.shard_touches += s.count;
    single += s.single_shard_requests;
    cell.shards_touched.push_back(s.shard);
    if (s.count > largest) {
      largest = s.count;
      cell.largest_shard = s.shard;
    }
  }
  std::sort(cell.shards_touched.begin(), cell.shards_touched.end());
  cell.shards_touched.erase(std::unique(cell.shards_touched.begin(), cell.shards_touched.end()),
                            cell.shards_touched.end());
  cell.avg_shards = static_cast<double>(cell.shard_touches) / static_cast<double>(cell.requests);
  cell.single_shard_pct = pct(single, cell.requests);
  cell.largest_shard_pct = pct(largest, cell.shard_touches);
  cell.fan_out = fan_out_text(cell);
  if (shard_time.count() > 0) cell.shard_p95_ms = ms(shard_time, 95);
  return cell;
}

std::vector<EndpointRow> endpoint_rows(const std::vector<ComparedRun>& runs) {
  std::set<std::pair<std::string, std::string>> keys;  // (name, method): the report's order
  for (const ComparedRun& r : runs)
    for (const auto& e : r.run.endpoints) keys.emplace(e.name, e.method);
  std::vector<EndpointRow> rows;
  for (const auto& [name, method] : keys) {
    EndpointRow row;
    row.method = method;
    row.name = name;
    row.is_write = results::is_write_method(method);
    for (const ComparedRun& r : runs) row.runs.push_back(endpoint_cell(r.run, method, name));
    const EndpointCell& base = row.runs.front();
    std::size_t present = 0;
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      EndpointCell& cell = row.runs[i];
      if (!cell.present) continue;
      ++present;
      if (i > 0) {
        cell.p95_ratio = ratio(cell, base, cell.p95_ms, base.p95_ms);
        cell.p50_ratio = ratio(cell, base, cell.p50_ms, base.p50_ms);
        cell.p99_ratio = ratio(cell, base, cell.p99_ms, base.p99_ms);
        cell.rps_ratio = ratio(cell, base, cell.rps, base.rps);
        if (cell.service_p99_ms && base.service_p99_ms)
          cell.service_p99_ratio = ratio(cell, base, *cell.service_p99_ms, *base.service_p99_ms);
        if (cell.exchange && base.exchange && cell.exchange->ttfb_p95_ms && base.exchange->ttfb_p95_ms)
          cell.ttfb_p95_ratio = ratio(cell, base, *cell.exchange->ttfb_p95_ms, *base.exchange->ttfb_p95_ms);
      }
      if (!row.fastest || cell.p95_ms < row.runs[*row.fastest].p95_ms) row.fastest = i;
    }
    // "Fastest" only for a strict winner among at least two runs: a tie names nobody.
    const auto tied = std::count_if(row.runs.begin(), row.runs.end(), [&](const EndpointCell& e) {
      return e.present && row.fastest && e.p95_ms == row.runs[*row.fastest].p95_ms;
    });
    if (present < 2 || tied > 1) row.fastest.reset();
    if (!row.runs.empty() && row.runs.front().present) {
      // The baseline against itself is ×1.00 by definition; shown so the column reads whole.
      row.runs.front().p95_ratio = row.runs.front().p95_ms > 0 ? std::optional<double>(1.0) : std::nullopt;
      row.runs.front().p50_ratio = row.runs.front().p50_ms > 0 ? std::optional<double>(1.0) : std::nullopt;
      row.runs.front().p99_ratio = row.runs.front().p99_ms > 0 ? std::optional<double>(1.0) : std::nullopt;
      row.runs.front().rps_ratio = row.runs.front().rps > 0 ? std::optional<double>(1.0) : std::nullopt;
      if (row.runs.front().service_p99_ms.value_or(0) > 0) row.runs.front().service_p99_ratio = 1.0;
      if (const auto& x = row.runs.front().exchange; x && x->ttfb_p95_ms.value_or(0) > 0)
        row.runs.front().ttfb_p95_ratio = 1.0;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

RunShards run_shards(const results::RunResult& r) {
  RunShards out;
  const std::vector<results::ShardTotals> totals = results::shard_totals(r);
  const bool all_rows = results::has_every_server_line(totals);
  std::uint64_t total_rows = 0;
  for (const results::ShardTotals& t : totals) {
    ShardCell cell;
    cell.shard = t.shard;
    cell.write_touches = t.write_touches;
    cell.query_touches = t.query_touches;
    if (!t.shard_time.empty()) cell.shard_p95_ms = ms(t.shard_time, 95);
    if (t.server) cell.result_rows = t.server->result_rows;
    out.write_touches += cell.write_touches;
    out.query_touches += cell.query_touches;
    total_rows += cell.result_rows.value_or(0);
    out.shards.push_back(cell);
  }
  std::vector<double> writes, queries, rows;
  std::uint64_t largest_writes = 0;
  std::uint64_t largest_rows = 0;
  for (ShardCell& cell : out.shards) {
    cell.write_pct = pct(cell.write_touches, out.write_touches);
    cell.query_pct = pct(cell.query_touches, out.query_touches);
    writes.push_back(static_cast<double>(cell.write_touches));
    queries.push_back(static_cast<double>(cell.query_touches));
    rows.push_back(static_cast<double>(cell.result_rows.value_or(0)));
    if (cell.write_touches > largest_writes) {
      largest_writes = cell.write_touches;
      out.largest_write_shard = cell.shard;
    }
    if (all_rows && (!out.largest_rows_shard || *cell.result_rows > largest_rows)) {
      largest_rows = *cell.result_rows;
      out.largest_rows_shard = cell.shard;
    }
  }
  out.write_balance = results::balance_score(writes);
  out.query_balance = results::balance_score(queries);
  out.largest_write_pct = pct(largest_writes, out.write_touches);
  if (all_rows) {
    out.rows_balance = results::balance_score(rows);
    out.largest_rows_pct = pct(largest_rows, total_rows);
  }
  return out;
}

RunHeader run_header(const ComparedRun& r, const RunShards& shards) {
  const results::RunInfo& info = r.run.info;
  RunHeader h;
  h.label = r.label;
  h.folder = r.folder.generic_string();
  h.status = info.status;
  h.stop_reason = info.stop_reason;
  h.scenario_name = info.scenario_name;
  h.duration_s = info.duration_s;
  h.run_time_s = info.run_time_s;
  h.users = info.users;
  if (info.lab) {
    h.strategy = info.lab->strategy;
    h.store = info.lab->store;
  }
  if (r.run.server) {
    h.has_server_report = true;
    if (!r.run.server->strategy.empty()) h.strategy = r.run.server->strategy;
    if (!r.run.server->store.empty()) h.store = r.run.server->store;
  }
  h.shard_count = static_cast<int>(shards.shards.size());
  h.requests = r.run.aggregated.requests;
  h.failures = r.run.aggregated.failures;
  h.dropped = r.run.aggregated.dropped;
  h.rate_limited = r.run.aggregated.rate_limited;
  if (h.requests == 0 && h.dropped == 0) {  // a live folder's aggregate may be missing: sum the endpoints
    for (const auto& e : r.run.endpoints) {
      h.requests += e.requests;
      h.failures += e.failures;
      h.dropped += e.dropped;
      h.rate_limited += e.rate_limited;
    }
  }
  h.open_model = info.open_model;
  results::ExchangeStats whole = r.run.aggregated.exchange;
  if (whole.empty())  // a live folder's aggregate may be missing: merge the endpoints
    for (const auto& e : r.run.endpoints) whole.merge(e.exchange);
  h.exchange = exchange_cell(whole);
  return h;
}

std::vector<ReshardCell> reshard_cells(const std::vector<ComparedRun>& runs, const std::vector<RunHeader>& headers,
                                       std::vector<std::string>& strategies) {
  std::vector<ReshardCell> cells;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!runs[i].run.server) continue;
    std::vector<ReshardCell> own, others;
    for (const results::ReshardEstimate& e : runs[i].run.server->reshard) {
      ReshardCell cell{i, e.strategy, e.from_shards, e.to_shards, e.rows, e.moved, 100.0 * e.moved_share(), e.how,
                       !headers[i].strategy.empty() && e.strategy == headers[i].strategy};
      if (std::find(strategies.begin(), strategies.end(), e.strategy) == strategies.end())
        strategies.push_back(e.strategy);
      (cell.own ? own : others).push_back(std::move(cell));
    }
    cells.insert(cells.end(), own.begin(), own.end());
    cells.insert(cells.end(), others.begin(), others.end());
  }
  return cells;
}

// Different of a kind, listed "label: value, label: value".
template <typename Get>
std::string differing(const std::vector<RunHeader>& runs, Get get) {
  std::set<std::string> values;
  std::string listed;
  for (const RunHeader& h : runs) {
    const std::string v = get(h);
    values.insert(v);
    listed += (listed.empty() ? "" : ", ") + h.label + ": " + (v.empty() ? "unknown" : v);
  }
  return values.size() > 1 ? listed : std::string();
}

std::vector<std::string> warnings_for(const std::vector<RunHeader>& runs, const std::vector<RunShards>& shards) {
  std::vector<std::string> out;
  const bool any_shards = std::any_of(shards.begin(), shards.end(),
                                      [](const RunShards& s) { return s.write_touches + s.query_touches > 0; });
  for (const RunHeader& h : runs) {
    if (h.status != "complete")
      out.push_back(h.label + ": status " + h.status + (h.stop_reason.empty() ? "" : " (" + h.stop_reason + ")") +
                    " — its numbers cover only part of a run");
    const RunShards& sh = shards[static_cast<std::size_t>(&h - runs.data())];
    if (any_shards && sh.write_touches + sh.query_touches == 0)
      out.push_back(h.label + ": no shard data (no Server-Timing shard-<k> entries): its shard columns are empty");
    if (h.requests == 0) out.push_back(h.label + ": no requests recorded");
    else if (pct(h.failures, h.requests) >= 1.0)
      out.push_back(h.label + ": " + fmt_pct(pct(h.failures, h.requests)) + " of requests failed (" +
                    fmt_count(h.failures) + " of " + fmt_count(h.requests) + "); latencies include the failures");
    if (h.requests > 0 && pct(h.rate_limited, h.requests) >= 1.0)
      out.push_back(h.label + ": " + fmt_pct(pct(h.rate_limited, h.requests)) + " of requests were rate limited (HTTP 429, " +
                    fmt_count(h.rate_limited) + " of " + fmt_count(h.requests) + "); latencies include those answers");
  }
  if (runs.size() < 2) return out;
  if (auto d = differing(runs, [](const RunHeader& h) { return std::string(h.open_model ? "open" : "closed"); });
      !d.empty())
    out.push_back("different load models — " + d +
                  ": an open-model run's p50/p95/p99 are from each request's intended start, a closed-model run's "
                  "from the send; compare their service time (svc p99)");
  if (auto d = differing(runs, [](const RunHeader& h) { return h.scenario_name; }); !d.empty())
    out.push_back("different scenarios — " + d);
  if (auto d = differing(runs, [](const RunHeader& h) { return std::to_string(h.users); }); !d.empty())
    out.push_back("different user counts — " + d);
  if (auto d = differing(runs, [](const RunHeader& h) { return h.store; }); !d.empty())
    out.push_back("different stores — " + d);
  if (auto d = differing(runs, [](const RunHeader& h) { return std::to_string(h.shard_count); }); !d.empty())
    out.push_back("different shard counts — " + d);
  // Durations: configured run time when every run has one, else measured; 10% apart is unfair.
  const bool configured = std::all_of(runs.begin(), runs.end(), [](const RunHeader& h) { return h.run_time_s > 0; });
  auto secs = [&](const RunHeader& h) { return configured ? h.run_time_s : h.duration_s; };
  const auto [lo, hi] = std::minmax_element(runs.begin(), runs.end(),
                                            [&](const RunHeader& a, const RunHeader& b) { return secs(a) < secs(b); });
  if (secs(*hi) > 0 && secs(*hi) > 1.1 * secs(*lo)) {
    std::string listed;
    for (const RunHeader& h : runs) listed += (listed.empty() ? "" : ", ") + h.label + ": " + fmt_seconds(secs(h));
    out.push_back(std::string("different ") + (configured ? "run times" : "durations") + " — " + listed);
  }
  return out;
}

}  // namespace

std::string default_run_label(const results::RunResult& run, const std::filesystem::path& folder) {
  if (run.info.lab && !run.info.lab->strategy.empty()) return run.info.lab->strategy;
  if (!run.info.label.empty()) return run.info.label;
  std::filesystem::path p = folder;
  if (p.filename().empty()) p = p.parent_path();  // "runs/a/" names "a"
  return p.filename().string();
}

void make_labels_unique(std::vector<ComparedRun>& runs) {
  std::set<std::string> taken;
  for (ComparedRun& r : runs) {
    std::string label = r.label;
    for (int n = 2; taken.count(label) > 0; ++n) label = r.label + " (" + std::to_string(n) + ")";
    taken.insert(label);
    r.label = std::move(label);
  }
}

Comparison build_comparison(std::vector<ComparedRun> runs) {
  if (runs.empty()) throw std::invalid_argument("build_comparison: no runs to compare");
  std::set<std::string> labels;
  for (const ComparedRun& r : runs) {
    if (!labels.insert(r.label).second)
      throw std::invalid_argument("build_comparison: run label \"" + r.label + "\" is used twice");
  }
  Comparison c;
  for (const ComparedRun& r : runs) {
    c.shards.push_back(run_shards(r.run));
    c.runs.push_back(run_header(r, c.shards.back()));
  }
  c.endpoints = endpoint_rows(runs);
  c.reshard = reshard_cells(runs, c.runs, c.reshard_strategies);
  c.warnings = warnings_for(c.runs, c.shards);
  c.any_open_model = std::any_of(c.runs.begin(), c.runs.end(), [](const RunHeader& h) { return h.open_model.has_value(); });
  c.any_exchange = std::any_of(c.runs.begin(), c.runs.end(), [](const RunHeader& h) { return h.exchange.has_value(); });
  c.any_rate_limited = std::any_of(c.runs.begin(), c.runs.end(), [](const RunHeader& h) { return h.rate_limited > 0; });
  detail::add_reading(c);
  return c;
}

int find_run(const Comparison& c, std::string_view name) {
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    if (c.runs[i].strategy == name) return static_cast<int>(i);
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    if (c.runs[i].strategy.empty() && c.runs[i].label == name) return static_cast<int>(i);
  return -1;
}

int find_endpoint(const Comparison& c, std::string_view method, std::string_view name) {
  for (std::size_t i = 0; i < c.endpoints.size(); ++i)
    if (c.endpoints[i].method == method && c.endpoints[i].name == name) return static_cast<int>(i);
  return -1;
}

}  // namespace stampede::reporters
