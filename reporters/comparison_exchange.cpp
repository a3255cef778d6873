#include "reporters/comparison_exchange.h"

#include <string>

#include "reporters/comparison_format.h"

namespace stampede::reporters {

namespace {

constexpr Align L = Align::left;
constexpr Align R = Align::right;

std::optional<double> p_ms(const results::Histogram& h, double p) {
  if (h.empty()) return std::nullopt;
  return static_cast<double>(h.value_at_percentile(p)) / 1000.0;
}

std::string ms_or_absent(const std::optional<double>& v) { return v ? fmt_ms(*v) : kAbsent; }
std::string pct_or_absent(const std::optional<double>& v) { return v ? fmt_pct(*v) : kAbsent; }

// "1,204 (2 resumed)"; "—" without handshakes.
std::string tls_text(const ExchangeCell& x) {
  if (x.tls_handshakes == 0) return kAbsent;
  return fmt_count(x.tls_handshakes) + " (" + fmt_count(x.tls_resumed) + " resumed)";
}

// "srv-0 50.1%, srv-1 49.9%"; "—" when no response named a server.
std::string servers_text(const ExchangeCell& x) {
  std::uint64_t named = 0;
  for (const auto& [server, n] : x.servers) named += n;
  if (named == 0) return kAbsent;
  std::string out;
  for (const auto& [server, n] : x.servers)
    out += (out.empty() ? "" : ", ") + ("srv-" + std::to_string(server)) + " " +
           fmt_pct(100.0 * static_cast<double>(n) / static_cast<double>(named));
  return out;
}

std::vector<std::string> figure_cells(const std::optional<ExchangeCell>& cell) {
  if (!cell) return {kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent, kAbsent};
  const ExchangeCell& x = *cell;
  return {fmt_count(x.new_connections), ms_or_absent(x.connect_p95_ms), tls_text(x), ms_or_absent(x.tls_p95_ms),
          ms_or_absent(x.ttfb_p50_ms),  ms_or_absent(x.ttfb_p95_ms),    pct_or_absent(x.cache_hit_pct)};
}

}  // namespace

std::optional<ExchangeCell> exchange_cell(const results::ExchangeStats& stats) {
  if (stats.empty()) return std::nullopt;
  ExchangeCell x;
  x.new_connections = stats.new_connections;
  x.connect_p95_ms = p_ms(stats.connect, 95);
  x.tls_handshakes = stats.tls_handshakes;
  x.tls_resumed = stats.tls_resumed;
  x.tls_p95_ms = p_ms(stats.tls, 95);
  x.ttfb_p50_ms = p_ms(stats.ttfb, 50);
  x.ttfb_p95_ms = p_ms(stats.ttfb, 95);
  x.cache_hits = stats.cache_hits;
  x.cache_misses = stats.cache_misses;
  if (const auto ratio = stats.cache_hit_ratio()) x.cache_hit_pct = 100.0 * *ratio;
  x.servers = stats.servers;
  return x;
}

ReportSection exchange_section(const Comparison& c) {
  ReportSection s{"exchange", "Connections, time to first byte and cache", {}, {}, {}, {}};
  ReportTable runs{{"Run", "conns", "connect p95 ms", "TLS", "TLS p95 ms", "TTFB p50 ms", "TTFB p95 ms", "cache hit %",
                    "servers"},
                   {L, R, R, R, R, R, R, R, L},
                   {},
                   8};
  for (const RunHeader& h : c.runs) {
    std::vector<std::string> row{h.label};
    for (std::string& cell : figure_cells(h.exchange)) row.push_back(std::move(cell));
    row.push_back(h.exchange ? servers_text(*h.exchange) : kAbsent);
    runs.rows.push_back(std::move(row));
  }
  s.tables.push_back({"", std::move(runs)});
  ReportTable t{{"Endpoint", "Run", "conns", "connect p95 ms", "TLS", "TLS p95 ms", "TTFB p50 ms", "TTFB p95 ms",
                 "TTFB p95 ×r", "cache hit %"},
                {L, L, R, R, R, R, R, R, R, R},
                {},
                0};
  for (const EndpointRow& row : c.endpoints) {
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const EndpointCell& e = row.runs[i];
      std::vector<std::string> cells = figure_cells(e.exchange);
      t.rows.push_back({i == 0 ? row.method + " " + row.name : "", c.runs[i].label, cells[0], cells[1], cells[2],
                        cells[3], cells[4], cells[5], fmt_ratio(e.ttfb_p95_ratio), cells[6]});
    }
  }
  s.tables.push_back({"Per endpoint", std::move(t)});
  s.notes.push_back(
      "conns = requests that opened a connection; connect and TLS p95 = their TCP connect and TLS handshake "
      "(resumed = handshakes that resumed a session); TTFB = time to first byte, from the send on a ready connection "
      "to the response head; cache hit % = responses whose Server-Timing said cache;desc=hit of those that said hit "
      "or miss; servers = each server's share of the responses that named one (Server-Timing srv-<i>). — = nothing "
      "to measure, or a run that did not record these (an older engine).");
  return s;
}

nlohmann::json exchange_json(const std::optional<ExchangeCell>& cell) {
  if (!cell) return nullptr;
  const auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json servers = nlohmann::json::object();
  for (const auto& [server, n] : cell->servers) servers[std::to_string(server)] = n;
  return {{"new_connections", cell->new_connections},
          {"connect_p95_ms", opt(cell->connect_p95_ms)},
          {"tls_handshakes", cell->tls_handshakes},
          {"tls_resumed", cell->tls_resumed},
          {"tls_p95_ms", opt(cell->tls_p95_ms)},
          {"ttfb_p50_ms", opt(cell->ttfb_p50_ms)},
          {"ttfb_p95_ms", opt(cell->ttfb_p95_ms)},
          {"cache_hits", cell->cache_hits},
          {"cache_misses", cell->cache_misses},
          {"cache_hit_pct", opt(cell->cache_hit_pct)},
          {"servers", servers}};
}

}  // namespace stampede::reporters
