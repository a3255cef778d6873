// What the HTTP-level tests start: an HttpServer on an ephemeral loopback port, in front of
// a Router over a temporary SQLite store of 4 shards seeded with a small data set.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "reference-server/http_server.h"
#include "reference-server/seeder.h"
#include "reference-server/sqlite_store.h"
#include "reference-server/tests/small_dataset.h"
#include "reference-server/tests/temp_dir.h"

namespace stampede::server::testing {

struct TestServerSetup {
  std::int64_t users = 2'000;
  std::int64_t rooms = 10;  // room 1 hot; 5 coupons each
  std::int64_t stock = 100;  // per coupon
  std::size_t max_body_bytes = 1024;  // the router's and the HTTP front's
  bool fault_injection = false;  // POST /admin/shards/{k}/offline|online
  std::string admin_token;  // empty: the token routes answer 401
};

class TestServer {
 public:
  // `http`'s port, body limit and (when 0) thread count are set here.
  explicit TestServer(const TestServerSetup& setup, HttpServerOptions http = {})
      : store(SqliteStoreOptions{dir.path(), 4, 0}),
        metrics(4),
        router(store, router_options(setup, store), metrics, nullptr),
        server(router, metrics, http_options(setup, http)) {
    seed_store(store, small_dataset(setup.users, setup.rooms, 1, setup.stock), Strategy::hash);
    server.start();
    EXPECT_NE(server.port(), 0);
  }
  ~TestServer() { server.stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return server.port(); }

  TempDir dir;
  SqliteStore store;
  Metrics metrics;
  Router router;
  HttpServer server;

 private:
  static RouterOptions router_options(const TestServerSetup& setup, SqliteStore& store) {
    RouterOptions options;
    options.routing.room_count = setup.rooms;
    options.max_body_bytes = setup.max_body_bytes;
    options.admin.token = setup.admin_token;
    if (setup.fault_injection) {
      options.set_shard_offline = [&store](int k, bool off) { store.set_shard_offline(k, off); };
    }
    return options;
  }
  static HttpServerOptions http_options(const TestServerSetup& setup, HttpServerOptions http) {
    http.port = 0;
    if (http.threads == 0) http.threads = 1;
    http.max_body_bytes = setup.max_body_bytes;
    return http;
  }
};

}  // namespace stampede::server::testing
