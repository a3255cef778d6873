// One AMQP 0-9-1 connection with one channel (rabbitmq-c), as the queued write path uses
// it: a publisher with confirms, or a consumer with a bounded prefetch. Every queue is
// durable; every published message is persistent (delivery mode 2).
//
// Errors: AmqpError for anything that fails (cannot connect, refused login, the broker
// closed the channel or connection, a timeout, a nack); after one the connection is
// broken() and must be thrown away (a new AmqpChannel connects again).
// Thread-safety: none; one thread uses an AmqpChannel at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "reference-server/amqp_url.h"

namespace stampede::server {

class AmqpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AmqpDelivery {
  std::uint64_t tag = 0;
  bool redelivered = false;
  std::string body;
};

class AmqpChannel {
 public:
  // Connects, logs in and opens channel 1; `timeout` bounds the connect, the login and
  // every later RPC.
  AmqpChannel(const AmqpUrl& url, std::chrono::milliseconds timeout);
  ~AmqpChannel();
  AmqpChannel(const AmqpChannel&) = delete;
  AmqpChannel& operator=(const AmqpChannel&) = delete;

  // Declares the durable queue (idempotent); returns its ready message count.
  std::int64_t declare_queue(const std::string& queue);
  // The ready message count of an existing queue (passive declare).
  std::int64_t ready_messages(const std::string& queue);

  // Publisher side: confirm mode on, then publish() returns once the broker confirmed the
  // message (persistent, to the default exchange, routed to `queue`, mandatory); AmqpError
  // on a nack, an unroutable message or no confirm within `timeout`.
  void enable_confirms();
  void publish(const std::string& queue, const std::string& body, const std::string& message_id,
               std::chrono::milliseconds timeout);

  // Consumer side: at most `prefetch` unacknowledged deliveries, then consume `queue`.
  void consume(const std::string& queue, int prefetch);
  // The next delivery, or nullopt when none came within `wait`.
  std::optional<AmqpDelivery> next(std::chrono::milliseconds wait);
  void ack(std::uint64_t tag);
  void requeue(std::uint64_t tag);  // basic.nack with requeue

  // Marks the connection broken: the destructor closes the socket without the AMQP
  // close handshake (what a killed process does; the broker requeues unacked deliveries).
  void drop() { broken_ = true; }
  bool broken() const { return broken_; }
  const std::string& address() const { return address_; }

 private:
  struct State;
  [[noreturn]] void fail(const std::string& what);
  void check_rpc(const char* what);

  State* state_ = nullptr;
  std::string address_;
  std::uint64_t next_tag_ = 1;  // publisher confirms count from 1 per channel
  bool broken_ = false;
};

}  // namespace stampede::server
