#include "lab/read_scaling_checks.h"

#include <string>
#include <string_view>

#include "reporters/comparison_format.h"

namespace stampede::lab {
namespace {

using reporters::Comparison;
using reporters::EndpointCell;
using reporters::fmt_factor;
using reporters::fmt_ms;
using reporters::fmt_pct;
using Check = reporters::ComparisonCheck;
using Outcome = reporters::ComparisonCheck::Outcome;

// The coupon scenario's read endpoints (scenarios/coupon.json).
constexpr std::string_view kStock = "/api/coupon/:id/stock [Check Stock]";
constexpr std::string_view kHotRoomStats = "/api/room/:id/stats [Hot Room Stats]";
constexpr std::string_view kUserCoupons = "/api/user/:id/coupons [Query Own]";
constexpr std::string_view kRoomOrders = "/api/room/:id/orders [Cross Shard]";
constexpr std::string_view kGlobalStats = "/api/statistics/global [All Shards]";
constexpr std::string_view kHotGrab = "/api/coupon/grab [Hot Room]";

// The first run whose server has `flag` == `value` (or != when `equal` is false), or -1.
int first_run(const std::vector<VariantServer>& servers, std::string_view flag, std::string_view fallback,
              std::string_view value, bool equal) {
  for (std::size_t i = 0; i < servers.size(); ++i)
    if ((setting_of(servers[i], flag, fallback) == value) == equal) return static_cast<int>(i);
  return -1;
}

const EndpointCell* cell(const Comparison& c, std::string_view endpoint, int run) {
  const int e = reporters::find_endpoint(c, "GET", endpoint);
  if (e < 0 || run < 0 || static_cast<std::size_t>(run) >= c.runs.size()) return nullptr;
  const EndpointCell& x = c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(run)];
  return x.present ? &x : nullptr;
}

// "p95 of ENDPOINT at least/below …": `factor` is how many times lower `with`'s p95 must be
// than `without`'s (1: just lower).
Check p95_check(const Comparison& c, std::string_view method, std::string_view endpoint, int without, int with,
                double factor, std::string claim, const std::string& seed) {
  Check check;
  check.claim = std::move(claim);
  const int e = reporters::find_endpoint(c, method, endpoint);
  const EndpointCell* a = e < 0 ? nullptr : &c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(without)];
  const EndpointCell* b = e < 0 ? nullptr : &c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(with)];
  if (a == nullptr || b == nullptr || !a->present || !b->present) {
    check.detail = std::string(method) + " " + std::string(endpoint) + " has no requests in both runs";
    return check;
  }
  const std::string& al = c.runs[static_cast<std::size_t>(without)].label;
  const std::string& bl = c.runs[static_cast<std::size_t>(with)].label;
  const double ratio = b->p95_ms > 0 ? a->p95_ms / b->p95_ms : 0;
  check.outcome = b->p95_ms > 0 && ratio >= factor && a->p95_ms > b->p95_ms ? Outcome::met : Outcome::not_met;
  check.detail = "p95 " + al + " " + fmt_ms(a->p95_ms) + " ms vs " + bl + " " + fmt_ms(b->p95_ms) + " ms (" +
                 (b->p95_ms > 0 ? fmt_factor(ratio) + " lower" : "—") + "); " + seed;
  return check;
}

// The p95 of a write, "about the same" (within kSameWriteFactor either way).
Check same_write_check(const Comparison& c, int primary, int replicas) {
  Check check;
  check.claim = "grabs (writes, on the primaries either way) as fast (p95 within " + fmt_factor(kSameWriteFactor) + ")";
  const int e = reporters::find_endpoint(c, "POST", kHotGrab);
  if (e < 0 || !c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(primary)].present ||
      !c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(replicas)].present) {
    check.detail = "POST " + std::string(kHotGrab) + " has no requests in both runs";
    return check;
  }
  const EndpointCell& a = c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(primary)];
  const EndpointCell& b = c.endpoints[static_cast<std::size_t>(e)].runs[static_cast<std::size_t>(replicas)];
  const bool same = a.p95_ms > 0 && b.p95_ms > 0 && b.p95_ms <= a.p95_ms * kSameWriteFactor &&
                    a.p95_ms <= b.p95_ms * kSameWriteFactor;
  check.outcome = same ? Outcome::met : Outcome::not_met;
  check.detail = "p95 " + c.runs[static_cast<std::size_t>(primary)].label + " " + fmt_ms(a.p95_ms) + " ms vs " +
                 c.runs[static_cast<std::size_t>(replicas)].label + " " + fmt_ms(b.p95_ms) +
                 " ms; the seed (001) expected \"write latency: same\"";
  return check;
}

}  // namespace

