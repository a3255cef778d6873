#include "reference-server/request_reader.h"

#include <algorithm>
#include <array>
#include <boost/asio/experimental/as_tuple.hpp>
#include <limits>
#include <string>
#include <string_view>

#include "reference-server/json_writer.h"

namespace stampede::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// What a refused connection may still send before it is closed anyway (see send_refusal).
constexpr std::size_t kMaxDrainBytes = 1024 * 1024;

ReadOutcome closed() { return {}; }
ReadOutcome refused(Refusal refusal) { return {ReadOutcome::Kind::refused, std::move(refusal)}; }

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_target).category();
}

// The target as far as it was read: the parsed one once the request line is complete,
// else what the buffer holds of the line.
std::string_view buffered(const beast::flat_buffer& buffer) {
  const auto data = buffer.data();
  return {static_cast<const char*>(data.data()), data.size()};
}

std::string_view target_seen(const RequestParser& parser, const beast::flat_buffer& buffer) {
  const auto target = parser.get().target();
  if (!target.empty()) return {target.data(), target.size()};
  return target_in_request_line(buffered(buffer));
}

// What a failed read of a request amounts to. `partial`: some of it had been read.
ReadOutcome after_read_error(const beast::error_code& ec, bool partial, const Deadline& deadline,
                             const RequestParser& parser, const beast::flat_buffer& buffer,
                             const RequestLimits& limits, std::chrono::milliseconds read_timeout) {
  if (deadline.expired()) return partial ? refused(timeout_refusal(read_timeout.count())) : closed();
  if (ec == http::error::body_limit) return refused(body_too_large(limits.max_body_bytes));
  if (ec == http::error::header_limit) return refused(oversized_head(target_seen(parser, buffer), limits));
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return closed();
  if (ec == http::error::bad_version) return refused(bad_version(buffered(buffer)));
  if (is_parse_error(ec)) return refused({400, "bad request", "malformed request: " + ec.message()});
  return closed();  // reset, broken pipe, server stopping: nobody to answer
}

// Adds one more value of a repeated field, RFC 9110 style ("a, b"); `joined` holds the
// text only when the field repeats (the common single value is a view into the header).
void add_value(bool& has, std::string_view& value, std::string& joined, std::string_view next) {
  if (!has) {
    has = true;
    value = next;
    return;
  }
  if (joined.empty()) joined.assign(value);
  joined.append(", ").append(next);
  value = joined;
}

RequestHead head_of(const RequestParser& parser, std::string& te_joined, std::string& expect_joined) {
  const auto& req = parser.get();
  RequestHead head;
  head.version = req.version();
  head.target = {req.target().data(), req.target().size()};
  for (const auto& field : req) {
    ++head.field_count;
    const std::string_view value(field.value().data(), field.value().size());
    if (field.name() == http::field::host) {
      ++head.host_count;
    } else if (field.name() == http::field::transfer_encoding) {
      add_value(head.has_transfer_encoding, head.transfer_encoding, te_joined, value);
    } else if (field.name() == http::field::expect) {
      add_value(head.has_expect, head.expect, expect_joined, value);
    }
  }
  if (const auto length = parser.content_length()) {
    head.has_content_length = true;
    head.content_length = *length;
  }
  return head;
}

std::string refusal_body(const Refusal& refusal) {
  JsonWriter w;
  w.begin_object();
  w.key("error").value(refusal.error);
  w.key("details").begin_array().value(refusal.detail).end_array();
  w.end_object();
  return w.take();
}

}  // namespace

struct Deadline::State {
  tcp::socket* socket = nullptr;  // null once the Deadline is gone
  std::uint64_t generation = 0;   // which arm() a pending wait belongs to
  bool expired = false;
};

Deadline::Deadline(tcp::socket& socket)
    : timer_(socket.get_executor()), state_(std::make_shared<State>()) {
  state_->socket = &socket;
}

Deadline::~Deadline() { state_->socket = nullptr; }

void Deadline::arm_read(std::chrono::steady_clock::duration timeout) { arm(timeout, false); }
void Deadline::arm_write(std::chrono::steady_clock::duration timeout) { arm(timeout, true); }

