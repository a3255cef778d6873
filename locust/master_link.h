// master_link: the worker's ZeroMQ connection to a Locust master.
//
// A DEALER socket whose routing id is the worker's client id, connected to the master's
// ROUTER (tcp://host:port, Locust's --master-bind-port, 5557 by default), TCP keepalive on
// as Locust sets it. Frames are messages.h's bytes, one ZeroMQ message each.
//
// ZeroMQ connects in the background and queues what is sent before the master is there:
// send() never blocks (a full queue drops the frame and returns false, as Locust's NOBLOCK
// send raises); receive() waits up to its timeout. reconnect() closes the socket and opens a
// new one with the same id (what Locust's worker does on "reconnect" or a send error).
//
// The connection's state comes from ZeroMQ's socket monitor (read during receive()): a
// master process that ends closes its TCP connection, and a master restarted on the same
// port is connected to again by ZeroMQ on its own. down_since() says since when the
// connection is down, take_reconnected() that it came back (once per return). Locust 2.12's
// master sends no heartbeats, so this is how its loss is seen; a master that hangs with its
// connection open is not (docs/distributed.md, "Master loss").
//
// Errors: std::runtime_error from the constructor or reconnect() for an address ZeroMQ
// refuses; ProtocolError (messages.h) from receive() for a frame that is not a Locust
// message. Thread-safety: none; one owner thread (ZeroMQ sockets are not thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "locust/messages.h"

namespace stampede::locust {

class MasterLink {
 public:
  MasterLink(std::string host, std::uint16_t port, std::string client_id);
  ~MasterLink();
  MasterLink(const MasterLink&) = delete;
  MasterLink& operator=(const MasterLink&) = delete;

  const std::string& client_id() const { return client_id_; }
  std::string endpoint() const;  // "tcp://host:port"

  bool send(const std::string& frame);
  std::optional<MasterMessage> receive(std::chrono::milliseconds timeout);
  void reconnect();

  // Since when the TCP connection to the master is down; none while it is up, and before it
  // was ever up (a master not there yet is the ready retries' business).
  std::optional<std::chrono::steady_clock::time_point> down_since() const { return down_since_; }
  // True once after the connection came back up from down (a restarted master).
  bool take_reconnected() { return std::exchange(reconnected_, false); }

 private:
  struct Sockets;
  std::string host_;
  std::uint16_t port_;
  std::string client_id_;
  void read_events();

  std::unique_ptr<Sockets> sockets_;
  std::optional<std::chrono::steady_clock::time_point> down_since_;
  bool reconnected_ = false;
};

// A client id as Locust makes one: "<hostname>_<32 random hex digits>".
std::string make_client_id();

}  // namespace stampede::locust
