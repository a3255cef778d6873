// RunResult: the in-memory form of a result folder (format version 2). This is the one
// contract between the load engine (which produces it), the reporters, the CI gate and the
// GUI (which read it). See results/README.md and results/schema/ for the on-disk form.
//
// Units: latencies are microseconds (Histogram), times are seconds (double) or Unix
// milliseconds (int64 *_unix_ms), sizes are bytes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/histogram.h"
#include "results/server_report.h"

namespace stampede::results {

// The version this library writes; it reads every version from 1 up to it. Version 2 made
// what version 1 kept in run.json's free-form `extra` (pid, load_shape, lab strategy, ...)
// typed members of RunInfo (results/README.md, "Versioning").
inline constexpr int kFormatVersion = 2;
inline constexpr const char* kAggregatedName = "Aggregated";

// How an endpoint's exchanges went beside their latency (results/README.md, "exchange
// figures"): the connections its requests opened (TCP connect and TLS handshake times),
// the time to each response's first byte, and what the server said in its Server-Timing
// header about its cache (`cache;desc=hit|miss`) and which server answered (`srv-<i>`).
// All zero/empty when nothing was recorded (older folders, a transport that does not
// measure them); in the files every member is then absent. Latencies are microseconds.
struct ExchangeStats {
  std::uint64_t new_connections = 0;  // requests that opened a new connection (TCP connect done)
  Histogram connect;                  // µs, the TCP connect of those; count <= new_connections
  std::uint64_t tls_handshakes = 0;   // of those, TLS handshakes completed (https); <= new_connections
  std::uint64_t tls_resumed = 0;      // of those, handshakes that resumed a session; <= tls_handshakes
  Histogram tls;                      // µs, the TLS handshake of those; count <= tls_handshakes
  // µs, time to first byte: from the request's send on a ready connection (after any connect
  // and handshake) until its response head had arrived. Every response, failed or not;
  // never an exchange that got no response.
  Histogram ttfb;
  std::uint64_t cache_hits = 0;    // responses with Server-Timing `cache;desc=hit`
  std::uint64_t cache_misses = 0;  // ... `cache;desc=miss`
  // Server-Timing `srv-<i>`: i (0 <= i < kMaxServers) -> responses that named it.
  std::map<int, std::uint64_t> servers;

