#include "reference-server/queue_metrics.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace stampede::server {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
}

// ---- DurationHistogram --------------------------------------------------------------

void DurationHistogram::record(std::chrono::nanoseconds d) {
  const auto ns = std::max<std::int64_t>(d.count(), 0);
  const auto us = ns / 1000;
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBoundsUs.begin(), kBoundsUs.end(), us) - kBoundsUs.begin());
  buckets_[bucket].fetch_add(1, kRelaxed);
  sum_ns_.fetch_add(ns, kRelaxed);
  auto seen = max_ns_.load(kRelaxed);
  while (ns > seen && !max_ns_.compare_exchange_weak(seen, ns, kRelaxed)) {
  }
}

std::int64_t DurationHistogram::count() const {
  std::int64_t n = 0;
  for (const auto& b : buckets_) n += b.load(kRelaxed);
  return n;
}

double DurationHistogram::sum_seconds() const { return static_cast<double>(sum_ns_.load(kRelaxed)) / 1e9; }

double DurationHistogram::max_ms() const { return static_cast<double>(max_ns_.load(kRelaxed)) / 1e6; }

double DurationHistogram::quantile_ms(double q) const {
  const auto n = count();
  if (n == 0) return 0.0;
  const auto rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(q * static_cast<double>(n) + 0.999999));
  std::int64_t seen = 0;
  for (std::size_t b = 0; b < kBoundsUs.size(); ++b) {
    seen += buckets_[b].load(kRelaxed);
    // Never above the exact max: a bucket's bound can be far above what it holds.
    if (seen >= rank) return std::min(static_cast<double>(kBoundsUs[b]) / 1000.0, max_ms());
  }
  return max_ms();
}

void DurationHistogram::append_prometheus(std::string& out, const std::string& name,
                                          const std::string& labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  std::int64_t cumulative = 0;
  char line[256];
  for (std::size_t b = 0; b <= kBoundsUs.size(); ++b) {
    cumulative += buckets_[b].load(kRelaxed);
    if (b < kBoundsUs.size()) {
      std::snprintf(line, sizeof line, "%s_bucket{%s%sle=\"%g\"} %lld\n", name.c_str(), labels.c_str(), sep.c_str(),
                    static_cast<double>(kBoundsUs[b]) / 1e6, static_cast<long long>(cumulative));
    } else {
      std::snprintf(line, sizeof line, "%s_bucket{%s%sle=\"+Inf\"} %lld\n", name.c_str(), labels.c_str(),
                    sep.c_str(), static_cast<long long>(cumulative));
    }
    out += line;
  }
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  std::snprintf(line, sizeof line, "%s_sum%s %.6f\n%s_count%s %lld\n", name.c_str(), braces.c_str(), sum_seconds(),
                name.c_str(), braces.c_str(), static_cast<long long>(cumulative));
  out += line;
}

nlohmann::json DurationHistogram::summary() const {
  return {{"count", count()}, {"p50_ms", quantile_ms(0.50)}, {"p95_ms", quantile_ms(0.95)}, {"max_ms", max_ms()}};
}

// ---- QueueMetrics ---------------------------------------------------------------------

QueueMetrics::QueueMetrics(int shard_count, int consumers)
    : shard_count_(shard_count),
      consumers_(consumers),
      shards_(std::make_unique<PerShard[]>(static_cast<std::size_t>(std::max(shard_count, 0)))) {}

void QueueMetrics::record_published(std::chrono::nanoseconds publish_and_confirm) {
  published_.fetch_add(1, kRelaxed);
  publish_.record(publish_and_confirm);
}

void QueueMetrics::record_delivered(bool redelivered) {
  delivered_.fetch_add(1, kRelaxed);
  if (redelivered) redelivered_.fetch_add(1, kRelaxed);
}

void QueueMetrics::record_written(int shard, std::chrono::nanoseconds delay) {
  if (shard < 0 || shard >= shard_count_) return;
  auto& s = shards_[static_cast<std::size_t>(shard)];
  s.written.fetch_add(1, kRelaxed);
  s.delay.record(delay);
}

