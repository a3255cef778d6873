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

IntervalEndpoint HistoryPoint::total() const {
  IntervalEndpoint sum;
  sum.name = kAggregatedName;
  for (const IntervalEndpoint& e : endpoints) {
    sum.requests += e.requests;
    sum.failures += e.failures;
    sum.content_bytes += e.content_bytes;
    sum.latency.merge(e.latency);
    sum.service.merge(e.service);
    sum.dropped += e.dropped;
  }
  return sum;
}

}  // namespace stampede::results
