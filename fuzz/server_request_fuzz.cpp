// The reference server's request handling, end to end: the bytes as what one client sends
// on one connection to a real stampede-server (HttpServer on 127.0.0.1, a port of its own
// choosing), which reads them as it reads any client (request_reader: limits, framing,
// 100-continue, refusals), routes them (the admin guard, the JSON validation, the store)
// and answers. The client then closes its sending side and reads until the server closes.
// Every answer must be well-formed HTTP/1.1; the server must end the connection by itself
// (a hang is a libFuzzer timeout).
//
// The store is a temporary SQLite one with a small data set (1,000 users, 8 rooms, 2 units
// of every coupon), seeded once per process; after an input that may have changed it (a
// POST), it is reset and every shard brought back online, so every input meets the same
// data. The server runs with one event loop and two workers, as main() builds it
// otherwise (routing, the admin policy with the token below, fault injection).
//
// Input: the bytes of the connection, possibly several requests in a row.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "fuzz/scratch_dir.h"
#include "reference-server/http_server.h"
#include "reference-server/metrics.h"
#include "reference-server/router.h"
#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"

namespace {

using namespace stampede;
using namespace stampede::server;
namespace beast_http = boost::beast::http;

// The admin token of the fuzzed server (also in fuzz/dict/server_request.dict).
constexpr const char* kToken = "fuzz-admin-token-0123456789abcdef";
constexpr int kShards = 4;
constexpr std::int64_t kRooms = 8;

struct Server {
  fuzz::ScratchDir dir{"server"};
  SqliteStore store{SqliteStoreOptions{dir.path(), kShards, 1}};
  Metrics metrics{kShards};
  StoreMeta meta;
  std::optional<Router> router;
  std::optional<HttpServer> http;

  Server() {
    SeedConfig seed;
    seed.users = 1'000;
    seed.rooms = kRooms;
    seed.hot_rooms = 2;
    seed.hot_stock_min = seed.hot_stock_max = seed.stock_min = seed.stock_max = 2;
    seed_store(store, seed, Strategy::hash);
    meta = *store.meta();
    RouterOptions options;
    options.routing.strategy = Strategy::hash;
    options.routing.shard_count = kShards;
    options.routing.room_count = kRooms;
    options.admin.token = kToken;
    options.set_shard_offline = [this](int k, bool off) { store.set_shard_offline(k, off); };
    router.emplace(store, options, metrics, [] { return std::int64_t{1'800'000'000'000}; });
    HttpServerOptions http_options;
    http_options.bind_address = "127.0.0.1";
    http_options.port = 0;
    http_options.threads = 1;
    http_options.worker_threads = 2;
    http_options.max_body_bytes = options.max_body_bytes;
    http_options.inline_endpoints = {Endpoint::coupon_stock};  // the sqlite store's, as main() sets
    http.emplace(*router, metrics, http_options);
    http->start();
  }
  ~Server() { http->stop(); }

  void restore() {
    store.reset(meta);
    for (int k = 0; k < kShards; ++k) store.set_shard_offline(k, false);
  }
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "server_request_fuzz: %s\n", what.c_str());
  std::abort();
}

// One connection: send everything, close the sending side, read to the end. nullopt when
// the connection ended in a reset (the server closed with bytes unread, after a
// Connection: close answer), which may cut what was received short.
std::optional<std::string> exchange(std::uint16_t port, std::string_view bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail(std::string("socket(): ") + std::strerror(errno));
  // The client closes first, so each connection leaves a TIME_WAIT entry for a minute: a
  // new source address (127.128.0.1 onwards, all loopback) for each one keeps them from
  // using up the ephemeral ports of a single address.
  static std::uint32_t connections = 0;
  const std::uint32_t host = connections++ % 0xfffe + 1;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl((127u << 24) | (128u << 16) | host);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0)
    fail(std::string("bind(): ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // libFuzzer's timer (SIGALRM, for -timeout) interrupts system calls: a connect() cut
  // short goes on by itself (wait until it is done), the others are simply called again.
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINTR) fail(std::string("connect(): ") + std::strerror(errno));
    pollfd ready{fd, POLLOUT, 0};
    while (::poll(&ready, 1, -1) < 0 && errno == EINTR) {
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) fail(std::string("connect(): ") + std::strerror(error));
  }
  // The server may close early (a refusal) and reset what it did not read: sending then
  // fails, which is not the server's fault; what it answered is still read below.
  for (std::size_t sent = 0; sent < bytes.size();) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char block[16 * 1024];
  ssize_t n = 0;
  while ((n = ::recv(fd, block, sizeof block, 0)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) answer.append(block, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (n < 0) return std::nullopt;
  return answer;
}

// Every response the server wrote must parse as HTTP/1.1 (interim 100 Continue included).
void check_responses(std::string_view rest) {
  while (!rest.empty()) {
    beast_http::response_parser<beast_http::string_body> parser;
    parser.eager(true);
    boost::system::error_code ec;
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    if (!ec && !parser.is_done()) parser.put_eof(ec);
    if (ec) fail("the server answered with malformed HTTP: " + ec.message());
    rest.remove_prefix(used);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (const auto answer = exchange(server.http->port(), bytes)) check_responses(*answer);
  if (bytes.find("POST") != std::string_view::npos) server.restore();
  return 0;
}
