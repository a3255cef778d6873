#include "results/shard_metrics.h"

#include <algorithm>
#include <cmath>

namespace stampede::results {

bool is_counted_shard(int shard) { return shard >= 0 && shard < kMaxShards; }

bool is_write_method(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

int shard_count(const RunResult& run) {
  // The lab's record of the server's shard count (run.json lab.shards), when present.
  int n = run.info.lab ? run.info.lab->shards : 0;
  if (run.server) {
    n = std::max(n, run.server->shard_count);
    for (const ServerShard& s : run.server->shards)
      if (is_counted_shard(s.shard)) n = std::max(n, s.shard + 1);
  }
  for (const ShardStats& s : run.shards)
    if (is_counted_shard(s.shard)) n = std::max(n, s.shard + 1);
  return std::clamp(n, 0, kMaxShards);
}

double balance_score(const std::vector<double>& v) {
  if (v.size() < 2) return 100;
  double sum = 0;
  for (double x : v) sum += x;
  const double mean = sum / static_cast<double>(v.size());
  if (!(mean > 0)) return 100;
  double sq = 0;
  for (double x : v) sq += (x - mean) * (x - mean);
  const double cv = std::sqrt(sq / static_cast<double>(v.size())) / mean;
  return std::clamp(100.0 * (1.0 - cv), 0.0, 100.0);
}

std::vector<ShardTotals> shard_totals(const RunResult& run) {
  std::vector<ShardTotals> out(static_cast<std::size_t>(shard_count(run)));
  for (std::size_t k = 0; k < out.size(); ++k) out[k].shard = static_cast<int>(k);
  for (const ShardStats& s : run.shards) {
    if (!is_counted_shard(s.shard)) continue;
    ShardTotals& t = out[static_cast<std::size_t>(s.shard)];
    (is_write_method(s.method) ? t.write_touches : t.query_touches) += s.count;
    t.single_shard_requests += s.single_shard_requests;
    t.shard_time.merge(s.shard_time);
  }
  if (run.server) {
    for (ShardTotals& t : out) {
      const auto& lines = run.server->shards;
      const auto it = std::find_if(lines.begin(), lines.end(), [&](const ServerShard& s) { return s.shard == t.shard; });
      if (it != lines.end()) t.server = *it;
    }
  }
  return out;
}

bool has_every_server_line(const std::vector<ShardTotals>& shards) {
  return !shards.empty() && std::all_of(shards.begin(), shards.end(), [](const ShardTotals& t) { return t.server.has_value(); });
}

}  // namespace stampede::results
