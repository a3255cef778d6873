#include "reporters/exchange_table.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "reporters/history_window.h"
#include "reporters/text_cells.h"

namespace stampede::reporters {

namespace {

// One wider than the stats table's latency cells: "conn p95" and "TTFB Med" need a space.
constexpr std::size_t kCellWidth = 9;

// Which optional column groups the table has: only those some row has figures for.
struct Columns {
  bool tls = false;
  bool cache = false;
};

std::string ms_or_dash(const results::Histogram& h, double percentile) {
  return h.empty() ? "-" : format_ms(h.value_at_percentile(percentile));
}

struct Cells {
  std::string conns;
  std::vector<std::string> connect;  // median, p95
  std::string tls, resumed;
  std::vector<std::string> tls_times;  // p95
  std::vector<std::string> ttfb;       // median, p95, p99
  std::string hits, misses, ratio;
};

// " |", then each cell right-aligned in kCellWidth.
std::string group(const std::vector<std::string>& cells) {
  std::string out = " |";
  for (const auto& c : cells) out += right(c, kCellWidth);
  return out;
}

std::string exchange_line(std::string_view type, std::string_view name, const Cells& c, const Columns& columns,
                          std::size_t name_width) {
  std::string line = endpoint_cells(type, name, name_width) + " " + right(c.conns, kCountWidth) + group(c.connect);
  if (columns.tls) line += group({c.tls, c.resumed}) + group(c.tls_times);
  line += group(c.ttfb);
  if (columns.cache) line += group({c.hits, c.misses, c.ratio});
  return line;
}

Cells cells_of(const results::ExchangeStats& x) {
  Cells c;
  c.conns = std::to_string(x.new_connections);
  c.connect = {ms_or_dash(x.connect, 50), ms_or_dash(x.connect, 95)};
  c.tls = std::to_string(x.tls_handshakes);
  c.resumed = std::to_string(x.tls_resumed);
  c.tls_times = {ms_or_dash(x.tls, 95)};
  c.ttfb = {ms_or_dash(x.ttfb, 50), ms_or_dash(x.ttfb, 95), ms_or_dash(x.ttfb, 99)};
  c.hits = std::to_string(x.cache_hits);
  c.misses = std::to_string(x.cache_misses);
  c.ratio = x.cache_hit_ratio() ? format_percent(x.cache_hits, x.cache_hits + x.cache_misses) : "-";
  return c;
}

// The whole run's figures: the aggregate row, or the endpoints merged when a live or older
// result left the aggregate without them.
results::ExchangeStats whole_run(const results::RunResult& result) {
  if (!result.aggregated.exchange.empty()) return result.aggregated.exchange;
  results::ExchangeStats all;
  for (const auto& e : result.endpoints) all.merge(e.exchange);
  return all;
}

void print_servers_line(std::ostream& out, const results::ExchangeStats& all) {
  if (all.servers.empty()) return;
  std::uint64_t named = 0;
  for (const auto& [server, count] : all.servers) named += count;
  out << "Servers (Server-Timing srv-<i>, responses that named each):";
  const char* sep = " ";
  for (const auto& [server, count] : all.servers) {
    out << sep << "srv-" << server << " " << count << " (" << format_percent(count, named) << ")";
    sep = ", ";
  }
  out << '\n';
}

}  // namespace

bool has_exchange_figures(const results::RunResult& result) {
  return !result.aggregated.exchange.empty() ||
         std::any_of(result.endpoints.begin(), result.endpoints.end(),
                     [](const results::EndpointStats& e) { return !e.exchange.empty(); });
}

void print_exchange_table(std::ostream& out, const results::RunResult& result, const TableOptions& options) {
  if (!has_exchange_figures(result)) return;
  const results::ExchangeStats all = whole_run(result);
  const Columns columns{all.tls_handshakes > 0 || !all.tls.empty(), all.cache_hits + all.cache_misses > 0};
  const std::size_t w = options.name_width;

  Cells titles{"# conns", {"conn Med", "conn p95"}, "# TLS", "resumed", {"TLS p95"},
               {"TTFB Med", "TTFB p95", "TTFB p99"}, "hits", "misses", "hit %"};
  const std::string header = exchange_line("Type", "Name", titles, columns, w);
  const std::string sep = separator_for(header);
  out << "Connections and time to first byte (ms; " << (columns.tls ? "conn, TLS" : "conn")
      << ": the requests that opened a connection; TTFB: from the send on a ready connection to the response head";
  if (columns.cache) out << "; hits, misses: Server-Timing cache;desc=hit|miss";
  out << ")\n" << header << '\n' << sep << '\n';
  std::vector<const results::EndpointStats*> rows;
  for (const auto& e : result.endpoints) rows.push_back(&e);
  std::stable_sort(rows.begin(), rows.end(), [](const auto* a, const auto* b) {
    return EndpointKey{a->name, a->method} < EndpointKey{b->name, b->method};
  });
  for (const auto* e : rows) out << exchange_line(e->method, e->name, cells_of(e->exchange), columns, w) << '\n';
  out << sep << '\n';
  out << exchange_line("", results::kAggregatedName, cells_of(all), columns, w) << '\n';
  print_servers_line(out, all);
}

}  // namespace stampede::reporters
