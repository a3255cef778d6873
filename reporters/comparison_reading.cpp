// The report's plain-language reading. Every sentence is built from numbers already in the
// model; a sentence is left out when the numbers for it are missing, never filled in.
#include <algorithm>

#include "reporters/comparison_detail.h"
#include "reporters/comparison_format.h"

namespace stampede::reporters::detail {

namespace {

std::string endpoint_title(const EndpointRow& row) { return row.method + " " + row.name; }

// Runs ordered by a per-run value, largest first (stable: ties keep the runs' order).
template <typename Get>
std::vector<std::size_t> runs_by(const std::vector<std::size_t>& runs, Get get) {
  std::vector<std::size_t> out = runs;
  std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) { return get(a) > get(b); });
  return out;
}

// "Under range, shard 0 took 71% of writes (balance 38); under hash the largest shard took 26% (balance 97)."
void writes_sentence(Comparison& c) {
  std::vector<std::size_t> runs;
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    if (c.shards[i].write_touches > 0) runs.push_back(i);
  if (runs.empty()) return;
  std::string s;
  for (std::size_t i : runs_by(runs, [&](std::size_t i) { return c.shards[i].largest_write_pct; })) {
    const RunShards& sh = c.shards[i];
    const std::string share = fmt_pct_short(sh.largest_write_pct);
    const std::string balance = " (balance " + fmt_score(sh.write_balance) + ")";
    if (s.empty()) {
      s = "Under " + c.runs[i].label + ", shard " + std::to_string(sh.largest_write_shard) + " took " + share +
          " of writes" + balance;
    } else {
      s += "; under " + c.runs[i].label + " the largest shard (" + std::to_string(sh.largest_write_shard) + ") took " +
           share + balance;
    }
  }
  if (runs.size() == 1 && c.shards[runs[0]].shards.size() > 1)
    s += "; an even split would be " + fmt_pct_short(100.0 / static_cast<double>(c.shards[runs[0]].shards.size()));
  c.reading.push_back(s + ".");
}

void rows_sentence(Comparison& c) {
  std::vector<std::size_t> runs;
  for (std::size_t i = 0; i < c.runs.size(); ++i)
    if (c.shards[i].rows_balance && c.shards[i].largest_rows_shard) runs.push_back(i);
  if (runs.empty()) return;
  std::string s;
  for (std::size_t i : runs_by(runs, [&](std::size_t i) { return c.shards[i].largest_rows_pct; })) {
    const RunShards& sh = c.shards[i];
    const std::string shard = std::to_string(*sh.largest_rows_shard);
    const std::string tail = fmt_pct_short(sh.largest_rows_pct) + " (balance " + fmt_score(sh.rows_balance) + ")";
    s += s.empty() ? "At the end, under " + c.runs[i].label + " shard " + shard + " held " +
                         fmt_pct_short(sh.largest_rows_pct) + " of the coupon_results rows (balance " +
                         fmt_score(sh.rows_balance) + ")"
                   : "; under " + c.runs[i].label + " the largest shard (" + shard + ") held " + tail;
  }
  c.reading.push_back(s + ".");
}

// "GET /api/items/[id]: p95 3.9× lower under hash than range (1 shard vs fan-out to 4)."
void endpoint_sentences(Comparison& c) {
  for (const EndpointRow& row : c.endpoints) {
    std::vector<std::size_t> runs;
    for (std::size_t i = 0; i < row.runs.size(); ++i)
      if (row.runs[i].present && row.runs[i].requests >= kMinRequestsForReading && row.runs[i].p95_ms > 0)
        runs.push_back(i);
    if (runs.size() < 2) continue;
    const auto [fast, slow] = std::minmax_element(runs.begin(), runs.end(), [&](std::size_t a, std::size_t b) {
      return row.runs[a].p95_ms < row.runs[b].p95_ms;
    });
    const EndpointCell& f = row.runs[*fast];
    const EndpointCell& s = row.runs[*slow];
    const double r = s.p95_ms / f.p95_ms;
    // The median must point the same way, or the p95 gap is a few outliers.
    if (r < kNotableRatio || !(f.p50_ms < s.p50_ms)) continue;
    std::string sentence = endpoint_title(row) + ": p95 " + fmt_factor(r) + " lower under " + c.runs[*fast].label +
                           " than " + c.runs[*slow].label + " (" + fmt_ms(f.p95_ms) + " vs " + fmt_ms(s.p95_ms) + " ms";
    if (f.fan_out != s.fan_out && f.shard_touches > 0 && s.shard_touches > 0)
      sentence += "; " + f.fan_out + " vs " + s.fan_out;
    else if (f.shard_touches == 0 && s.shard_touches == 0)
      sentence += "; no shard named in either run, so not the sharding itself";
    c.reading.push_back(sentence + ").");
  }
}

// "POST /api/cart: under range shard 0 received 100% of its writes; under hash at most 27% (shard 2)."
void hot_write_sentences(Comparison& c) {
  for (const EndpointRow& row : c.endpoints) {
    if (!row.is_write) continue;
    std::vector<std::size_t> runs;
    for (std::size_t i = 0; i < row.runs.size(); ++i)
      if (row.runs[i].shard_touches > 0 && c.shards[i].shards.size() > 1) runs.push_back(i);
    if (runs.empty()) continue;
    // Only skew worth a sentence: some run's hot shard 10 points above an even share.
    const bool skewed = std::any_of(runs.begin(), runs.end(), [&](std::size_t i) {
      return row.runs[i].largest_shard_pct >= 100.0 / static_cast<double>(c.shards[i].shards.size()) + kNotableSkewPoints;
    });
    if (!skewed) continue;
    std::string s;
    for (std::size_t i : runs_by(runs, [&](std::size_t i) { return row.runs[i].largest_shard_pct; })) {
      const EndpointCell& cell = row.runs[i];
      if (s.empty()) {
        s = endpoint_title(row) + ": under " + c.runs[i].label + " shard " + std::to_string(cell.largest_shard) +
            " received " + fmt_pct_short(cell.largest_shard_pct) + " of its writes";
      } else {
        s += "; under " + c.runs[i].label + " at most " + fmt_pct_short(cell.largest_shard_pct) + " (shard " +
             std::to_string(cell.largest_shard) + ")";
      }
    }
    c.reading.push_back(s + ".");
  }
}

void reshard_sentence(Comparison& c) {
  std::string s;
  for (const ReshardCell& cell : c.reshard) {
    if (!cell.own) continue;
    s += std::string(s.empty() ? "Adding a shard would move " : ", ") + fmt_pct_short(cell.moved_pct) + " of the rows under " +
         c.runs[cell.run].label + " (" + fmt_count(cell.moved) + " of " + fmt_count(cell.rows) + ", " +
         std::to_string(cell.from_shards) + " → " + std::to_string(cell.to_shards) + " shards)";
  }
  if (!s.empty()) c.reading.push_back(s + "; the server's estimate from its own rows.");
}

}  // namespace

void add_reading(Comparison& c) {
  writes_sentence(c);
  hot_write_sentences(c);
  endpoint_sentences(c);
  rows_sentence(c);
  reshard_sentence(c);
  if (c.reading.empty()) c.reading.push_back("Not enough data in these runs for a reading (no shard data, no endpoint in two runs).");
}

}  // namespace stampede::reporters::detail
