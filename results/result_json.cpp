// The JSON mapping of the statistics and history parts of a RunResult (run.json's is in
// run_info_json.cpp). Field names and units are documented in results/README.md and
// results/schema/result-v2.schema.json.
//
// Histograms are stored encoded ("<name>_hist"); the derived millisecond figures beside
// them are for people and jq only. The readers ignore them and use the histograms.
#include <cmath>
#include <string>

#include "results/json_fields.h"
#include "results/result_json_detail.h"
#include "results/result_folder.h"

namespace stampede::results {
namespace {

using nlohmann::json;

// µs -> ms, kept to µs precision so the files stay short and exact.
double ms(double us) { return std::round(us) / 1000.0; }

double percentile_ms(const Histogram& h, double percentile) {
  return ms(static_cast<double>(h.value_at_percentile(percentile)));
}

double ratio(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double per_second(std::uint64_t count, double interval_s) {
  return interval_s > 0 ? static_cast<double>(count) / interval_s : 0.0;
}

}  // namespace

json detail::latency_summary(const Histogram& h) {
  return {
      {"count", h.count()},
      {"min_ms", ms(static_cast<double>(h.min()))},
      {"max_ms", ms(static_cast<double>(h.max()))},
      {"avg_ms", ms(h.mean())},
      {"p50_ms", percentile_ms(h, 50)},
      {"p90_ms", percentile_ms(h, 90)},
      {"p95_ms", percentile_ms(h, 95)},
      {"p99_ms", percentile_ms(h, 99)},
      {"p999_ms", percentile_ms(h, 99.9)},
  };
}

namespace {

using detail::latency_summary;

// The members an endpoint's stats.json row and its history slice share (EndpointStats,
// IntervalEndpoint). Objects keep their keys sorted, so the order members are added in
// does not show in the files.
template <typename Endpoint>
json endpoint_json(const Endpoint& e, bool summaries) {
  json j = {
      {"method", e.method},
      {"name", e.name},
      {"requests", e.requests},
      {"failures", e.failures},
      {"content_bytes", e.content_bytes},
      {"latency_hist", e.latency.encode()},
  };
  // The open model's service time; absent in the closed model (and in older folders).
  if (!e.service.empty()) j["service_hist"] = e.service.encode();
  // The open model's dropped arrivals; absent when none (the closed model, older folders).
  if (e.dropped > 0) j["dropped"] = e.dropped;
  // Skipped requests and ignored cookies (scenarios for real applications); absent when none.
  if (e.skipped > 0) j["skipped"] = e.skipped;
  if (e.invalid_cookies > 0) j["invalid_cookies"] = e.invalid_cookies;
  // HTTP 429 answers; absent when none (read as 0, as in older folders).
  if (e.rate_limited > 0) j["rate_limited"] = e.rate_limited;
  detail::add_exchange_json(j, e.exchange, summaries);
  return j;
}

// ... and the members a shard's stats.json row and its history slice share (ShardStats,
// IntervalShard).
template <typename Shard>
json shard_json(const Shard& s) {
  return {
      {"method", s.method},
      {"name", s.name},
      {"shard", s.shard},
      {"count", s.count},
      {"shard_time_hist", s.shard_time.encode()},
  };
}

// Reads endpoint_json's members; failures, rate_limited, content_bytes, dropped, skipped and
// invalid_cookies default to 0.
template <typename Endpoint>
Endpoint endpoint_counts_from(const JsonFields& f) {
  Endpoint e;
  e.method = f.string("method");
  e.name = f.string("name");
  e.requests = f.u64("requests");
  e.failures = f.u64("failures", 0);
  if (e.failures > e.requests) JsonFields::fail(f.path_of("failures"), "more failures than requests");
  e.rate_limited = f.u64("rate_limited", 0);
  if (e.rate_limited > e.requests - e.failures)
    JsonFields::fail(f.path_of("rate_limited"), std::to_string(e.rate_limited) +
                                                    " rate-limited answers but requests - failures is " +
                                                    std::to_string(e.requests - e.failures));
  e.content_bytes = f.u64("content_bytes", 0);
  e.latency = f.histogram("latency_hist");
  e.service = f.histogram("service_hist");
  e.dropped = f.u64("dropped", 0);
  e.exchange = detail::exchange_from_json(f);
  e.skipped = f.u64("skipped", 0);
  e.invalid_cookies = f.u64("invalid_cookies", 0);
  return e;
}

// The objects of the array `key` of `f`, each read by `read(object, its JSON path)`.
template <typename Row, typename Read>
void read_array(const JsonFields& f, const char* key, std::vector<Row>& out, Read read) {
  const json& items = f.array(key);
  for (std::size_t i = 0; i < items.size(); ++i) out.push_back(read(items[i], f.path_of(key) + "/" + std::to_string(i)));
}

json to_json(const IntervalEndpoint& e, double interval_s) {
  json j = endpoint_json(e, /*summaries=*/false);
  j["rps"] = per_second(e.requests, interval_s);
  j["p50_ms"] = percentile_ms(e.latency, 50);
  j["p95_ms"] = percentile_ms(e.latency, 95);
  j["p99_ms"] = percentile_ms(e.latency, 99);
  return j;
}

json to_json(const IntervalShard& s, double interval_s) {
  json j = shard_json(s);
  j["rps"] = per_second(s.count, interval_s);
  j["p95_ms"] = percentile_ms(s.shard_time, 95);
  return j;
}

IntervalShard interval_shard_from_json(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  IntervalShard s;
  s.method = f.string("method");
  s.name = f.string("name");
  s.shard = f.i32("shard");
  if (s.shard < 0) JsonFields::fail(f.path_of("shard"), "must be >= 0");
  s.count = f.u64("count");
  s.shard_time = f.histogram("shard_time_hist");
  return s;
}

IntervalEndpoint interval_endpoint_from_json(const json& j, const std::string& path) {
  return endpoint_counts_from<IntervalEndpoint>(JsonFields(j, path));
}

}  // namespace

json to_json(const EndpointStats& e) {
  json j = endpoint_json(e, /*summaries=*/true);
  j["fail_ratio"] = ratio(e.failures, e.requests);
  if (e.rate_limited > 0) j["rate_limited_ratio"] = ratio(e.rate_limited, e.requests);
  j["avg_content_bytes"] = ratio(e.content_bytes, e.requests);
  j["first_request_s"] = e.first_request_s;
  j["last_request_s"] = e.last_request_s;
  j["latency"] = latency_summary(e.latency);
  if (!e.service.empty()) j["service"] = latency_summary(e.service);
  return j;
}

json to_json(const ShardStats& s) {
  json j = shard_json(s);
  j["shard_time"] = latency_summary(s.shard_time);
  j["single_shard_requests"] = s.single_shard_requests;
  j["single_shard_latency"] = latency_summary(s.single_shard_latency);
  j["single_shard_latency_hist"] = s.single_shard_latency.encode();
  // The open model's service time; absent in the closed model (and in older folders).
  if (!s.single_shard_service.empty()) {
    j["single_shard_service_hist"] = s.single_shard_service.encode();
    j["single_shard_service"] = latency_summary(s.single_shard_service);
  }
  return j;
}

json to_json(const FailureStats& f) {
  return {
      {"method", f.method},
      {"name", f.name},
      {"error", f.error},
      {"occurrences", f.occurrences},
  };
}

json to_json(const HistoryPoint& p) {
  json endpoints = json::array();
  for (const IntervalEndpoint& e : p.endpoints) endpoints.push_back(to_json(e, p.interval_s));
  json line = {
      {"elapsed_s", p.elapsed_s},
      {"interval_s", p.interval_s},
      {"unix_ms", p.unix_ms},
      {"users", p.users},
      {"endpoints", std::move(endpoints)},
      {"total", to_json(p.total(), p.interval_s)},
  };
  if (!p.shards.empty()) {
    json shards = json::array();
    for (const IntervalShard& s : p.shards) shards.push_back(to_json(s, p.interval_s));
    line["shards"] = std::move(shards);
  }
  return line;
}

namespace detail {

EndpointStats endpoint_from_json_at(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  EndpointStats e = endpoint_counts_from<EndpointStats>(f);
  e.first_request_s = f.number("first_request_s", 0.0);
  e.last_request_s = f.number("last_request_s", 0.0);
  return e;
}

ShardStats shard_from_json_at(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  ShardStats s;
  s.method = f.string("method");
  s.name = f.string("name");
  s.shard = f.i32("shard");
  s.count = f.u64("count", 0);
  s.shard_time = f.histogram("shard_time_hist");
  s.single_shard_requests = f.u64("single_shard_requests", 0);
  s.single_shard_latency = f.histogram("single_shard_latency_hist");
  s.single_shard_service = f.histogram("single_shard_service_hist");
  if (s.single_shard_service.count() > s.single_shard_requests)
    JsonFields::fail(f.path_of("single_shard_service_hist"), "holds more values than single_shard_requests");
  return s;
}

FailureStats failure_from_json_at(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  FailureStats out;
  out.method = f.string("method");
  out.name = f.string("name");
  out.error = f.string("error");
  out.occurrences = f.u64("occurrences");
  return out;
}

HistoryPoint history_point_from_json_at(const json& j, const std::string& path) {
  const JsonFields f(j, path);
  HistoryPoint p;
  p.elapsed_s = f.number("elapsed_s");
  p.interval_s = f.number("interval_s", 1.0);
  p.unix_ms = f.i64("unix_ms", 0);
  p.users = f.i32("users", 0);
  if (p.users < 0) JsonFields::fail(f.path_of("users"), "must be non-negative");
  if (p.interval_s < 0) JsonFields::fail(f.path_of("interval_s"), "must be non-negative");
  read_array(f, "endpoints", p.endpoints, interval_endpoint_from_json);
  if (f.find("shards") != nullptr) read_array(f, "shards", p.shards, interval_shard_from_json);
  return p;  // "total" is derived; recomputed by HistoryPoint::total()
}

}  // namespace detail

EndpointStats endpoint_from_json(const json& j) { return detail::endpoint_from_json_at(j, ""); }
ShardStats shard_from_json(const json& j) { return detail::shard_from_json_at(j, ""); }
FailureStats failure_from_json(const json& j) { return detail::failure_from_json_at(j, ""); }
HistoryPoint history_point_from_json(const json& j) { return detail::history_point_from_json_at(j, ""); }

}  // namespace stampede::results
