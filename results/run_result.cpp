#include "results/run_result.h"

namespace stampede::results {

std::string_view to_string(Transport transport) {
  return transport == Transport::kNative ? "native" : "curl";
}

std::string_view to_string(Connections connections) {
  return connections == Connections::kPerUser ? "per-user" : "shared";
}

std::optional<Transport> transport_from_string(std::string_view text) {
  for (Transport t : {Transport::kNative, Transport::kCurl})
    if (text == to_string(t)) return t;
  return std::nullopt;
}

std::optional<Connections> connections_from_string(std::string_view text) {
  for (Connections c : {Connections::kPerUser, Connections::kShared})
    if (text == to_string(c)) return c;
  return std::nullopt;
}

std::string_view to_string(Arrivals arrivals) {
  return arrivals == Arrivals::kEven ? "even" : "poisson";
}

std::optional<Arrivals> arrivals_from_string(std::string_view text) {
  for (Arrivals a : {Arrivals::kEven, Arrivals::kPoisson})
    if (text == to_string(a)) return a;
  return std::nullopt;
}

bool ExchangeStats::empty() const {
  return new_connections == 0 && connect.empty() && tls_handshakes == 0 && tls_resumed == 0 && tls.empty() &&
         ttfb.empty() && cache_hits == 0 && cache_misses == 0 && servers.empty();
}

void ExchangeStats::merge(const ExchangeStats& other) {
  new_connections += other.new_connections;
  connect.merge(other.connect);
  tls_handshakes += other.tls_handshakes;
  tls_resumed += other.tls_resumed;
  tls.merge(other.tls);
  ttfb.merge(other.ttfb);
  cache_hits += other.cache_hits;
  cache_misses += other.cache_misses;
  for (const auto& [server, count] : other.servers) servers[server] += count;
}

std::optional<double> ExchangeStats::cache_hit_ratio() const {
  const std::uint64_t answered = cache_hits + cache_misses;
  if (answered == 0) return std::nullopt;
  return static_cast<double>(cache_hits) / static_cast<double>(answered);
}

IntervalEndpoint HistoryPoint::total() const {
  IntervalEndpoint sum;
  sum.name = kAggregatedName;
  for (const IntervalEndpoint& e : endpoints) {
    sum.requests += e.requests;
    sum.failures += e.failures;
    sum.rate_limited += e.rate_limited;
    sum.content_bytes += e.content_bytes;
    sum.latency.merge(e.latency);
    sum.service.merge(e.service);
    sum.dropped += e.dropped;
    sum.exchange.merge(e.exchange);
    sum.skipped += e.skipped;
    sum.invalid_cookies += e.invalid_cookies;
  }
  return sum;
}

}  // namespace stampede::results
