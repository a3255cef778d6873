// CurlTransport: libcurl's multi interface driven by one Asio io_context.
//
// One transport per worker thread, used only from that thread (no locking). Curl tells us
// which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake (CURLMOPT_TIMERFUNCTION);
// we watch them with Asio descriptors/timers and feed readiness back with
// curl_multi_socket_action. Connections live in a multi handle's cache and are reused
// across transfers (HTTP keep-alive), so an idle user does not pin a socket and the
// connection count follows the number of requests in flight.
//
// Easy handles are spread over "lanes" of at most `handles_per_lane`, each lane its own
// multi handle (and so its own connection cache). With one handle per lane (the engine's
// default) every user keeps its own keep-alive connection, as a browser or a Locust user
// does; with more, the users of a lane share idle connections. libcurl 7.88 walks a multi handle's whole
// connection cache on every curl_multi_remove_handle() and scans every connection to the
// same host when it looks for one to reuse: with one multi handle per thread that is
// O(users) work per request, which made 10,000 users cost ~400 CPU-µs per request. With
// lanes it is O(handles_per_lane). A lane's multi handle costs ~11 KiB once it has been used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include <curl/curl.h>

namespace boost::asio {
class io_context;
}

namespace stampede::http {

// Whoever started a transfer; told once when it ends. Set as the easy handle's
// CURLOPT_PRIVATE by CurlTransport::adopt().
class TransferOwner {
 public:
  virtual void on_transfer_done(CURLcode result) = 0;

 protected:
  ~TransferOwner() = default;
};

class CurlTransport {
 public:
  // Easy handles per multi handle when users share connections; see the file comment.
  static constexpr std::size_t kSharedHandlesPerLane = 32;

  // handles_per_lane >= 1: 1 gives every adopted handle its own connection cache.
  CurlTransport(boost::asio::io_context& io, std::size_t handles_per_lane);
  ~CurlTransport();
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Prepares an easy handle for use with this transport (socket-close hook, private data,
  // its lane). Call once per handle before the first start().
  void adopt(CURL* easy, TransferOwner* owner);
  // Forgets an adopted handle (not in flight) before it is cleaned up, freeing its place
  // in its lane. Optional: a handle never released only keeps its lane slot taken.
  void release(CURL* easy);

  // Starts a configured transfer. owner->on_transfer_done() runs later on the io_context's
  // thread, never from inside start().
  void start(CURL* easy);

  // Removes an in-flight transfer without notifying its owner (abandoning at stop).
  void abort(CURL* easy);

  std::size_t in_flight() const;
  // New TCP connections curl opened over this transport's life (CURLINFO_NUM_CONNECTS).
  std::uint64_t connections_opened() const;
  // Multi handles created so far (one per handles_per_lane adopted handles at the peak).
  std::size_t lane_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stampede::http
