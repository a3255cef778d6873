#include "reporters/console_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "reporters/exchange_table.h"
#include "reporters/history_window.h"
#include "reporters/locust_stats.h"
#include "reporters/rate_limited_lines.h"
#include "reporters/scenario_counts.h"
#include "reporters/shard_table.h"
#include "reporters/text_cells.h"

namespace stampede::reporters {

namespace {

constexpr std::size_t kFailsWidth = 14;
constexpr std::size_t kRateWidth = 9;
constexpr std::size_t kFailRateWidth = 11;
constexpr std::size_t kDroppedWidth = 9;

// The open model (docs/open-model.md): its tables add dropped arrivals and service time,
// and say which latency they show. A closed-model run's output is unchanged.
bool open_model(const results::RunResult& result) { return result.info.open_model.has_value(); }

std::string users_text(int n) { return std::to_string(n) + (n == 1 ? " user" : " users"); }

std::string two_decimals(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::vector<const results::EndpointStats*> sorted_endpoints(const results::RunResult& result) {
  std::vector<const results::EndpointStats*> rows;
  for (const auto& e : result.endpoints) rows.push_back(&e);
  std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return EndpointKey{a->name, a->method} < EndpointKey{b->name, b->method};
  });
  return rows;
}

// The open model's extra cells of a stats row: dropped arrivals, then service time.
struct OpenCells {
  std::string dropped;
  std::vector<std::string> service;  // median, p99
};

std::string stats_line(std::string_view type, std::string_view name, std::string_view reqs,
                       std::string_view fails, const std::vector<std::string>& latencies,
                       std::string_view rps, std::string_view fps, std::size_t name_width,
                       const std::optional<OpenCells>& open = std::nullopt) {
  std::string line = endpoint_cells(type, name, name_width) + " " + right(reqs, kCountWidth) + " " +
                     right(fails, kFailsWidth);
  if (open) line += " " + right(open->dropped, kDroppedWidth);
  line += latency_cells(latencies);
  if (open) line += latency_cells(open->service);
  return line + " |" + right(rps, kRateWidth) + " " + right(fps, kFailRateWidth);
}

// Locust's total_rps: over the time from run start to the last request of the run.
double whole_run_rate(std::uint64_t count, double last_request_s) {
  return last_request_s > 0 ? static_cast<double>(count) / last_request_s : 0.0;
}

std::string stats_row(const results::EndpointStats& e, const results::RunResult& result,
                      bool current, std::string_view name, std::size_t name_width) {
  double rps = 0;
  double fps = 0;
  if (current) {
    std::optional<EndpointKey> only;
    if (&e != &result.aggregated) only = EndpointKey{e.name, e.method};
    const WindowRates rates = current_rates(result.history, only);
    rps = rates.requests_per_s();
    fps = rates.failures_per_s();
  } else {
    rps = whole_run_rate(e.requests, result.aggregated.last_request_s);
    fps = whole_run_rate(e.failures, result.aggregated.last_request_s);
  }
  const auto& h = e.latency;
  const std::vector<std::string> latencies = {
      format_ms(static_cast<std::uint64_t>(std::llround(h.mean()))), format_ms(h.min()),
      format_ms(h.max()),
      format_ms(h.value_at_percentile(50)),
      format_ms(h.value_at_percentile(95)),
      format_ms(h.value_at_percentile(99))};
  const std::string fails =
      std::to_string(e.failures) + "(" + format_percent(e.failures, e.requests) + ")";
  std::optional<OpenCells> open;
  if (open_model(result))
    open = OpenCells{std::to_string(e.dropped),
                     {format_ms(e.service.value_at_percentile(50)), format_ms(e.service.value_at_percentile(99))}};
  return stats_line(e.method, name, std::to_string(e.requests), fails, latencies,
                    two_decimals(rps), two_decimals(fps), name_width, open);
}

std::string percentile_line(std::string_view type, std::string_view name,
                            const std::vector<std::string>& cells, std::string_view reqs,
                            std::size_t name_width) {
  return endpoint_cells(type, name, name_width) + latency_cells(cells) + " |" + right(reqs, kCountWidth);
}

// Which of an endpoint's histograms a percentile table shows.
using HistogramOf = const results::Histogram& (*)(const results::EndpointStats&);
const results::Histogram& latency_of(const results::EndpointStats& e) { return e.latency; }
const results::Histogram& service_of(const results::EndpointStats& e) { return e.service; }

std::string percentile_row(const results::EndpointStats& e, std::string_view name,
                           std::size_t name_width, HistogramOf histogram) {
  std::vector<std::string> cells;
  for (double p : kLocustPercentiles) cells.push_back(format_ms(histogram(e).value_at_percentile(p * 100)));
  return percentile_line(e.method, name, cells, std::to_string(e.requests), name_width);
}

void print_percentiles_of(std::ostream& out, const results::RunResult& result, const TableOptions& options,
                          std::string_view title, HistogramOf histogram) {
  const std::size_t w = options.name_width;
  std::vector<std::string> titles(std::begin(kLocustPercentileTitles),
                                  std::end(kLocustPercentileTitles));
  const std::string header = percentile_line("Type", "Name", titles, "# reqs", w);
  const std::string sep = separator_for(header);
  out << title << '\n' << header << '\n' << sep << '\n';
  for (const auto* e : sorted_endpoints(result)) {
    if (histogram(*e).empty()) continue;  // as Locust: only rows with response times
    out << percentile_row(*e, e->name, w, histogram) << '\n';
  }
  out << sep << '\n';
  if (!histogram(result.aggregated).empty()) {
    out << percentile_row(result.aggregated, results::kAggregatedName, w, histogram) << '\n';
  }
}

std::string rate_text(double per_s) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%g", per_s);
  return buf;
}

