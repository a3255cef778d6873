#include "merge/merge_history.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace stampede::merge {
namespace {

using results::HistoryPoint;
using results::IntervalEndpoint;
using results::IntervalShard;

std::int64_t second_of(const HistoryPoint& p) {
  // The second the interval ends in: (s-1 s, s] maps to s, so a point stamped exactly on
  // a whole second stays in it.
  return p.unix_ms >= 0 ? (p.unix_ms + 999) / 1000 : p.unix_ms / 1000;
}

void add_into(IntervalEndpoint& into, const IntervalEndpoint& e) {
  into.requests += e.requests;
  into.failures += e.failures;
  into.rate_limited += e.rate_limited;
  into.content_bytes += e.content_bytes;
  into.latency.merge(e.latency);
  into.service.merge(e.service);
  into.dropped += e.dropped;
  into.exchange.merge(e.exchange);
}

struct Bucket {
  double interval_s = 0;
  std::map<std::pair<std::string, std::string>, IntervalEndpoint> endpoints;  // (name, method)
  std::map<std::tuple<int, std::string, std::string>, IntervalShard> shards;  // (shard, name, method)
};

}  // namespace

std::vector<HistoryPoint> merge_histories(const std::vector<const std::vector<HistoryPoint>*>& histories,
                                          std::int64_t started_unix_ms) {
  std::map<std::int64_t, Bucket> buckets;
  for (const auto* history : histories) {
    for (const HistoryPoint& p : *history) {
      Bucket& b = buckets[second_of(p)];
      b.interval_s = std::max(b.interval_s, p.interval_s);
      for (const IntervalEndpoint& e : p.endpoints) {
        auto [it, fresh] = b.endpoints.try_emplace({e.name, e.method});
        if (fresh) {
          it->second.method = e.method;
          it->second.name = e.name;
        }
        add_into(it->second, e);
      }
      for (const IntervalShard& s : p.shards) {
        auto [it, fresh] = b.shards.try_emplace({s.shard, s.name, s.method});
        if (fresh) {
          it->second.method = s.method;
          it->second.name = s.name;
          it->second.shard = s.shard;
        }
        it->second.count += s.count;
        it->second.shard_time.merge(s.shard_time);
      }
    }
  }

  // Users: each part's latest users at or before the second, while the part still runs
  // (up to its last point's second).
  std::vector<HistoryPoint> merged;
  merged.reserve(buckets.size());
  // Buckets come in increasing seconds and each history is in time order: one cursor per
  // part, at its latest point not after the current second.
  std::vector<std::size_t> next(histories.size(), 0);
  std::vector<int> users(histories.size(), 0);
  for (auto& [second, b] : buckets) {
    HistoryPoint p;
    p.unix_ms = second * 1000;
    p.elapsed_s = static_cast<double>(p.unix_ms - started_unix_ms) / 1000.0;
    p.interval_s = b.interval_s;
    for (std::size_t i = 0; i < histories.size(); ++i) {
      const auto& history = *histories[i];
      while (next[i] < history.size() && second_of(history[next[i]]) <= second) users[i] = history[next[i]++].users;
      if (!history.empty() && second_of(history.back()) >= second) p.users += users[i];
    }
    for (auto& [key, e] : b.endpoints) p.endpoints.push_back(std::move(e));
    for (auto& [key, s] : b.shards) p.shards.push_back(std::move(s));
    merged.push_back(std::move(p));
  }
  return merged;
}

}  // namespace stampede::merge
