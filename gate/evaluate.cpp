#include "gate/evaluate.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace stampede::gate {
namespace {

// What one scope did over some span of time.
struct Sample {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t dropped = 0;   // open model: arrivals not sent (no free user)
  std::uint64_t rate_limited = 0;  // HTTP 429 answers (not failures)
  bool failures_known = true;
  bool per_shard = false;
  results::Histogram latency;
  results::Histogram service;  // open model: from the actual send
  results::ExchangeStats exchange;  // connections, time to first byte, Server-Timing cache
  double duration_s = 0;
};

// What a run holds for service.* thresholds (docs/open-model.md).
enum class ServiceSource {
  kService,  // the service histograms: the run recorded service time
  kLatency,  // a closed-model run: its latency is measured from the send, the same figure
  kMissing,  // an open-model run without service time (an engine older than service_hist)
};

bool open_model(const results::RunResult& run) { return run.info.open_model.has_value(); }

bool recorded_service_time(const results::RunResult& run) {
  if (!run.aggregated.service.empty()) return true;
  for (const auto& e : run.endpoints)
    if (!e.service.empty()) return true;
  for (const auto& p : run.history)
    for (const auto& e : p.endpoints)
      if (!e.service.empty()) return true;
  return false;
}

ServiceSource service_source(const results::RunResult& run) {
  if (recorded_service_time(run)) return ServiceSource::kService;
  return open_model(run) ? ServiceSource::kMissing : ServiceSource::kLatency;
}

// Said after a figure so that the reader knows which latency it is (nothing for the
// closed model's plain latency: there is only one), or why dropped is 0.
std::string figure_note(const Threshold& t, const results::RunResult& run) {
  if (t.metric == Metric::kDropped) return open_model(run) ? "" : " (closed model: nothing is dropped)";
  if (t.metric == Metric::kCacheHitRatio) return " (Server-Timing cache;desc=hit of hit or miss)";
  if (t.metric == Metric::kRateLimited)
    return t.unit == Unit::kPercent ? " (HTTP 429 answers of all requests)" : " (HTTP 429 answers)";
  if (!t.is_latency() || t.selector.shard) return "";
  if (t.of == LatencyOf::kConnect) return " (TCP connect of the requests that opened a connection)";
  if (t.of == LatencyOf::kTls) return " (TLS handshake of the requests that opened a connection)";
  if (t.of == LatencyOf::kTtfb) return " (time to first byte, from the send on a ready connection)";
  if (t.of == LatencyOf::kService)
    return service_source(run) == ServiceSource::kLatency
               ? " (closed model: the latency, also from the actual send)"
               : " (service time, from the actual send)";
  return open_model(run) || recorded_service_time(run) ? " (latency from intended start)" : "";
}

bool matches(const Selector& sel, const std::string& method, const std::string& name) {
  return (!sel.name || *sel.name == name) && (!sel.method || *sel.method == method);
}

std::string describe_scope(const Selector& sel) {
  std::string endpoint;
  if (sel.method) endpoint = *sel.method;
  if (sel.name) endpoint += (endpoint.empty() ? "" : " ") + *sel.name;
  else if (sel.method) endpoint += " requests";
  if (sel.shard) {
    std::string s = "shard " + std::to_string(*sel.shard);
    return endpoint.empty() ? s : s + " of " + endpoint;
  }
  return endpoint.empty() ? "all requests" : endpoint;
}

std::string missing_message(const Selector& sel) {
  std::string what;
  if (sel.name) what = "no endpoint named \"" + *sel.name + "\"";
  if (sel.method) what += (what.empty() ? "no " : " with method ") + *sel.method + (sel.name ? "" : " requests");
  if (sel.shard) {
    std::string s = "shard " + std::to_string(*sel.shard) + " never appeared";
    what = what.empty() ? s : s + " for " + describe_scope({sel.name, sel.method, std::nullopt});
  }
  return what + " in this run";
}

// Whole-run sample for the selector, or nullopt when it matches nothing.
std::optional<Sample> whole_run(const Selector& sel, const results::RunResult& run) {
  Sample s;
  s.duration_s = run.info.duration_s;
  if (sel.shard) {
    bool found = false;
    for (const results::ShardStats& sh : run.shards) {
      if (sh.shard != *sel.shard || !matches(sel, sh.method, sh.name)) continue;
      found = true;
      s.requests += sh.count;
      s.latency.merge(sh.shard_time);
    }
    s.failures_known = false;
    s.per_shard = true;
    return found ? std::optional(s) : std::nullopt;
  }
  if (sel.empty()) {
    s.requests = run.aggregated.requests;
    s.failures = run.aggregated.failures;
    s.dropped = run.aggregated.dropped;
    s.rate_limited = run.aggregated.rate_limited;
    s.latency = run.aggregated.latency;
    s.service = run.aggregated.service;
    s.exchange = run.aggregated.exchange;
    return s;
  }
  bool found = false;
  for (const results::EndpointStats& e : run.endpoints) {
    if (!matches(sel, e.method, e.name)) continue;
    found = true;
    s.requests += e.requests;
    s.failures += e.failures;
    s.dropped += e.dropped;
    s.rate_limited += e.rate_limited;
    s.latency.merge(e.latency);
    s.service.merge(e.service);
    s.exchange.merge(e.exchange);
  }
  return found ? std::optional(s) : std::nullopt;
}

void add_point(const Selector& sel, const results::HistoryPoint& p, Sample& s) {
  s.duration_s += p.interval_s;
  if (sel.shard) {
    s.failures_known = false;
    s.per_shard = true;
    for (const results::IntervalShard& sh : p.shards) {
      if (sh.shard != *sel.shard || !matches(sel, sh.method, sh.name)) continue;
      s.requests += sh.count;
      s.latency.merge(sh.shard_time);
    }
    return;
  }
  for (const results::IntervalEndpoint& e : p.endpoints) {
    if (!matches(sel, e.method, e.name)) continue;
    s.requests += e.requests;
    s.failures += e.failures;
    s.dropped += e.dropped;
    s.rate_limited += e.rate_limited;
    s.latency.merge(e.latency);
    s.service.merge(e.service);
    s.exchange.merge(e.exchange);
  }
}

// The histogram a latency metric reads on a sample, or nullptr (with why) when the sample
// has none to read (a scope whose requests opened no connection, did no TLS handshake).
const results::Histogram* latency_histogram(const Threshold& t, const Sample& s, ServiceSource source,
                                            std::string& why) {
  switch (t.of) {
    case LatencyOf::kLatency: return &s.latency;
    case LatencyOf::kService:
      if (s.per_shard) {  // only a regression rule's probe gets here; the parser refuses it
        why = "service time is not recorded per shard";
        return nullptr;
      }
      if (source == ServiceSource::kMissing) {
        why = "this open-model run recorded no service time (written by an older stampede)";
        return nullptr;
      }
      return source == ServiceSource::kService ? &s.service : &s.latency;
    case LatencyOf::kConnect:
    case LatencyOf::kTls:
    case LatencyOf::kTtfb: break;
  }
  if (s.per_shard) {  // only a regression rule's probe gets here; the parser refuses it
    why = t.metric_name() + " is not recorded per shard";
    return nullptr;
  }
  if (t.of == LatencyOf::kConnect) {
    if (s.exchange.connect.empty()) {
      why = "no request opened a connection to measure " + t.metric_name() + " on (all reused one)";
      return nullptr;
    }
    return &s.exchange.connect;
  }
  if (t.of == LatencyOf::kTls) {
    if (s.exchange.tls.empty()) {
      why = "no TLS handshake to measure " + t.metric_name() + " on (an http:// target, or every request reused a "
            "connection)";
      return nullptr;
    }
    return &s.exchange.tls;
  }
  return &s.exchange.ttfb;
}

// The metric on a sample; nullopt (with why) when the sample can't answer it.
// `source` says where service.* reads (ignored for the other metrics); `exchange_recorded`:
// the run recorded some exchange figure (an older engine recorded none, which is not the
// same as a scope whose requests opened nothing).
std::optional<double> measure(const Threshold& t, const Sample& s, ServiceSource source, bool exchange_recorded,
                              std::string& why) {
  if (t.is_exchange() && !exchange_recorded && !s.per_shard) {
    why = "this run recorded no connection, time-to-first-byte or cache figures (written by an older stampede)";
    return std::nullopt;
  }
  switch (t.metric) {
    case Metric::kPercentile:
    case Metric::kAvg:
    case Metric::kMin:
    case Metric::kMax: {
      const results::Histogram* h = latency_histogram(t, s, source, why);
      if (!h) return std::nullopt;
      if (h->empty()) {
        why = (t.of == LatencyOf::kTtfb ? "no responses to measure " : "no requests to measure ") + t.metric_name() +
              " on";
        return std::nullopt;
      }
      if (t.metric == Metric::kPercentile) return double(h->value_at_percentile(t.percentile));
      if (t.metric == Metric::kAvg) return h->mean();
      if (t.metric == Metric::kMin) return double(h->min());
      return double(h->max());
    }
    case Metric::kRps:
      if (s.duration_s <= 0) {
        why = "the run has no duration to compute rps";
        return std::nullopt;
      }
      return double(s.requests) / s.duration_s;
    case Metric::kErrorRate:
      if (!s.failures_known) {
        why = "error_rate is not recorded per shard";
        return std::nullopt;
      }
      if (s.requests == 0) {
        why = "no requests to compute error_rate on";
        return std::nullopt;
      }
      return double(s.failures) / double(s.requests);
    case Metric::kCount:
      return double(s.requests);
    case Metric::kRateLimited:
      if (s.per_shard) {  // only a regression rule's probe gets here; the parser refuses it
        why = "rate-limited answers are not recorded per shard";
        return std::nullopt;
      }
      if (t.unit != Unit::kPercent) return double(s.rate_limited);  // a count
      if (s.requests == 0) {
        why = "no requests to compute the rate-limited share on";
        return std::nullopt;
      }
      return double(s.rate_limited) / double(s.requests);
    case Metric::kDropped:
      if (s.per_shard) {  // only a regression rule's probe gets here; the parser refuses it
        why = "dropped arrivals are not recorded per shard";
        return std::nullopt;
      }
      return double(s.dropped);
    case Metric::kCacheHitRatio: {
      if (s.per_shard) {  // only a regression rule's probe gets here; the parser refuses it
        why = "cache_hit_ratio is not recorded per shard";
        return std::nullopt;
      }
      const std::optional<double> ratio = s.exchange.cache_hit_ratio();
      if (!ratio) {
        why = "no response said cache;desc=hit or miss in its Server-Timing header";
        return std::nullopt;
      }
      return *ratio;
    }
  }
  return std::nullopt;
}

// Some endpoint or interval of the run recorded an exchange figure (a newer engine).
bool recorded_exchange(const results::RunResult& run) {
  if (!run.aggregated.exchange.empty()) return true;
  for (const auto& e : run.endpoints)
    if (!e.exchange.empty()) return true;
  for (const auto& p : run.history)
    for (const auto& e : p.endpoints)
      if (!e.exchange.empty()) return true;
  return false;
}

bool endpoint_exists(const Selector& sel, const results::RunResult& run) {
  if (sel.empty()) return true;
  if (sel.shard) {
    return std::any_of(run.shards.begin(), run.shards.end(), [&](const auto& sh) {
      return sh.shard == *sel.shard && matches(sel, sh.method, sh.name);
    });
  }
  return std::any_of(run.endpoints.begin(), run.endpoints.end(),
                     [&](const auto& e) { return matches(sel, e.method, e.name); });
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

Outcome no_data(Outcome o, const std::string& why) {
  o.verdict = Verdict::kNoData;
  o.message = o.threshold.metric_name() + ": " + why + " (limit " + o.threshold.format_limit() + ")";
  return o;
}

void conclude(Outcome& o, double measured, const std::string& context, const results::RunResult& run) {
  o.measured = measured;
  o.verdict = o.threshold.passes(measured) ? Verdict::kPass : Verdict::kFail;
  o.message = context + o.threshold.metric_name() + " = " + o.threshold.format_value(measured) +
              figure_note(o.threshold, run) + ", limit " + o.threshold.format_limit() + " (" + o.scope + ")";
}

Outcome evaluate_history(Outcome o, const results::RunResult& run, const EvaluateOptions& options) {
  const Threshold& t = o.threshold;
  if (!endpoint_exists(t.selector, run)) return no_data(o, missing_message(t.selector));
  if (t.selector.shard && std::none_of(run.history.begin(), run.history.end(),
                                       [](const auto& p) { return !p.shards.empty(); }))
    return no_data(o, "this run's history has no per-shard slices (written by an older stampede), "
                      "so a shard threshold can't use a warm-up or a window");
  const double warmup_s = options.warmup.count() / 1e3;
  std::vector<const results::HistoryPoint*> points;
  for (const results::HistoryPoint& p : run.history)
    if (p.elapsed_s - p.interval_s >= warmup_s - 1e-6) points.push_back(&p);
  std::string after = warmup_s > 0 ? " after the " + seconds(warmup_s) + " warm-up" : "";
  if (points.empty()) return no_data(o, "no history" + (after.empty() ? " in this run" : after));

  if (!t.window) {
    Sample s;
    for (const auto* p : points) add_point(t.selector, *p, s);
    std::string why;
    auto v = measure(t, s, service_source(run), recorded_exchange(run), why);
    if (!v) return no_data(o, why + after);
    conclude(o, *v, "", run);
    o.message += after;
    return o;
  }

  const double window_s = t.window->count() / 1e3;
  const bool lower_is_better = t.comparison == Comparison::kLess || t.comparison == Comparison::kLessEqual;
  std::optional<double> worst;
  std::size_t windows = 0;
  std::size_t first = 0;
  const ServiceSource source = service_source(run);
  const bool exchange_recorded = recorded_exchange(run);
  for (std::size_t last = 0; last < points.size(); ++last) {
    const double end = points[last]->elapsed_s;
    // `first < last`: with times so large that end - window_s == end (a hostile folder),
    // the last point itself would qualify and the start would run off the end.
    while (first < last && points[first]->elapsed_s <= end - window_s + 1e-6) ++first;
    // A full window reaches back to (end - window); earlier points were dropped above.
    const double start = points[first]->elapsed_s - points[first]->interval_s;
    if (start > end - window_s + 1e-6) continue;
    Sample s;
    for (std::size_t k = first; k <= last; ++k) add_point(t.selector, *points[k], s);
    std::string why;
    auto v = measure(t, s, source, exchange_recorded, why);
    if (!v) {
      // A run without the figure at all: no window can have it.
      if ((t.of == LatencyOf::kService && source == ServiceSource::kMissing) || (t.is_exchange() && !exchange_recorded))
        return no_data(o, why);
      continue;  // a quiet window says nothing about latency
    }
    ++windows;
    if (!worst || (lower_is_better ? *v > *worst : *v < *worst)) {
      worst = v;
      o.window_end_s = end;
    }
  }
  if (!worst)
    return no_data(o, "no complete " + seconds(window_s) + " window with requests" +
                          (after.empty() ? " in this run" : after));
  conclude(o, *worst, "worst " + seconds(window_s) + " window (ending at " + seconds(o.window_end_s) + "): ", run);
  o.message += ", " + std::to_string(windows) + " windows" + after;
  return o;
}

}  // namespace

Outcome evaluate(const Threshold& threshold, const results::RunResult& run,
                 const EvaluateOptions& options) {
  Outcome o;
  o.threshold = threshold;
  o.scope = describe_scope(threshold.selector);
  if (threshold.window || options.warmup.count() > 0) return evaluate_history(o, run, options);
  std::optional<Sample> s = whole_run(threshold.selector, run);
  if (!s) return no_data(o, missing_message(threshold.selector));
  std::string why;
  auto v = measure(threshold, *s, service_source(run), recorded_exchange(run), why);
  if (!v) return no_data(o, why + " (" + o.scope + ")");
  conclude(o, *v, "", run);
  return o;
}

std::vector<Outcome> evaluate_all(const std::vector<Threshold>& thresholds,
                                  const results::RunResult& run, const EvaluateOptions& options) {
  std::vector<Outcome> out;
  for (const Threshold& t : thresholds) out.push_back(evaluate(t, run, options));
  return out;
}

bool all_passed(const std::vector<Outcome>& outcomes) {
  return std::all_of(outcomes.begin(), outcomes.end(), [](const Outcome& o) { return o.passed(); });
}

}  // namespace stampede::gate
