// Reading one request off a keep-alive connection under the limits of http_limits.h, and
// answering what cannot be served (Beast, C++20 coroutines; included by http_server.cpp
// only).
//
// read_request() reads the header (counting its bytes against max_header_bytes as they
// are read: Beast's own header_limit only bounds what is not parsed yet), checks it
// (check_head), answers "100 Continue" when the client waits for it, then reads the body.
// The whole read must finish before `read_timeout` (one deadline for header and body, so
// trickling bytes does not extend it). Outcomes:
//   - request: parser.get() is a complete request to serve;
//   - refused: answer `refusal` with send_refusal() (the connection is then closed);
//   - closed:  nothing to answer: the client closed the connection, the connection
//              failed, or it sat idle (not one byte of a next request) past the timeout,
//              which ends a keep-alive connection silently, as servers do.
//
// Deadline ends what is pending on the socket when its time is up but leaves the socket
// open for writing after a read deadline (beast::tcp_stream would close it), so a 408 can
// still be written. It shuts the socket down rather than only cancelling: a cancel that
// lands between two reads of a composed read (Beast loops while a header trickles in)
// would cancel nothing, a shut-down socket fails every later read (and write) at once.
//
// Thread-safety: all of it runs on the connection's event loop.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "reference-server/http_limits.h"

namespace stampede::server {

class Deadline {
 public:
  explicit Deadline(boost::asio::ip::tcp::socket& socket);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // `timeout` from now, expired() becomes true, the socket's pending operations are
  // cancelled and it is shut down: for reading (arm_read: reads end, a refusal can still
  // be written), or both ways (arm_write). Each arm replaces the previous one.
  void arm_read(std::chrono::steady_clock::duration timeout);
  void arm_write(std::chrono::steady_clock::duration timeout);
  void disarm();
  bool expired() const;

 private:
  struct State;
  void arm(std::chrono::steady_clock::duration timeout, bool stop_writing);
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;  // shared with the pending wait, which may outlive *this
};

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

struct ReadOutcome {
  enum class Kind { request, refused, closed };
  Kind kind = Kind::closed;
  Refusal refusal;  // kind == refused
};

// Reads the next request into `parser` (a fresh one per request), leaving bytes of
// pipelined requests in `buffer`. Sets the parser's header and body limits itself.
boost::asio::awaitable<ReadOutcome> read_request(boost::asio::ip::tcp::socket& socket,
                                                 boost::beast::flat_buffer& buffer,
                                                 RequestParser& parser, Deadline& deadline,
                                                 const RequestLimits& limits,
                                                 std::chrono::milliseconds read_timeout);

// Writes `refusal` as a JSON error with Connection: close (within `timeout`), then shuts
// the sending side down and discards what the client still sends, until it closes or
// `linger` passes, so the answer is not lost to a reset from unread request bytes. The
// caller then closes the socket.
boost::asio::awaitable<void> send_refusal(boost::asio::ip::tcp::socket& socket, Deadline& deadline,
                                          const Refusal& refusal, std::chrono::milliseconds timeout,
                                          std::chrono::milliseconds linger);

}  // namespace stampede::server
