// The reference server's request handling: the bytes as what a client sends on one
// keep-alive connection of stampede-server, read by a Beast request parser under the
// server's limits, handed to the Router as HttpServer's session does
// (reference-server/http_server.cpp) — the admin guard, the JSON validation, the store —
// and answered with the response the session would serialise. The store is a temporary
// SQLite one with a small data set (1,000 users, 8 rooms, 2 units of every coupon), seeded
// once per process and reset before an input when the previous one changed it, so every
// input meets the same data.
//
// Input: the bytes of the connection, possibly several requests in a row (at most 16);
// the end of the input is the client closing it. Answers of every status are expected; a
// crash, a sanitizer report, an exception out of Router::handle or a response Beast cannot
// serialise is a bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>

#include "fuzz/scratch_dir.h"
#include "reference-server/metrics.h"
#include "reference-server/router.h"
#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"

namespace {

using namespace stampede;
using namespace stampede::server;
namespace http = boost::beast::http;

// The admin token of the fuzzed server (also in fuzz/dict/server_request.dict).
constexpr const char* kToken = "fuzz-admin-token-0123456789abcdef";
constexpr int kShards = 4;
constexpr std::int64_t kRooms = 8;

struct Server {
  fuzz::ScratchDir dir{"server"};
  SqliteStore store{SqliteStoreOptions{dir.path(), kShards, 1}};
  Metrics metrics{kShards};
  std::optional<Router> router;
  StoreMeta meta;

  Server() {
    SeedConfig seed;
    seed.users = 1'000;
    seed.rooms = kRooms;
    seed.hot_rooms = 2;
    seed.hot_stock_min = seed.hot_stock_max = seed.stock_min = seed.stock_max = 2;
    seed_store(store, seed, Strategy::hash);
    meta = *store.meta();
    RouterOptions options;  // as stampede-server's main() builds them
    options.routing.strategy = Strategy::hash;
    options.routing.shard_count = kShards;
    options.routing.room_count = kRooms;
    options.admin.token = kToken;
    options.set_shard_offline = [this](int k, bool off) { store.set_shard_offline(k, off); };
    router.emplace(store, options, metrics, [] { return std::int64_t{1'800'000'000'000}; });
  }

  void restore() {
    store.reset(meta);
    for (int k = 0; k < kShards; ++k) store.set_shard_offline(k, false);
  }
};

bool changes_store(Endpoint endpoint) {
  return endpoint == Endpoint::grab || endpoint == Endpoint::admin_reset ||
         endpoint == Endpoint::admin_shard_fault;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  static bool changed = false;
  if (changed) server.restore();
  changed = false;

  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::size_t max_body_bytes = server.router->options().max_body_bytes;
  for (int requests = 0; requests < 16 && !rest.empty(); ++requests) {
    http::request_parser<http::string_body> parser;  // as HttpServer's session sets it up
    parser.body_limit(max_body_bytes);
    parser.header_limit(16 * 1024);
    boost::system::error_code ec;
    while (!parser.is_done()) {
      const std::size_t used = rest.empty() ? 0 : parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec && ec != http::error::need_more) break;
      ec = {};
      if (used == 0) {  // every byte given: the client closed the connection
        parser.put_eof(ec);
        break;
      }
    }
    if (ec || !parser.is_done()) break;  // the session answers 413 or closes

    auto& req = parser.get();
    const HttpRequest request{req.method_string(), req.target(), req.body(),
                              {req[http::field::host], req[http::field::origin],
                               req[http::field::content_type], req[http::field::authorization]}};
    HttpResponse response = server.router->handle(request);
    if (changes_store(response.endpoint) && response.status == 200) changed = true;

    http::response<http::string_body> res{static_cast<http::status>(response.status), req.version()};
    res.set(http::field::server, "stampede-server");
    res.set(http::field::content_type, response.content_type);
    if (!response.server_timing.empty()) res.set("Server-Timing", response.server_timing);
    if (!response.www_authenticate.empty()) res.set(http::field::www_authenticate, response.www_authenticate);
    const bool keep_alive = req.keep_alive();
    res.keep_alive(keep_alive);
    res.body() = std::move(response.body);
    res.prepare_payload();
    std::ostringstream wire;
    wire << res;
    if (!keep_alive) break;
  }
  return 0;
}