  bool empty() const;
  void merge(const ExchangeStats& other);
  // cache_hits / (cache_hits + cache_misses); nullopt when no response said either.
  std::optional<double> cache_hit_ratio() const;
  bool operator==(const ExchangeStats&) const = default;
};

// Server-Timing `srv-<i>` indices counted: 0 <= i < kMaxServers (others are ignored).
inline constexpr int kMaxServers = 1024;

// One (method, name) as statistics are grouped, Locust-style. The aggregate row has
// method "" and name "Aggregated".
struct EndpointStats {
  std::string method;
  std::string name;
  std::uint64_t requests = 0;  // all completed requests: successes, failures and rate-limited
  std::uint64_t failures = 0;
  std::uint64_t content_bytes = 0;  // sum of response body sizes
  Histogram latency;                // end-to-end µs, successes and failures alike; open model: from the intended start
  Histogram service;                // open model only: µs from the actual send (empty in the closed model)
  double first_request_s = 0;       // seconds since run start of the first request
  double last_request_s = 0;        // ... of the last completed request
  // Open model: arrivals not sent because no user was free under --max-users, attributed
  // to the endpoint of their task's first request (docs/open-model.md); 0 otherwise.
  std::uint64_t dropped = 0;
  // Connections, time to first byte, Server-Timing cache and server (ExchangeStats). The
  // `{}` keeps positional initialisers that stop before it free of warnings.
  ExchangeStats exchange{};
  // Scenarios for real applications (results/README.md, "skipped and invalid cookies"):
  // requests and tasks not sent because their `when` was false, attributed to the endpoint
  // of the skipped request (a skipped task: its first request); an endpoint that was only
  // skipped is a row with requests 0.
  std::uint64_t skipped{};
  // Set-Cookie headers of this endpoint's responses the user's cookie jar ignored in part
  // (an invalid attribute) or whole (malformed, a Domain the host is not in, Secure over
  // http://), as browsers do.
  std::uint64_t invalid_cookies{};
  // Responses with HTTP 429 (Too Many Requests): their own outcome, not failures, so
  // failures + rate_limited <= requests (results/README.md, "rate limited").
  std::uint64_t rate_limited{};
};

// Per (endpoint, shard), from the response's W3C Server-Timing entries "shard-<k>;dur=ms".
struct ShardStats {
  std::string method;
  std::string name;
  int shard = 0;
  std::uint64_t count = 0;           // responses that named this shard
  Histogram shard_time;              // µs, from dur
  std::uint64_t single_shard_requests = 0;  // responses that named only this shard
  Histogram single_shard_latency;    // end-to-end µs of those (open model: from the intended start)
  Histogram single_shard_service{};  // open model only: µs of those from the actual send
};

// Locust's failures table: one row per (method, name, error).
struct FailureStats {
  std::string method;
  std::string name;
  std::string error;  // e.g. "HTTP 503", "connection refused", "check: grab_status not in [0,1]"
  std::uint64_t occurrences = 0;
};

// One endpoint's slice of a history interval.
struct IntervalEndpoint {
  std::string method;
  std::string name;
  std::uint64_t requests = 0;   // completed in this interval
  std::uint64_t failures = 0;
  std::uint64_t content_bytes = 0;
  Histogram latency;            // µs, this interval only
  Histogram service;            // open model only: µs from the actual send, this interval only
  std::uint64_t dropped = 0;    // open model only: arrivals dropped in this interval (EndpointStats::dropped)
  ExchangeStats exchange{};     // this interval only (EndpointStats::exchange)
  std::uint64_t skipped{};          // this interval only (EndpointStats::skipped)
  std::uint64_t invalid_cookies{};  // this interval only (EndpointStats::invalid_cookies)
  std::uint64_t rate_limited{};     // HTTP 429 answers of this interval (EndpointStats::rate_limited)
};

// One (endpoint, shard)'s slice of a history interval: responses that named the shard in
// their Server-Timing header, and the server-reported shard time (µs).
struct IntervalShard {
  std::string method;
  std::string name;
  int shard = 0;
  std::uint64_t count = 0;
  Histogram shard_time;
};

// One line of history.jsonl: what happened in (elapsed_s - interval_s, elapsed_s].
struct HistoryPoint {
  double elapsed_s = 0;         // seconds since run start at the end of the interval
  double interval_s = 1;
  std::int64_t unix_ms = 0;     // wall clock at the end of the interval
  int users = 0;                // running users at the end of the interval
  std::vector<IntervalEndpoint> endpoints;  // only endpoints with activity
  std::vector<IntervalShard> shards;        // only (endpoint, shard) pairs with activity,
                                            // sorted by (shard, name, method); empty for a
                                            // backend without Server-Timing shards
  // Derived (computed by the writer from endpoints; stored for convenience of other tools):
  IntervalEndpoint total() const;  // merge of all endpoints, name "Aggregated"
};

// What carried a run's requests (generator/http/http_connection.h; docs/terminology.md).
enum class Transport { kNative, kCurl };
// How a run's users held keep-alive connections (docs/terminology.md, "connections").
enum class Connections { kPerUser, kShared };

// Their names in run.json: "native" | "curl", "per-user" | "shared". The parsers return
// nullopt for any other text.
std::string_view to_string(Transport transport);
std::string_view to_string(Connections connections);
std::optional<Transport> transport_from_string(std::string_view text);
std::optional<Connections> connections_from_string(std::string_view text);

// What `stampede lab` records about the server a run measured (run.json `lab`).
struct LabRunInfo {
  std::string strategy{};  // the server's sharding strategy, e.g. "hash"; never empty
  std::string store{};     // the server's store, e.g. "sqlite"; "" when not recorded
  int shards = 0;          // the server's shard count; 0 when not recorded
  std::string folder{};    // the lab folder's name (its last path component); "" when not recorded
  bool warmup = false;     // a warm-up run, which the lab keeps out of its report

