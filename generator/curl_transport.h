// CurlTransport: libcurl's multi interface driven by one Asio io_context.
//
// One transport per worker thread, used only from that thread (no locking). Curl tells us
// which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake (CURLMOPT_TIMERFUNCTION);
// we watch them with Asio descriptors/timers and feed readiness back with
// curl_multi_socket_action. Connections live in the multi handle's cache and are reused
// across transfers (HTTP keep-alive), so an idle user does not pin a socket and the
// connection count follows the number of requests in flight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <curl/curl.h>

namespace boost::asio {
class io_context;
}

namespace stampede::generator {

// Whoever started a transfer; told once when it ends. Set as the easy handle's
// CURLOPT_PRIVATE by CurlTransport::start().
class TransferOwner {
 public:
  virtual void on_transfer_done(CURLcode result) = 0;

 protected:
  ~TransferOwner() = default;
};

class CurlTransport {
 public:
  explicit CurlTransport(boost::asio::io_context& io);
  ~CurlTransport();
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Prepares an easy handle for use with this transport (socket-close hook, private data).
  // Call once per handle before the first start().
  void adopt(CURL* easy, TransferOwner* owner);

  // Starts a configured transfer. owner->on_transfer_done() runs later on the io_context's
  // thread, never from inside start().
  void start(CURL* easy);

  // Removes an in-flight transfer without notifying its owner (abandoning at stop).
  void abort(CURL* easy);

  std::size_t in_flight() const;
  // New TCP connections curl opened over this transport's life (CURLINFO_NUM_CONNECTS).
  std::uint64_t connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::generator
