#include "reference-server/amqp_channel.h"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

namespace stampede::server {

namespace {

constexpr amqp_channel_t kChannel = 1;

timeval to_timeval(std::chrono::milliseconds ms) {
  const auto count = std::max<std::int64_t>(ms.count(), 0);
  return timeval{static_cast<time_t>(count / 1000), static_cast<suseconds_t>((count % 1000) * 1000)};
}

std::string bytes_text(const amqp_bytes_t& bytes) {
  return std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

// What an RPC reply says went wrong ("" when it went right).
std::string reply_problem(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL: return "";
    case AMQP_RESPONSE_NONE: return "no reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto* close = static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
        return "connection closed by the broker: " + std::to_string(close->reply_code) + " " +
               bytes_text(close->reply_text);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* close = static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
        return "channel closed by the broker: " + std::to_string(close->reply_code) + " " +
               bytes_text(close->reply_text);
      }
      return "broker error (method " + std::to_string(reply.reply.id) + ")";
  }
  return "unknown reply";
}

}  // namespace

struct AmqpChannel::State {
  amqp_connection_state_t conn = nullptr;
};

AmqpChannel::AmqpChannel(const AmqpUrl& url, std::chrono::milliseconds timeout)
    : state_(new State), address_(url.address()) {
  state_->conn = amqp_new_connection();
  if (state_->conn == nullptr) fail("out of memory");
  amqp_socket_t* socket = amqp_tcp_socket_new(state_->conn);
  if (socket == nullptr) fail("cannot create a socket");
  timeval tv = to_timeval(timeout);
  amqp_set_handshake_timeout(state_->conn, &tv);
  amqp_set_rpc_timeout(state_->conn, &tv);
  if (const int status = amqp_socket_open_noblock(socket, url.host.c_str(), url.port, &tv); status != AMQP_STATUS_OK) {
    fail(std::string("cannot connect: ") + amqp_error_string2(status));
  }
  const amqp_rpc_reply_t login = amqp_login(state_->conn, url.vhost.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN,
                                            url.user.c_str(), url.password.c_str());
  if (const auto problem = reply_problem(login); !problem.empty()) fail("login as " + url.user + ": " + problem);
  amqp_channel_open(state_->conn, kChannel);
  check_rpc("channel.open");
}

AmqpChannel::~AmqpChannel() {
  if (state_->conn != nullptr) {
    if (!broken_) {
      // A polite close; a broker that is gone is not waited for beyond the RPC timeout.
      amqp_channel_close(state_->conn, kChannel, AMQP_REPLY_SUCCESS);
      amqp_connection_close(state_->conn, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(state_->conn);
  }
  delete state_;
}

void AmqpChannel::fail(const std::string& what) {
  broken_ = true;
  throw AmqpError("rabbitmq " + address_ + ": " + what);
}

void AmqpChannel::check_rpc(const char* what) {
  const auto problem = reply_problem(amqp_get_rpc_reply(state_->conn));
  if (!problem.empty()) fail(std::string(what) + ": " + problem);
}

std::int64_t AmqpChannel::declare_queue(const std::string& queue) {
  auto* ok = amqp_queue_declare(state_->conn, kChannel, amqp_cstring_bytes(queue.c_str()), /*passive=*/0,
                                /*durable=*/1, /*exclusive=*/0, /*auto_delete=*/0, amqp_empty_table);
  if (ok == nullptr) check_rpc("queue.declare");
  if (ok == nullptr) fail("queue.declare: no answer");
  return ok->message_count;
}

std::int64_t AmqpChannel::ready_messages(const std::string& queue) {
  auto* ok = amqp_queue_declare(state_->conn, kChannel, amqp_cstring_bytes(queue.c_str()), /*passive=*/1,
                                /*durable=*/1, 0, 0, amqp_empty_table);
  if (ok == nullptr) check_rpc("queue.declare (passive)");
  if (ok == nullptr) fail("queue.declare (passive): no answer");
  return ok->message_count;
}

void AmqpChannel::enable_confirms() {
  if (amqp_confirm_select(state_->conn, kChannel) == nullptr) check_rpc("confirm.select");
  next_tag_ = 1;
}

void AmqpChannel::publish(const std::string& queue, const std::string& body, const std::string& message_id,
                          std::chrono::milliseconds timeout) {
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
  props.delivery_mode = 2;  // persistent
  props.content_type = amqp_cstring_bytes("application/json");
  props.message_id = amqp_cstring_bytes(message_id.c_str());
  amqp_bytes_t payload{body.size(), const_cast<char*>(body.data())};
  const int status = amqp_basic_publish(state_->conn, kChannel, amqp_empty_bytes, amqp_cstring_bytes(queue.c_str()),
                                        /*mandatory=*/1, /*immediate=*/0, &props, payload);
  if (status != AMQP_STATUS_OK) fail(std::string("basic.publish: ") + amqp_error_string2(status));
  const std::uint64_t tag = next_tag_++;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool returned = false;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) fail("no publisher confirm within " + std::to_string(timeout.count()) + " ms");
    timeval tv = to_timeval(left);
    amqp_frame_t frame;
    amqp_maybe_release_buffers(state_->conn);
    const int got = amqp_simple_wait_frame_noblock(state_->conn, &frame, &tv);
    if (got == AMQP_STATUS_TIMEOUT) continue;
    if (got != AMQP_STATUS_OK) fail(std::string("waiting for the confirm: ") + amqp_error_string2(got));
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<const amqp_basic_ack_t*>(frame.payload.method.decoded);
        if (ack->delivery_tag < tag && !ack->multiple) continue;  // an earlier one (not expected)
        if (returned) fail("the message could not be routed to queue " + queue);
        return;
      }
      case AMQP_BASIC_NACK_METHOD: fail("the broker refused the message (basic.nack)");
      case AMQP_BASIC_RETURN_METHOD: {
        // Unroutable: the message comes back (header + body frames), then the ack.
        amqp_message_t message;
        const amqp_rpc_reply_t read = amqp_read_message(state_->conn, frame.channel, &message, 0);
        if (read.reply_type != AMQP_RESPONSE_NORMAL) fail("reading a returned message: " + reply_problem(read));
        amqp_destroy_message(&message);
        returned = true;
        continue;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD: fail("the broker closed the channel while publishing");
      default: continue;
    }
  }
}

