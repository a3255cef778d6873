// The comparison report: two or more result folders side by side, e.g. the sharding lab's
// runs of one scenario under different strategies, or runs made by hand against other
// backends (`stampede compare RUN_A RUN_B ...`).
//
// build_comparison() computes everything once into a plain model (Comparison); the
// renderers (console, Markdown, HTML, JSON) only format it, so every output shows the same
// numbers. The report judges nothing against expectations of its own: a caller that has
// some (the lab's study, lab/study_checks.h) appends them as a CheckSection, and the
// renderers print it as it is. Everything here is pure: no I/O, no clock. Thread-safety:
// none needed (values).
//
// Definitions (also printed in the report's footnotes, see reporters/README.md):
//   * writes, queries, a run's shards 0..N-1 and the balance score are the shard metrics of
//     results/shard_metrics.h (the GUI uses the same ones).
//   * share of writes (queries) on shard k = the shard's `count` summed over write (query)
//     endpoints / the same sum over all shards (stats.json `shards`, from Server-Timing).
//   * ratio of a run against the baseline (the first run) = run's value / baseline's value
//     ("p95 ×3.90 = range 4.68 ms vs hash 1.20 ms"); absent ("—") when either side has no
//     requests for the endpoint or the baseline value is 0.
//   * fan-out = shard touches / requests (average shards named per response);
//     single-shard share = single_shard_requests summed over shards / requests.
//   * the open model (run.json open_model, docs/open-model.md): p50/p95/p99 of an
//     open-model run are its latency from each request's intended start; the service time
//     (from the actual send) and the dropped arrivals are in their own section, shown only
//     when a compared run is open-model. A closed-model run's service time is its latency
//     (measured from the send: the same figure) and it drops nothing.
//   * how the requests travelled (results::ExchangeStats): connect and TLS p95 of the
//     requests that opened a connection, time to first byte p50/p95, Server-Timing cache
//     hit % and the responses each server (srv-<i>) answered; in their own section, shown
//     only when a compared run recorded them.
//   * rate limited = requests answered HTTP 429 (results/README.md): in requests and the
//     latencies, not in the failures; in their own section, shown only when a compared run
//     had any (comparison_rate_limited.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/run_result.h"