std::int64_t QueueMetrics::written() const {
  std::int64_t n = 0;
  for (int k = 0; k < shard_count_; ++k) n += shards_[static_cast<std::size_t>(k)].written.load(kRelaxed);
  return n;
}

std::int64_t QueueMetrics::in_progress() const {
  return delivered_.load(kRelaxed) - acked() - requeued_.load(kRelaxed) - abandoned_.load(kRelaxed);
}

nlohmann::json QueueMetrics::stats() const {
  nlohmann::json delay = nlohmann::json::array();
  for (int k = 0; k < shard_count_; ++k) {
    const auto& s = shards_[static_cast<std::size_t>(k)];
    auto entry = s.delay.summary();
    entry["shard"] = k;
    entry["written"] = s.written.load(kRelaxed);
    delay.push_back(std::move(entry));
  }
  return {{"write_path", "queue"},
          {"consumers", consumers_},
          {"consumers_connected", consumers_connected_.load(kRelaxed)},
          {"published", published()},
          {"publish_failures", publish_failures()},
          {"acked", acked()},
          {"written", written()},
          {"duplicates", duplicates()},
          {"redelivered", redelivered_.load(kRelaxed)},
          {"requeued", requeued_.load(kRelaxed)},
          {"bad_messages", bad_messages_.load(kRelaxed)},
          {"depth", depth()},
          {"in_progress", in_progress()},
          {"publish_ms", publish_.summary()},
          {"delay_ms", std::move(delay)}};
}

std::string QueueMetrics::prometheus_text() const {
  std::string out;
  out.reserve(8 * 1024);
  const auto counter = [&](const char* name, const char* help, std::int64_t value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name);
    out.append(" counter\n").append(name).append(" ").append(std::to_string(value)).append("\n");
  };
  const auto gauge = [&](const char* name, const char* help, std::int64_t value) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ").append(name);
    out.append(" gauge\n").append(name).append(" ").append(std::to_string(value)).append("\n");
  };
  counter("stampede_server_queue_published_total", "Grabs published to the queue and confirmed by the broker.",
          published());
  counter("stampede_server_queue_publish_failures_total",
          "Grabs answered 503 because the broker was down or did not confirm (stock given back).",
          publish_failures());
  counter("stampede_server_queue_acked_total", "Queue messages acknowledged by this server's consumers.", acked());
  counter("stampede_server_queue_duplicates_total",
          "Redelivered grabs whose result row was already written (no second row).", duplicates());
  counter("stampede_server_queue_redelivered_total", "Deliveries the broker flagged as redelivered.",
          redelivered_.load(kRelaxed));
  counter("stampede_server_queue_requeued_total", "Deliveries given back to the broker (their shard was down).",
          requeued_.load(kRelaxed));
  gauge("stampede_server_queue_depth",
        "Grabs published by this server minus messages acknowledged by it (summed over servers: the queue's depth).",
        depth());
  gauge("stampede_server_queue_consumers", "Consumers connected to the broker now.",
        consumers_connected_.load(kRelaxed));
  out += "# HELP stampede_server_queue_written_total Result rows committed by the consumers, per shard.\n"
         "# TYPE stampede_server_queue_written_total counter\n";
  for (int k = 0; k < shard_count_; ++k) {
    out += "stampede_server_queue_written_total{shard=\"" + std::to_string(k) + "\"} " +
           std::to_string(shards_[static_cast<std::size_t>(k)].written.load(kRelaxed)) + "\n";
  }
  out += "# HELP stampede_server_queue_publish_seconds Publish + broker confirm of one grab.\n"
         "# TYPE stampede_server_queue_publish_seconds histogram\n";
  publish_.append_prometheus(out, "stampede_server_queue_publish_seconds", "");
  out += "# HELP stampede_server_queue_delay_seconds From a grab's stock taken to its result row committed, per shard.\n"
         "# TYPE stampede_server_queue_delay_seconds histogram\n";
  for (int k = 0; k < shard_count_; ++k) {
    shards_[static_cast<std::size_t>(k)].delay.append_prometheus(out, "stampede_server_queue_delay_seconds",
                                                                 "shard=\"" + std::to_string(k) + "\"");
  }
  return out;
}

}  // namespace stampede::server
