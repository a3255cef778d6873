#include "locust/report_builder.h"

#include <cmath>

namespace stampede::locust {
namespace {

void add_slice(StatsEntry& e, const results::IntervalEndpoint& slice, double second_unix_s, double end_unix_s) {
  if (slice.requests == 0 && slice.failures == 0 && slice.rate_limited == 0) return;
  const results::Histogram& h = slice.latency;
  // The bucket walk files each request under its bucket; the exact sum, min and max are
  // the histogram's own (a bucket's midpoint is within 0.1 % of its values).
  const double sum_before = e.total_response_time;
  std::uint64_t logged = 0;
  h.for_each_bucket([&](std::uint64_t lo, std::uint64_t hi, std::uint64_t count) {
    e.log(static_cast<double>(lo + hi) / 2000.0, 0, second_unix_s, count);
    logged += count;
  });
  // Requests without a latency sample (none today) still count, as Locust's none requests.
  if (slice.requests > logged) {
    e.num_requests += slice.requests - logged;
    e.num_none_requests += slice.requests - logged;
    e.num_reqs_per_sec[static_cast<std::int64_t>(std::floor(second_unix_s))] += slice.requests - logged;
  }
  if (!h.empty()) {
    e.total_response_time = sum_before + static_cast<double>(h.sum()) / 1000.0;
    const double min_ms = static_cast<double>(h.min()) / 1000.0;
    e.min_response_time = e.min_response_time ? std::min(*e.min_response_time, min_ms) : min_ms;
    e.max_response_time = std::max(e.max_response_time, static_cast<double>(h.max()) / 1000.0);
  }
  e.total_content_length += slice.content_bytes;
  // A 429 is a failure to Locust (an HTTPError): its master counts the rate-limited answers
  // as failures, as stampede's Locust CSV does (reporters/locust_csv.h).
  e.log_error(second_unix_s, slice.failures + slice.rate_limited);
  e.last_request_timestamp = std::max(e.last_request_timestamp.value_or(end_unix_s), end_unix_s);
}

}  // namespace

void ReportBuilder::add(const results::HistoryPoint& point) {
  const double end_unix_s = static_cast<double>(point.unix_ms) / 1000.0;
  const double middle_unix_s = end_unix_s - point.interval_s / 2;
  for (const results::IntervalEndpoint& slice : point.endpoints) {
    auto [it, fresh] = entries_.try_emplace({slice.name, slice.method});
    if (fresh) {
      it->second.name = slice.name;
      it->second.method = slice.method;
      it->second.start_time = start_unix_s_;
    }
    add_slice(it->second, slice, middle_unix_s, end_unix_s);
    if (slice.rate_limited > 0) add_failures({{slice.method, slice.name, "HTTP 429", slice.rate_limited}});
  }
}

void ReportBuilder::add_failures(const std::vector<results::FailureStats>& rows) {
  for (const results::FailureStats& f : rows) {
    StatsErrorEntry& row = errors_[error_key(f.method, f.name, f.error)];
    row.method = f.method;
    row.name = f.name;
    row.error = f.error;
    row.occurrences += f.occurrences;
  }
}

StatsReport ReportBuilder::take(const std::map<std::string, int>& user_classes_count, double now_unix_s) {
  StatsReport report;
  report.total.name = results::kAggregatedName;
  report.total.method = "";
  report.total.start_time = start_unix_s_;
  for (auto& [key, e] : entries_) {
    report.total.extend(e);
    report.stats.push_back(std::move(e));
  }
  report.errors = std::move(errors_);
  report.user_classes_count = user_classes_count;
  for (const auto& [cls, n] : user_classes_count) report.user_count += n;
  entries_.clear();
  errors_.clear();
  start_unix_s_ = now_unix_s;
  return report;
}

}  // namespace stampede::locust