reporters::CheckSection cache_checks(const Comparison& c, const std::vector<VariantServer>& servers) {
  reporters::CheckSection s;
  s.id = "seed_cache";
  s.title = "Compared with the seeds: the cache";
  if (c.runs.size() != servers.size()) {
    s.note = "The runs are not the variants' (no runs, or another count): the cache's checks were not made.";
    return s;
  }
  const int off = first_run(servers, "--cache", "off", "off", true);
  if (off < 0) {
    s.note = "Every variant has a cache: no run without one to compare with.";
    return s;
  }
  for (std::size_t i = 0; i < servers.size(); ++i) {
    const std::string cache = setting_of(servers[i], "--cache", "off");
    if (cache == "off") continue;
    const int on = static_cast<int>(i);
    const std::string& label = c.runs[i].label;
    const std::string goal = "issue 16 asks for at least " + fmt_factor(kCacheP95Factor) +
                             " lower; the seed (002) says only that a cache answers \"up to 100× faster\" than the database";
    s.checks.push_back(p95_check(c, "GET", kStock, off, on, kCacheP95Factor,
                                 "stock reads' p95 at least " + fmt_factor(kCacheP95Factor) + " lower with " + label +
                                     "'s cache (" + cache + ")",
                                 goal));
    s.checks.push_back(p95_check(c, "GET", kHotRoomStats, off, on, kCacheP95Factor,
                                 "hot-room stats' p95 at least " + fmt_factor(kCacheP95Factor) + " lower with " +
                                     label + "'s cache (" + cache + ")",
                                 goal));
    Check hits;
    hits.claim = "hot-room stats answered from " + label + "'s cache more than " + fmt_pct(kCacheHotHitPct) +
                 " of the time";
    const EndpointCell* hot = cell(c, kHotRoomStats, on);
    if (hot == nullptr || !hot->exchange || !hot->exchange->cache_hit_pct) {
      hits.detail = "no Server-Timing cache entries recorded for GET " + std::string(kHotRoomStats) + " in " + label;
    } else {
      hits.outcome = *hot->exchange->cache_hit_pct > kCacheHotHitPct ? Outcome::met : Outcome::not_met;
      hits.detail = fmt_pct(*hot->exchange->cache_hit_pct) + " hits (" + std::to_string(hot->exchange->cache_hits) +
                    " hits, " + std::to_string(hot->exchange->cache_misses) +
                    " misses; a miss per key per TTL is the least); issue 16 asks above " + fmt_pct(kCacheHotHitPct) +
                    " at TTL 1 s";
    }
    s.checks.push_back(std::move(hits));
  }
  s.about = "The cache's expectations are issue 16's (the seeds give no measured number: 002 claims \"up to 100× "
            "faster\", 003 caches for 600 s); checked as measured, not tuned.";
  return s;
}

reporters::CheckSection replica_checks(const Comparison& c, const std::vector<VariantServer>& servers) {
  reporters::CheckSection s;
  s.id = "seed_replicas";
  s.title = "Compared with the seeds: read replicas";
  if (c.runs.size() != servers.size()) {
    s.note = "The runs are not the variants' (no runs, or another count): the replicas' checks were not made.";
    return s;
  }
  const int primary = first_run(servers, "--read-from", "primary", "primary", true);
  if (primary < 0) {
    s.note = "Every variant reads from replicas: no run reading from the primaries to compare with.";
    return s;
  }
  const std::string seed = "the seed (001) expected read latency 50–100 ms → 20–40 ms (2–2.5× lower) with 2 replicas "
                           "on their own hosts";
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (setting_of(servers[i], "--read-from", "primary") != "replicas") continue;
    const int rep = static_cast<int>(i);
    const std::string& label = c.runs[i].label;
    for (const std::string_view endpoint : {kUserCoupons, kRoomOrders, kGlobalStats})
      s.checks.push_back(p95_check(c, "GET", endpoint, primary, rep, 1.0,
                                   std::string(endpoint.substr(0, endpoint.find(' '))) + " reads' p95 lower with " +
                                       label + " reading from replicas",
                                   seed));
    s.checks.push_back(same_write_check(c, primary, rep));
  }
  s.about = "The seed's numbers are expectations for replicas on separate machines; on one machine a replica shares "
            "the primary's CPU and disk, so lower read latency is not to be expected here: a NOT met line is a finding "
            "to explain. Each replica's lag is in the server's /metrics and /admin/shards/status.";
  return s;
}

}  // namespace stampede::lab