void AmqpChannel::consume(const std::string& queue, int prefetch) {
  if (amqp_basic_qos(state_->conn, kChannel, 0, static_cast<std::uint16_t>(prefetch), 0) == nullptr) {
    check_rpc("basic.qos");
  }
  if (amqp_basic_consume(state_->conn, kChannel, amqp_cstring_bytes(queue.c_str()), amqp_empty_bytes,
                         /*no_local=*/0, /*no_ack=*/0, /*exclusive=*/0, amqp_empty_table) == nullptr) {
    check_rpc("basic.consume");
  }
}

std::optional<AmqpDelivery> AmqpChannel::next(std::chrono::milliseconds wait) {
  amqp_maybe_release_buffers(state_->conn);
  timeval tv = to_timeval(wait);
  amqp_envelope_t envelope;
  const amqp_rpc_reply_t reply = amqp_consume_message(state_->conn, &envelope, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    AmqpDelivery delivery{envelope.delivery_tag, envelope.redelivered != 0, bytes_text(envelope.message.body)};
    amqp_destroy_envelope(&envelope);
    return delivery;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) {
    return std::nullopt;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // A frame other than a delivery: a close from the broker ends this channel; anything
    // else (a consumer cancel notification) too, since consuming stopped.
    amqp_frame_t frame;
    if (amqp_simple_wait_frame(state_->conn, &frame) != AMQP_STATUS_OK || frame.frame_type != AMQP_FRAME_METHOD) {
      fail("consuming: connection lost");
    }
    fail("consuming: the broker sent method " + std::to_string(frame.payload.method.id) + " instead of a delivery");
  }
  fail("consuming: " + reply_problem(reply));
}

void AmqpChannel::ack(std::uint64_t tag) {
  if (const int status = amqp_basic_ack(state_->conn, kChannel, tag, 0); status != AMQP_STATUS_OK) {
    fail(std::string("basic.ack: ") + amqp_error_string2(status));
  }
}

void AmqpChannel::requeue(std::uint64_t tag) {
  if (const int status = amqp_basic_nack(state_->conn, kChannel, tag, 0, /*requeue=*/1); status != AMQP_STATUS_OK) {
    fail(std::string("basic.nack: ") + amqp_error_string2(status));
  }
}

}  // namespace stampede::server
