// The JSON mapping of ExchangeStats: the members an endpoint's stats.json row and its
// history slice carry about connections, time to first byte and the Server-Timing cache and
// server entries (results/README.md, "exchange figures"). Every member is written only when
// it is not zero/empty, and read as zero/empty when absent, so folders of older engines and
// runs that recorded none of it look the same.
#include <charconv>
#include <string>

#include "results/json_fields.h"
#include "results/result_json_detail.h"

namespace stampede::results::detail {

using nlohmann::json;

void add_exchange_json(json& row, const ExchangeStats& x, bool summaries) {
  if (x.new_connections > 0) row["new_connections"] = x.new_connections;
  if (x.tls_handshakes > 0) row["tls_handshakes"] = x.tls_handshakes;
  if (x.tls_resumed > 0) row["tls_resumed"] = x.tls_resumed;
  if (x.cache_hits > 0) row["cache_hits"] = x.cache_hits;
  if (x.cache_misses > 0) row["cache_misses"] = x.cache_misses;
  const std::pair<const char*, const Histogram*> histograms[] = {{"connect", &x.connect}, {"tls", &x.tls}, {"ttfb", &x.ttfb}};
  for (const auto& [name, h] : histograms) {
    if (h->empty()) continue;
    row[std::string(name) + "_hist"] = h->encode();
    if (summaries) row[name] = latency_summary(*h);
  }
  if (summaries) {
    if (const auto ratio = x.cache_hit_ratio()) row["cache_hit_ratio"] = *ratio;
  }
  if (!x.servers.empty()) {
    json servers = json::object();
    for (const auto& [server, count] : x.servers) servers[std::to_string(server)] = count;
    row["servers"] = std::move(servers);
  }
}

namespace {

// A `servers` key: the decimal index of `srv-<i>`, 0 <= i < kMaxServers, no sign, no
// leading zero (so each server has one spelling and the writer's output reads back equal).
bool parse_server_key(const std::string& key, int& server) {
  if (key.empty() || (key.size() > 1 && key.front() == '0')) return false;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), server);
  return ec == std::errc() && end == key.data() + key.size() && server >= 0 && server < kMaxServers;
}

// "~" and "/" escaped as a JSON Pointer reference token (RFC 6901).
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

void at_most(const JsonFields& f, const char* key, std::uint64_t value, const char* bound_key, std::uint64_t bound,
             const char* what) {
  if (value > bound)
    JsonFields::fail(f.path_of(key), std::to_string(value) + " " + what + " but " + bound_key + " is " + std::to_string(bound));
}

}  // namespace

ExchangeStats exchange_from_json(const JsonFields& f) {
  ExchangeStats x;
  x.new_connections = f.u64("new_connections", 0);
  x.connect = f.histogram("connect_hist");
  x.tls_handshakes = f.u64("tls_handshakes", 0);
  x.tls_resumed = f.u64("tls_resumed", 0);
  x.tls = f.histogram("tls_hist");
  x.ttfb = f.histogram("ttfb_hist");
  x.cache_hits = f.u64("cache_hits", 0);
  x.cache_misses = f.u64("cache_misses", 0);
  at_most(f, "tls_handshakes", x.tls_handshakes, "new_connections", x.new_connections,
          "TLS handshakes (each opens a new connection)");
  at_most(f, "tls_resumed", x.tls_resumed, "tls_handshakes", x.tls_handshakes, "resumed sessions");
  at_most(f, "connect_hist", x.connect.count(), "new_connections", x.new_connections, "connect times");
  at_most(f, "tls_hist", x.tls.count(), "tls_handshakes", x.tls_handshakes, "handshake times");
  if (const json* servers = f.find("servers")) {
    if (!servers->is_object()) JsonFields::fail(f.path_of("servers"), "expected an object, found " + json_type_name(*servers));
    const JsonFields counts(*servers, f.path_of("servers"));
    for (const auto& item : servers->items()) {
      const std::string& key = item.key();
      int server = 0;
      if (!parse_server_key(key, server))
        JsonFields::fail(counts.path_of(pointer_token(key)),
                         "expected a server index 0.." + std::to_string(kMaxServers - 1) + " (the i of srv-<i>) as the key");
      x.servers[server] = counts.u64(key);
    }
  }
  return x;
}

}  // namespace stampede::results::detail