// The open model's lines above a table: the schedule and its drops (a final summary only),
// then which latency the table shows.
void print_open_model_lines(std::ostream& out, const results::RunResult& result, bool final) {
  const results::OpenModelInfo& open = *result.info.open_model;
  if (final) {
    const std::uint64_t arrivals = open.iterations_started + open.dropped;
    out << "Open model: " << (open.shape ? "up to " : "") << rate_text(open.arrival_rate) << " arrivals/s ("
        << results::to_string(open.arrivals) << ")";
    if (open.max_users > 0) out << ", at most " << users_text(open.max_users) << " busy";
    out << "; " << arrivals << " arrivals, " << open.iterations_started << " started, " << open.dropped
        << " dropped (" << format_percent(open.dropped, arrivals) << ")";
    if (open.late_arrivals > 0)
      out << "; " << open.late_arrivals << " started late, max schedule lag " << two_decimals(open.max_schedule_lag_ms)
          << " ms";
    out << '\n';
  }
  out << "Latency from intended start (Avg ... p99); svc Med, svc p99: service time, from the actual send; "
         "# dropped: arrivals not sent (no free user)\n";
}

// The users the run reached: the runner's own count of its peak, else the history's, else
// what was asked (a result with neither).
int reached_users(const results::RunResult& result) {
  if (result.info.peak_users) return *result.info.peak_users;
  if (result.history.empty()) return result.info.users;
  int peak = 0;
  for (const auto& point : result.history) peak = std::max(peak, point.users);
  return peak;
}

}  // namespace

void print_stats_table(std::ostream& out, const results::RunResult& result, bool current,
                       const TableOptions& options) {
  const std::size_t w = options.name_width;
  std::optional<OpenCells> open;
  if (open_model(result)) open = OpenCells{"# dropped", {"svc Med", "svc p99"}};
  const std::string header =
      stats_line("Type", "Name", "# reqs", "# fails", {"Avg", "Min", "Max", "Med", "p95", "p99"},
                 "req/s", "failures/s", w, open);
  const std::string sep = separator_for(header);
  out << header << '\n' << sep << '\n';
  for (const auto* e : sorted_endpoints(result)) {
    out << stats_row(*e, result, current, e->name, w) << '\n';
  }
  out << sep << '\n';
  out << stats_row(result.aggregated, result, current, results::kAggregatedName, w) << '\n';
}

