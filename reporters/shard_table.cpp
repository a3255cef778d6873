#include "reporters/shard_table.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <map>
#include <string>
#include <vector>

#include "reporters/history_window.h"
#include "reporters/text_cells.h"

namespace stampede::reporters {

namespace {

constexpr std::size_t kShardWidth = 6;
constexpr std::size_t kShareWidth = 8;
constexpr std::size_t kSingleWidth = 8;
constexpr std::size_t kSingleP95Width = 11;

std::string shard_line(std::string_view shard, std::string_view type, std::string_view name,
                       std::string_view count, std::string_view share,
                       const std::vector<std::string>& times, std::string_view single,
                       std::string_view single_p95, std::size_t name_width,
                       const std::optional<std::string>& single_service_p95 = std::nullopt) {
  std::string line = right(shard, kShardWidth) + " " + endpoint_cells(type, name, name_width) + " " +
                     right(count, kCountWidth) + right(share, kShareWidth) + latency_cells(times) + " |" +
                     right(single, kSingleWidth) + right(single_p95, kSingleP95Width);
  if (single_service_p95) line += right(*single_service_p95, kSingleP95Width + 4);
  return line;
}

}  // namespace

void print_shard_tables(std::ostream& out, const results::RunResult& result,
                        const TableOptions& options) {
  if (result.shards.empty()) return;
  const std::size_t w = options.name_width;

  std::map<EndpointKey, std::uint64_t> hits_per_endpoint;
  std::map<int, std::uint64_t> hits_per_shard;
  std::uint64_t all_hits = 0;
  for (const auto& s : result.shards) {
    hits_per_endpoint[EndpointKey{s.name, s.method}] += s.count;
    hits_per_shard[s.shard] += s.count;
    all_hits += s.count;
  }

  // The open model's service time of the single-shard responses, when recorded.
  const bool service = std::any_of(result.shards.begin(), result.shards.end(),
                                   [](const results::ShardStats& s) { return !s.single_shard_service.empty(); });
  const std::optional<std::string> service_title = service ? std::optional<std::string>("single svc p95") : std::nullopt;
  const std::string header = shard_line("Shard", "Type", "Name", "count", "share",
                                        {"p50", "p95", "p99"}, "single", "single p95", w, service_title);
  const std::string sep = separator_for(header);
  out << "Shard timings (Server-Timing shard time in ms; single = responses that touched only "
      << (service ? "this shard, their p95 from the intended start and from the send)\n"
                  : "this shard, their end-to-end p95)\n")
      << header << '\n'
      << sep << '\n';
  for (const auto& s : result.shards) {
    const std::uint64_t endpoint_hits = hits_per_endpoint[EndpointKey{s.name, s.method}];
    const std::string single_p95 =
        s.single_shard_requests == 0 || s.single_shard_latency.empty()
            ? "-"
            : format_ms(s.single_shard_latency.value_at_percentile(95));
    std::optional<std::string> single_service;
    if (service)
      single_service = s.single_shard_service.empty() ? "-" : format_ms(s.single_shard_service.value_at_percentile(95));
    out << shard_line(std::to_string(s.shard), s.method, s.name, std::to_string(s.count),
                      format_percent(s.count, endpoint_hits),
                      {format_ms(s.shard_time.value_at_percentile(50)),
                       format_ms(s.shard_time.value_at_percentile(95)),
                       format_ms(s.shard_time.value_at_percentile(99))},
                      std::to_string(s.single_shard_requests), single_p95, w, single_service)
        << '\n';
  }
  out << sep << '\n' << '\n';

  const std::string totals_header =
      right("Shard", kShardWidth) + " " + right("requests", 12) + " " + right("share", kShareWidth);
  out << "Shard totals\n" << totals_header << '\n' << std::string(totals_header.size(), '-') << '\n';
  for (const auto& [shard, hits] : hits_per_shard) {
    out << right(std::to_string(shard), kShardWidth) << " " << right(std::to_string(hits), 12)
        << " " << right(format_percent(hits, all_hits), kShareWidth) << '\n';
  }
  out << std::string(totals_header.size(), '-') << '\n';
  out << right("all", kShardWidth) << " " << right(std::to_string(all_hits), 12) << " "
      << right(format_percent(all_hits, all_hits), kShareWidth) << '\n';
}

}  // namespace stampede::reporters
