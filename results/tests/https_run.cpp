// make_https_run(): the sample run as an https run with the exchange figures, the content
// of results/tests/fixtures/https-run/ (sample_run.h).
#include <map>
#include <string>
#include <tuple>

#include "sample_run.h"

namespace stampede::results::testing {

RunResult make_https_run() {
  RunResult run = make_sample_run();
  run.info.label = "https";
  run.info.target_host = "https://127.0.0.1:8443";
  run.info.command_line = {"stampede", "run", "scenarios/examples/shop.json", "-u", "10", "-t", "10s", "--insecure"};
  run.info.transport = Transport::kNative;
  run.info.connections = Connections::kPerUser;
  std::map<std::pair<std::string, std::string>, ExchangeStats> totals;
  std::uint64_t opened = 0;
  for (HistoryPoint& p : run.history) {
    const auto second = static_cast<std::uint64_t>(p.elapsed_s);
    for (std::size_t k = 0; k < p.endpoints.size(); ++k) {
      IntervalEndpoint& ie = p.endpoints[k];
      ExchangeStats& x = ie.exchange;
      // Two users start each second until 10 run (one connection each, on the first
      // endpoint), and a connection the server closed is opened again now and then.
      x.new_connections = (k == 0 && second <= 5 ? 2 : 0) + (second % 4 == k ? 1 : 0);
      x.tls_handshakes = x.new_connections;
      x.tls_resumed = second > 5 ? x.tls_handshakes : 0;  // reconnections resume their session
      for (std::uint64_t c = 0; c < x.new_connections; ++c) {
        x.connect.record(80 + 15 * c + 7 * second);
        x.tls.record(x.tls_resumed > 0 ? 350 + 11 * c : 1'900 + 130 * c + 40 * second);
      }
      // Time to first byte: a little under the latency of each response.
      ie.latency.for_each_bucket([&x](std::uint64_t lo, std::uint64_t, std::uint64_t count) {
        x.ttfb.record(lo - lo / 8, count);
      });
      if (ie.name == "/api/items/[id]") {
        x.cache_misses = ie.requests / 4 + (second <= 2 ? ie.requests / 2 : 0);
        x.cache_hits = ie.requests - x.cache_misses;
      }
      x.servers[0] = ie.requests / 2;
      x.servers[1] = ie.requests - ie.requests / 2;
      opened += x.new_connections;
      totals[{ie.name, ie.method}].merge(x);
    }
  }
  run.aggregated.exchange = ExchangeStats{};
  for (EndpointStats& e : run.endpoints) {
    e.exchange = totals[{e.name, e.method}];
    run.aggregated.exchange.merge(e.exchange);
  }
  run.info.connections_opened = opened;
  return run;
}

}  // namespace stampede::results::testing
