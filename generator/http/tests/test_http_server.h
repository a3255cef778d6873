// A small HTTP/1.1 server for the engine's integration tests: listens on 127.0.0.1 on an
// ephemeral port, runs on its own thread, and counts what it receives.
//
// Routes (any method):
//   /status/<code>           reply with that status
//   /retry-after/<s>/...     reply 429 with "Retry-After: <s>"
//   /delay/<ms>/...          reply after that many milliseconds
//   /shards/<a>-<b>-.../...  add "Server-Timing: shard-a;dur=0.5, shard-b;dur=0.5, ..."
//   .../cache-hit/..., .../cache-miss/...   add "Server-Timing: cache;desc=hit" (or miss)
//   .../srv-<i>...           add "Server-Timing: srv-<i>;desc=upstream"
//   /close/...               reply with "Connection: close", then close
//   /drop/...                reply as if keeping the connection alive, then close it anyway
//                            (what a server's idle timeout does to a kept-alive connection)
//   /chunked/..., .../chunked  send the body with chunked transfer encoding (no length)
//   /garbage/...             answer with bytes that are not HTTP, then close
//   /big/<mib>/...           reply with a body of that many MiB
//   /hold/<mib>/...          announce a body of twice that many MiB, send that many, then
//                            send nothing more until the client closes the connection
//   anything else            200 with body {"ok":true,"grab_status":1}
// Counts requests per "METHOD path" (query stripped) and accepted connections.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace stampede::http::testing {

class TestHttpServer {
 public:
  TestHttpServer();
  ~TestHttpServer();

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:<port>"

  std::map<std::string, std::uint64_t> requests() const;  // "GET /a/b" -> count
  std::uint64_t total_requests() const;
  std::uint64_t connections() const;
  std::map<std::string, std::string> last_bodies() const;  // "POST /x" -> last body

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::http::testing