void print_percentile_table(std::ostream& out, const results::RunResult& result,
                            const TableOptions& options) {
  if (!open_model(result)) {
    print_percentiles_of(out, result, options, "Response time percentiles (approximated, ms)", latency_of);
    return;
  }
  print_percentiles_of(out, result, options,
                       "Response time percentiles (approximated, ms), latency from intended start", latency_of);
  out << '\n';
  print_percentiles_of(out, result, options,
                       "Service time percentiles (approximated, ms), from the actual send", service_of);
}

void print_error_report(std::ostream& out, const results::RunResult& result,
                        const TableOptions& options) {
  if (result.failures.empty()) return;
  const std::string header = right("# occurrences", 14) + " | Error";
  const std::string sep = std::string(15, '-') + "|" + std::string(kTypeWidth + options.name_width + 20, '-');
  out << "Error report\n" << header << '\n' << sep << '\n';
  for (const auto& f : result.failures) {
    std::string what = f.method.empty() ? f.name : f.method + " " + f.name;
    out << right(std::to_string(f.occurrences), 14) << " | " << one_line(what) << ": "
        << one_line(f.error) << '\n';
  }
  out << sep << '\n';
}

void print_live_table(std::ostream& out, const results::RunResult& result,
                      const TableOptions& options) {
  const auto& agg = result.aggregated;
  // A live caller sets info.duration_s to "now"; a result read from disk mid-run has 0
  // there, and then the newest history point is the best clock we have.
  const double elapsed_s = result.info.duration_s > 0 ? result.info.duration_s
                           : result.history.empty()  ? agg.last_request_s
                                                     : result.history.back().elapsed_s;
  const int users = result.history.empty() ? result.info.users : result.history.back().users;
  const WindowRates rates = current_rates(result.history);
  out << "Elapsed " << format_hms(elapsed_s) << " | " << users_text(users) << " | "
      << two_decimals(rates.requests_per_s()) << " req/s (last "
      << static_cast<int>(kCurrentWindowS) << " s) | " << format_percent(agg.failures, agg.requests)
      << " failures (" << agg.failures << " of " << agg.requests << ")";
  if (open_model(result)) out << " | " << agg.dropped << " dropped";
  if (agg.skipped > 0) out << " | " << agg.skipped << " skipped";
  if (agg.rate_limited > 0)
    out << " | " << agg.rate_limited << " rate limited (" << format_percent(agg.rate_limited, agg.requests) << ")";
  out << '\n';
  if (open_model(result)) print_open_model_lines(out, result, /*final=*/false);
  print_stats_table(out, result, /*current=*/true, options);
  out << '\n';
}

void print_final_summary(std::ostream& out, const results::RunResult& result,
                         const TableOptions& options) {
  const auto& info = result.info;
  const auto& agg = result.aggregated;
  out << "Run summary";
  if (!info.label.empty()) out << " '" << info.label << "'";
  out << ": " << info.status;
  if (!info.stop_reason.empty()) out << " (" << info.stop_reason << ")";
  const int reached = reached_users(result);
  out << ", " << format_hms(info.duration_s) << ", " << users_text(reached);
  // The open model asks for arrivals, not users (its cap is on the Open model line).
  if (!info.load_shape && !open_model(result) && reached < info.users) out << " (of " << info.users << " asked)";
  out << ", " << agg.requests
      << " requests, " << format_percent(agg.failures, agg.requests) << " failed";
  if (agg.rate_limited > 0) out << ", " << format_percent(agg.rate_limited, agg.requests) << " rate limited (HTTP 429)";
  out << '\n';
  if (open_model(result)) print_open_model_lines(out, result, /*final=*/true);
  print_stats_table(out, result, /*current=*/false, options);
  out << '\n';
  print_percentile_table(out, result, options);
  out << '\n';
  if (has_exchange_figures(result)) {
    print_exchange_table(out, result, options);
    out << '\n';
  }
  if (rate_limited_total(result) > 0) {
    print_rate_limited(out, result, options);
    out << '\n';
  }
  if (has_scenario_counts(result)) {
    print_scenario_counts(out, result, options);
    out << '\n';
  }
  if (!result.failures.empty()) {
    print_error_report(out, result, options);
    out << '\n';
  }
  if (!result.shards.empty()) {
    print_shard_tables(out, result, options);
    out << '\n';
  }
}

}  // namespace stampede::reporters