  bool operator==(const LabRunInfo&) const = default;
};

// How the open model spread its arrivals (--arrivals): "even" | "poisson" in run.json.
enum class Arrivals { kEven, kPoisson };
std::string_view to_string(Arrivals arrivals);
std::optional<Arrivals> arrivals_from_string(std::string_view text);

// The open model (`--arrival-rate`, docs/open-model.md): run.json `open_model`, present
// exactly when the run started its work on an arrival schedule.
struct OpenModelInfo {
  double arrival_rate = 0;  // arrivals per second (> 0); with `shape`, the highest stage's rate
  Arrivals arrivals = Arrivals::kEven;
  int max_users = 0;        // the cap on busy users (--max-users); 0 when not recorded
  bool shape = false;       // the rate followed the scenario's load_shape arrival_rate stages
  // What the run did, recorded at the end (0 while running).
  std::uint64_t iterations_started = 0;  // arrivals a user ran
  std::uint64_t dropped = 0;             // arrivals not sent: no free user under max_users
  std::map<std::string, std::uint64_t> dropped_by_class;  // user class -> dropped; only classes with drops
  std::uint64_t late_arrivals = 0;       // arrivals started more than 10 ms after their due time
  double max_schedule_lag_ms = 0;        // the latest start of any arrival after its due time
  double total_schedule_lag_ms = 0;      // summed over the late arrivals

  bool operator==(const OpenModelInfo&) const = default;
};

struct RunInfo {
  int format_version = kFormatVersion;  // as read; the writer always writes kFormatVersion
  std::string status = "running";  // "running" | "complete" | "interrupted" | "failed"
  std::string stop_reason;         // "run time reached", "interrupted (SIGINT)", ...
  std::string label;
  std::string tool_version;
  std::string scenario_name;
  std::string scenario_file;
  std::string target_host;         // e.g. http://127.0.0.1:8000
  std::int64_t started_unix_ms = 0;
  std::int64_t ended_unix_ms = 0;  // 0 while running
  double duration_s = 0;
  // configuration as run
  int users = 0;
  double spawn_rate = 0;
  double run_time_s = 0;           // 0 = unlimited
  int threads = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> user_classes;  // the classes that ran
  std::vector<std::string> tags;
  std::vector<std::string> command_line;
  bool load_shape = false;  // the users followed the scenario's load_shape (not -u/-r/-t)
  // The engine's timeouts, seconds. Absent in folders of older engines.
  std::optional<double> request_timeout_s;
  std::optional<double> connect_timeout_s;
  std::optional<double> stop_timeout_s;
  // The engine's response-body limits, bytes: the largest body a response may have
  // (--max-body) and the memory all kept bodies may take (--max-body-memory). Absent in
  // folders of older engines.
  std::optional<std::uint64_t> max_body_bytes;
  std::optional<std::uint64_t> max_body_memory_bytes;
  // Chosen before the first user starts (absent in folders of older engines).
  std::optional<Transport> transport;
  std::optional<Connections> connections;
  std::optional<std::uint64_t> open_files_limit;  // soft RLIMIT_NOFILE after raising; absent if unknown
  std::optional<LabRunInfo> lab;                   // runs made by `stampede lab`
  std::optional<OpenModelInfo> open_model;         // runs of the open model (--arrival-rate)
  // what the run did, recorded at the end (absent while running)
  std::optional<int> peak_users;                   // most users running at once
  std::optional<std::uint64_t> connections_opened;
  // environment
  // The engine's process id: with hostname, a viewer can tell a "running" run whose
  // engine died. Absent in folders of older engines.
  std::optional<std::int64_t> pid;
  std::string hostname;
  std::string os;
  int cpu_count = 0;
  // Free-form additions for people and other tools. Nothing in stampede reads it: what
  // stampede reads is a typed member above. (A version-1 folder's extra keeps only the
  // keys that did not map onto one.)
  nlohmann::json extra = nlohmann::json::object();
};

struct RunResult {
  RunInfo info;
  nlohmann::json scenario;                  // the scenario as run
  std::vector<EndpointStats> endpoints;     // in first-seen order... sorted by (name, method) on write
  EndpointStats aggregated;                 // method "", name "Aggregated"
  std::vector<ShardStats> shards;           // sorted by (shard, name, method)
  std::vector<FailureStats> failures;       // sorted by occurrences desc
  std::vector<HistoryPoint> history;        // in time order
  std::optional<ServerReport> server;       // server.json, when the backend reported (lab runs)
  // What read_result_folder noticed but could read past, each naming its file (e.g. a
  // finished run's history.jsonl cut off). Never written.
  std::vector<std::string> warnings;
};

}  // namespace stampede::results