namespace stampede::reporters {

struct ComparedRun {
  std::string label;              // column title, e.g. "hash"; see default_run_label
  std::filesystem::path folder;   // where it was read from (for the report's links/notes)
  results::RunResult run;
};

// "hash"/"range"/... from run.info.lab->strategy when present, else info.label, else the
// folder's name. Labels must be unique in a report: callers de-duplicate with " (2)" etc.
std::string default_run_label(const results::RunResult& run, const std::filesystem::path& folder);

// Gives repeated labels a suffix in order: "hash", "hash" -> "hash", "hash (2)" (also when
// "hash (2)" is taken: "hash (3)"). build_comparison requires unique labels.
void make_labels_unique(std::vector<ComparedRun>& runs);

// ---- the model ------------------------------------------------------------------------

// How one endpoint's (or a run's) requests travelled, from results::ExchangeStats.
// A nullopt figure had nothing to measure (no connection opened, no TLS handshake, no
// response, no Server-Timing cache entry): renderers show "—".
struct ExchangeCell {
  std::uint64_t new_connections = 0;
  std::optional<double> connect_p95_ms;
  std::uint64_t tls_handshakes = 0;
  std::uint64_t tls_resumed = 0;
  std::optional<double> tls_p95_ms;
  std::optional<double> ttfb_p50_ms;
  std::optional<double> ttfb_p95_ms;
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  std::optional<double> cache_hit_pct;   // 100 × hits / (hits + misses)
  std::map<int, std::uint64_t> servers;  // Server-Timing srv-<i> -> responses naming it
};
// nullopt when `stats` recorded nothing (ExchangeStats::empty).
std::optional<ExchangeCell> exchange_cell(const results::ExchangeStats& stats);

// The header line of one run.
struct RunHeader {
  std::string label;
  std::string folder;        // as given (generic string)
  std::string status;        // run.json status
  std::string stop_reason;
  std::string scenario_name;
  double duration_s = 0;
  double run_time_s = 0;     // configured; 0 = unlimited
  int users = 0;
  std::string strategy;      // server.json strategy, else run.json lab.strategy; "" when unknown
  std::string store;         // server.json store, else run.json lab.store; "" when unknown
  int shard_count = 0;       // shards shown for this run (see RunShards); 0 = no shard data
  bool has_server_report = false;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  // The open model: its schedule, when the run had one (run.json open_model).
  std::optional<results::OpenModelInfo> open_model;
  std::uint64_t dropped = 0;  // the aggregated row's dropped arrivals (0 in the closed model)
  std::uint64_t rate_limited = 0;  // requests answered HTTP 429 (not among failures)
  // The whole run's connections, time to first byte and Server-Timing cache/servers;
  // nullopt for a run that recorded none (an older engine).
  std::optional<ExchangeCell> exchange;
};

// One endpoint in one run. `present` is false when the run has no requests for it; all
// numbers are then 0 and renderers show "—".
struct EndpointCell {
  bool present = false;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t rate_limited = 0;  // of requests, answered HTTP 429 (not among failures)
  double rps = 0;            // requests / run duration_s (0 when the duration is 0)
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double failure_pct = 0;    // 100 × failures / requests
  // fan-out, from stats.json shards (all 0 / empty without shard data for this endpoint)
  std::uint64_t shard_touches = 0;       // sum of the shard counts
  double avg_shards = 0;                 // shard_touches / requests
  double single_shard_pct = 0;           // 100 × single_shard_requests / requests
  std::vector<int> shards_touched;       // shards with count > 0, ascending
  std::string fan_out;                   // "1 shard", "fan-out to 4", "fan-out to 2.5 of 4", "no shard data"
  // the largest shard's share of this endpoint's shard touches (the "hot shard")
  int largest_shard = -1;                // -1 without shard data
  double largest_shard_pct = 0;
  // p95 of the server-reported time of this endpoint's shard queries (Server-Timing `dur`,
  // all its shards' samples together); nullopt without shard data
  std::optional<double> shard_p95_ms;
  // against the baseline (runs[0]); nullopt = "—" (see the ratio definition above)
  std::optional<double> p95_ratio;
  std::optional<double> p50_ratio;
  std::optional<double> p99_ratio;
  std::optional<double> rps_ratio;
  // The open model. `dropped` is set even when `present` is false (an endpoint that only
  // dropped arrivals has no requests). service_p99_ms: the service time's p99 (from the
  // actual send); a closed-model run's latency p99 (the same figure there); nullopt without
  // requests or for an open-model run that recorded no service time.
  std::uint64_t dropped = 0;
  std::optional<double> service_p99_ms;
  std::optional<double> service_p99_ratio;  // against the baseline, as p99_ratio
  // How its requests travelled; nullopt when the run recorded none for this endpoint.
  std::optional<ExchangeCell> exchange;
  std::optional<double> ttfb_p95_ratio;     // against the baseline, as p95_ratio
};

struct EndpointRow {
  std::string method;
  std::string name;
  bool is_write = false;
  std::vector<EndpointCell> runs;        // one per Comparison::runs, same order
  std::optional<std::size_t> fastest;    // run with the lowest p95 among those present (>= 2 present)
};

struct ShardCell {
  int shard = 0;
  std::uint64_t write_touches = 0;
  std::uint64_t query_touches = 0;
  double write_pct = 0;                  // of the run's write touches
  double query_pct = 0;                  // of the run's query touches
  std::optional<double> shard_p95_ms;    // p95 of shard time over all endpoints; nullopt = no samples
  std::optional<std::uint64_t> result_rows;  // server.json; nullopt = "n/a"
};

// Per run: shards 0..N-1 (results::shard_count), so a shard that got nothing still counts
// (as 0) in the balance; balances are results::balance_score of the per-shard values.
struct RunShards {
  std::vector<ShardCell> shards;
  double write_balance = 100;
  double query_balance = 100;
  std::optional<double> rows_balance;    // only with server.json rows
  std::uint64_t write_touches = 0;
  std::uint64_t query_touches = 0;
  int largest_write_shard = -1;          // -1 without write data
  double largest_write_pct = 0;          // that shard's share of all writes
  std::optional<int> largest_rows_shard;
  double largest_rows_pct = 0;
};

struct ReshardCell {
  std::size_t run = 0;                   // index into Comparison::runs
  std::string strategy;                  // the strategy estimated
  int from_shards = 0;
  int to_shards = 0;
  std::uint64_t rows = 0;
  std::uint64_t moved = 0;
  double moved_pct = 0;
  std::string how;
  bool own = false;                      // the run's own strategy (the headline)
};

// ---- checks a caller adds ------------------------------------------------------------

// One expectation judged on the runs, e.g. "queries faster (p95) under hash than range".
struct ComparisonCheck {
  enum class Outcome { met, not_met, not_checked };
  std::string claim;                     // what was expected
  Outcome outcome = Outcome::not_checked;
  std::string detail;                    // the measured numbers, or why it could not be checked
};

// A caller's checks, printed as one section after the reading: each check as a bullet
// "[met] claim — detail" ("[NOT met]", "[not checked]"), then `note` and `about`. In the JSON
// they are "<id>_checks" ([{claim, outcome: met|not_met|not_checked, detail}]) and
// "<id>_note"; `about` is left out there.
struct CheckSection {
  std::string id;                        // the section's anchor and JSON key prefix, e.g. "checks"
  std::string title;                     // its heading
  std::vector<ComparisonCheck> checks;
  std::string note;                      // why (some of) the checks were left out, or ""
  std::string about;                     // where the expectations come from, or ""
};

struct Comparison {
  std::vector<RunHeader> runs;           // runs[0] is the baseline of every ratio
  std::vector<std::string> warnings;     // unfair or incomplete comparisons
  std::vector<EndpointRow> endpoints;    // sorted by (name, method); union over runs
  std::vector<RunShards> shards;         // one per run
  std::vector<ReshardCell> reshard;      // every run's estimates; own == true first per run
  std::vector<std::string> reshard_strategies;  // columns of the matrix, first-seen order
  std::vector<std::string> reading;      // plain-language sentences from the numbers
  std::vector<CheckSection> check_sections;  // none from build_comparison; a caller appends its own
  bool any_open_model = false;           // some run is open-model: the report shows dropped and service time
  bool any_exchange = false;             // some run recorded exchange figures: the report shows them
  bool any_rate_limited = false;         // some run had HTTP 429 answers: the report shows them
};

// >= 1 run; throws std::invalid_argument otherwise (or when labels are not unique).
// The result has no check sections.
Comparison build_comparison(std::vector<ComparedRun> runs);

// Index of the run whose strategy is `name`, else of a run without a strategy labelled
// `name`; -1 when there is none.
int find_run(const Comparison& c, std::string_view name);
// Index of the endpoint row (method, name), or -1.
int find_endpoint(const Comparison& c, std::string_view method, std::string_view name);

// The reading's thresholds, for a caller's checks to judge alike.
// Endpoints with fewer requests than this in a run are left out of the reading: a p95 of
// fewer samples is a handful of slow requests, not a property of the strategy.
inline constexpr std::uint64_t kMinRequestsForReading = 50;
// A run's hot shard is worth a sentence this many percentage points above 1/N.
inline constexpr double kNotableSkewPoints = 10;

std::string comparison_console(const Comparison&);   // fixed-width text for a terminal, <= 120 cols
std::string comparison_markdown(const Comparison&);
std::string comparison_html(const Comparison&);      // ONE self-contained page (no network, no external files)
nlohmann::json comparison_json(const Comparison&);   // the same numbers, machine-readable

}  // namespace stampede::reporters