void Deadline::arm(std::chrono::steady_clock::duration timeout, bool stop_writing) {
  state_->expired = false;
  const std::uint64_t generation = ++state_->generation;
  timer_.expires_after(timeout);
  // A wait that already fired may still be queued when the deadline is re-armed or
  // destroyed: the generation and the socket pointer make it a no-op then.
  timer_.async_wait([state = state_, generation, stop_writing](const beast::error_code& ec) {
    if (ec || state->generation != generation || state->socket == nullptr) return;
    state->expired = true;
    beast::error_code ignored;
    state->socket->cancel(ignored);
    state->socket->shutdown(stop_writing ? tcp::socket::shutdown_both : tcp::socket::shutdown_receive, ignored);
  });
}

void Deadline::disarm() {
  ++state_->generation;
  timer_.cancel();
}

bool Deadline::expired() const { return state_->expired; }

asio::awaitable<ReadOutcome> read_request(tcp::socket& socket, beast::flat_buffer& buffer,
                                          RequestParser& parser, Deadline& deadline,
                                          const RequestLimits& limits,
                                          std::chrono::milliseconds read_timeout) {
  constexpr std::size_t kMaxUint32 = std::numeric_limits<std::uint32_t>::max();
  parser.header_limit(static_cast<std::uint32_t>(std::min(limits.max_header_bytes, kMaxUint32)));
  parser.body_limit(limits.max_body_bytes);
  deadline.arm_read(read_timeout);

  // Header: Beast consumes complete fields as they arrive, so its header_limit alone would
  // let a header grow past it over several reads; the bytes consumed are counted here.
  std::size_t head_bytes = 0;
  while (!parser.is_header_done()) {
    auto [ec, consumed] = co_await http::async_read_some(socket, buffer, parser, kUseTuple);
    head_bytes += consumed;
    if (ec) {
      const bool partial = head_bytes > 0 || buffer.size() > 0;
      deadline.disarm();
      co_return after_read_error(ec, partial, deadline, parser, buffer, limits, read_timeout);
    }
    if (head_bytes > limits.max_header_bytes) {
      deadline.disarm();
      co_return refused(oversized_head(target_seen(parser, buffer), limits));
    }
  }

  std::string te_joined;
  std::string expect_joined;
  const HeadCheck check = check_head(head_of(parser, te_joined, expect_joined), limits);
  if (check.refusal) {
    deadline.disarm();
    co_return refused(*check.refusal);
  }
  if (check.send_continue) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto [ec, written] = co_await asio::async_write(socket, asio::buffer(kContinue), kUseTuple);
    (void)written;
    if (ec) {
      deadline.disarm();
      co_return after_read_error(ec, true, deadline, parser, buffer, limits, read_timeout);
    }
  }
  if (!parser.is_done()) {
    auto [ec, read] = co_await http::async_read(socket, buffer, parser, kUseTuple);
    (void)read;
    if (ec) {
      deadline.disarm();
      co_return after_read_error(ec, true, deadline, parser, buffer, limits, read_timeout);
    }
  }
  deadline.disarm();
  co_return ReadOutcome{ReadOutcome::Kind::request, {}};
}

asio::awaitable<void> send_refusal(tcp::socket& socket, Deadline& deadline, const Refusal& refusal,
                                   std::chrono::milliseconds timeout, std::chrono::milliseconds linger) {
  http::response<http::string_body> res{static_cast<http::status>(refusal.status), 11};
  res.set(http::field::server, "stampede-server");
  res.set(http::field::content_type, "application/json");
  res.keep_alive(false);
  res.body() = refusal_body(refusal);
  res.prepare_payload();
  deadline.arm_write(timeout);
  auto [ec, written] = co_await http::async_write(socket, res, kUseTuple);
  (void)written;
  if (!ec) {
    // Closing with unread request bytes in the socket would send a reset, which can
    // destroy the answer before the client reads it: read them away for a while first.
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    deadline.arm_read(linger);
    std::array<char, 4096> sink;
    for (std::size_t drained = 0; drained < kMaxDrainBytes;) {
      auto [read_error, got] = co_await socket.async_read_some(asio::buffer(sink), kUseTuple);
      if (read_error) break;
      drained += got;
    }
  }
  deadline.disarm();
}

}  // namespace stampede::server
