#include "generator/http/native_connection.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include "generator/http/native_errors.h"
#include "generator/http/native_request.h"
#include "generator/http/native_response.h"
#include "generator/http/native_stream.h"
#include "generator/http/tls_client.h"
#include "generator/http/transport_context.h"

namespace stampede::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

using native::Phase;

std::chrono::microseconds micros_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

}  // namespace

template <bool kTls>
struct NativeConnection::Impl : std::enable_shared_from_this<NativeConnection::Impl<kTls>> {
  using Layer = std::conditional_t<kTls, native::TlsStream, native::PlainStream>;

  Impl(TransportContext& c, ExchangeOwner& o) : ctx(c), owner(&o), layer(c), timer(c.io) {
    const NativeTarget& target = c.defaults.native;
    for (const std::string& address : target.addresses) {
      error_code ec;
      const auto ip = asio::ip::make_address(address, ec);
      if (!ec) endpoints.emplace_back(ip, target.port);
    }
  }

  TransportContext& ctx;
  ExchangeOwner* owner;  // null once the connection object is gone
  std::vector<tcp::endpoint> endpoints;
  Layer layer;
  asio::steady_timer timer;
  int timer_waits = 0;          // waits on `timer` not yet completed
  Clock::time_point timer_due;  // the deadline in force (arm_timer)
  beast::flat_buffer buffer;
  std::string out;  // the request as sent
  std::optional<NativeResponseParser> parser;
  std::vector<ShardTiming> shards;
  std::vector<std::pair<std::string, std::string>> header_fields;  // of the last response
  std::string tls_failure;  // the text of the last TLS failure that names its host

  static constexpr std::size_t kReadSize = 64 * 1024;  // at most per read (Beast's own)

  // Each send() starts a new generation; completions of an older one are ignored.
  std::uint64_t generation = 0;
  bool in_flight = false;
  Phase phase = Phase::kConnect;
  bool timed_out = false;
  bool reused = false;   // the exchange started on an already open connection
  bool retried = false;  // ... and was already sent again on a new one
  bool head = false;
  BodyUse body_use = BodyUse::kKeep;
  Clock::time_point deadline;          // of the whole exchange
  Clock::time_point connect_deadline;  // of the connect (and the TLS handshake)
  Clock::time_point phase_start;       // of the connect, then of the handshake
  std::chrono::microseconds connect_time{0};
  std::chrono::microseconds tls_time{0};
  bool tls_resumed = false;
  bool opened = false;      // this exchange's TCP connect completed
  bool handshaken = false;  // ... and its TLS handshake
  Clock::time_point sent_at;  // the request's write began (on a ready connection)
  std::optional<std::chrono::microseconds> ttfb;  // sent_at to the response head

  bool current(std::uint64_t gen) const { return in_flight && gen == generation && owner != nullptr; }

  // The exchange must end by `at` (the connect's deadline, then the whole exchange's). One
  // wait on `timer` at a time, re-armed lazily: a wait still pending for an earlier time (the
  // previous exchange's deadline on a kept-alive connection) is left as it is and, when it
  // fires before the deadline in force, waits again until then. So a request on a kept-alive
  // connection costs no timer cancel and re-insert; the timeout stays exact.
  void arm_timer(Clock::time_point at) {
    timer_due = at;
    if (timer_waits > 0 && timer.expiry() <= at) return;
    timer.expires_at(at);  // a pending wait completes as cancelled
    wait_timer();
  }

  void wait_timer() {
    ++timer_waits;
    timer.async_wait([self = this->shared_from_this()](const error_code& ec) {
      --self->timer_waits;
      if (self->timer_waits > 0) return;  // a later wait took over
      if (!self->in_flight || self->owner == nullptr) return;  // nothing to time until the next send()
      // Cancelled (cancel() then a new send() before this ran), or fired before the
      // deadline in force: wait until that deadline.
      if (ec || Clock::now() < self->timer_due) {
        self->timer.expires_at(self->timer_due);
        return self->wait_timer();
      }
      self->timed_out = true;
      self->layer.close();  // the pending operation completes as aborted
    });
  }

  void start(const scenarios::RenderedRequest& request, std::chrono::milliseconds timeout, BodyUse use) {
    ++generation;
    body_use = use;
    in_flight = true;
    timed_out = false;
    retried = false;
    connect_time = tls_time = std::chrono::microseconds{0};
    tls_resumed = opened = handshaken = false;
    ttfb.reset();
    head = request.method == "HEAD";
    native::serialize_request(request, ctx.defaults.native.host_header, out);
    deadline = Clock::now() + timeout;
    if (endpoints.empty()) {
      asio::post(ctx.io, [self = this->shared_from_this(), gen = generation] {
        if (self->current(gen)) self->deliver_error({ErrorKind::kConnect, "could not resolve host"});
      });
      return;
    }
    if (layer.is_open()) {
      reused = true;
      arm_timer(deadline);
      write();
    } else {
      reused = false;
      connect();
    }
  }

  void connect() {
    phase = Phase::kConnect;
    buffer.clear();
    layer.renew();
    phase_start = Clock::now();
    connect_deadline = std::min(deadline, phase_start + ctx.defaults.connect_timeout);
    arm_timer(connect_deadline);
    ++ctx.native_connections_opened;
    asio::async_connect(layer.socket(), endpoints,
                        [self = this->shared_from_this(), gen = generation, hold = layer.hold()](
                            const error_code& ec, const tcp::endpoint&) {
                          if (!self->current(gen)) return;
                          if (ec) return self->on_error(ec);
                          self->connect_time = micros_since(self->phase_start);
                          self->opened = true;
                          error_code ignored;
                          self->layer.socket().set_option(tcp::no_delay(true), ignored);
                          if constexpr (kTls) {
                            self->handshake();
                          } else {
                            self->connected();
                          }
                        });
  }

  // https:// only: the TLS handshake, still within the connect deadline.
  void handshake() {
    phase = Phase::kHandshake;
    phase_start = Clock::now();
    const NativeTarget& target = ctx.defaults.native;
    layer.session().prepare(layer.stream().native_handle(), *target.tls, target.host);
    layer.stream().async_handshake(
        asio::ssl::stream_base::client,
        [self = this->shared_from_this(), gen = generation, hold = layer.hold()](const error_code& ec) {
          if (!self->current(gen)) return;
          if (ec) return self->on_error(ec);
          self->tls_time = micros_since(self->phase_start);
          self->tls_resumed = TlsSession::resumed(self->layer.stream().native_handle());
          self->handshaken = true;
          ++self->ctx.native_tls_handshakes;
          if (self->tls_resumed) ++self->ctx.native_tls_resumed;
          self->connected();
        });
  }

  void connected() {
    if (connect_deadline < deadline) arm_timer(deadline);
    write();
  }

  void write() {
    phase = Phase::kWrite;
    sent_at = Clock::now();
    asio::async_write(layer.stream(), asio::buffer(out),
                      [self = this->shared_from_this(), gen = generation, hold = layer.hold()](
                          const error_code& ec, std::size_t) {
                        if (!self->current(gen)) return;
                        if (ec) return self->on_error(ec);
                        self->read();
                      });
  }

  void read() {
    phase = Phase::kRead;
    parser.emplace();
    prepare_response_parser(*parser, head, ctx.bodies, body_use);
    parse_buffered();
  }

  // The response is parsed from `buffer` as its bytes arrive, by one read loop of our own
  // (Beast's async_read_header and async_read cost two composed operations and a posted
  // completion per response); the time to first byte is taken when a read completes the head.
  void parse_buffered() {
    error_code ec;
    parse_some(*parser, buffer, ec);
    if (ec) return on_error(ec);
    if (!ttfb && parser->is_header_done()) ttfb = micros_since(sent_at);
    if (parser->is_done()) return on_response();
    read_some();
  }

  void read_some() {
    layer.stream().async_read_some(
        buffer.prepare(beast::read_size(buffer, kReadSize)),
        [self = this->shared_from_this(), gen = generation, hold = layer.hold()](const error_code& ec, std::size_t n) {
          if (!self->current(gen)) return;
          self->buffer.commit(n);
          if (!ec) return self->parse_buffered();
          if (ec != asio::error::eof) return self->on_error(ec);
          // The server closed the connection: the end of a body read until close, or a
          // response cut short (as Beast's own read reports them).
          if (!self->parser->got_some()) return self->on_error(beast_http::error::end_of_stream);
          error_code end;
          self->parser->put_eof(end);
          if (end) return self->on_error(end);
          self->on_response();
        });
  }

  // What every Exchange says about the connection and the response's timing.
  void note_timings(Exchange& exchange) const {
    exchange.connect_time = connect_time;
    exchange.tls_time = tls_time;
    exchange.tls_resumed = tls_resumed;
    exchange.new_connection = opened;
    exchange.tls_handshake = handshaken;
    exchange.ttfb = ttfb;
  }

  void on_response() {
    const auto& response = parser->get();
    Exchange exchange = exchange_of(response, shards);
    note_timings(exchange);
    // The header fields for cookies, redirects and header checks (strings keep capacity).
    header_fields.resize(static_cast<std::size_t>(std::distance(response.begin(), response.end())));
    std::size_t field = 0;
    for (const auto& f : response) {
      header_fields[field].first.assign(f.name_string().data(), f.name_string().size());
      header_fields[field++].second.assign(f.value().data(), f.value().size());
    }
    exchange.headers = &header_fields;
    if (!response.keep_alive()) close();
    in_flight = false;
    owner->on_exchange_done(exchange);  // may send() again; the parser stays until read()
    release_body();  // a user waiting between tasks holds no body memory
  }

  void release_body() {
    if (parser) parser->get().body().release();
  }

  void on_error(const error_code& ec) {
    const bool answered = phase == Phase::kRead && parser && parser->got_some();
    if constexpr (kTls) {
      // A body read until the connection closes, from a server that closes without TLS's
      // close_notify: Asio reports a truncated stream where plain TCP gives an EOF.
      if (!timed_out && ec == asio::ssl::error::stream_truncated && answered && parser->need_eof()) {
        error_code end;
        parser->put_eof(end);
        if (!end) return on_response();
      }
    }
    if (!timed_out && reused && !retried && !answered && native::closed_while_idle(ec)) {
      retried = true;
      reused = false;
      close();
      connect();
      return;
    }
    const TransportError error = describe_failure(ec);
    close();
    deliver_error(error);
  }

  // A body refused by the run's limits says which limit, in the failures table too; a TLS
  // failure says which host and why.
  TransportError describe_failure(const error_code& ec) {
    if (phase == Phase::kRead && parser && !timed_out) {
      const ResponseBody& body = parser->get().body();
      if (body.refusal() != ResponseBody::Refusal::kNone) return body.refusal_error();
      if (ec == beast_http::error::body_limit) return body.too_large_error();
    }
    if constexpr (kTls) {
      if (phase == Phase::kHandshake && !timed_out && ec.category() == asio::error::get_ssl_category()) {
        const NativeTarget& target = ctx.defaults.native;
        std::optional<std::string> unverified;
        if (target.tls->verifies()) unverified = verify_failure(layer.stream().native_handle(), target.host);
        tls_failure = unverified ? std::move(*unverified) : "TLS handshake failed: " + ec.message();
        return {ErrorKind::kConnect, tls_failure};
      }
    }
    return native::describe(ec, phase, timed_out);
  }

  void deliver_error(TransportError error) {
    in_flight = false;
    shards.clear();
    Exchange exchange;
    exchange.error = error.text;
    exchange.error_kind = error.kind;
    exchange.shards = &shards;
    note_timings(exchange);
    if (phase == Phase::kRead && parser) exchange.body_bytes = parser->get().body().received();
    owner->on_exchange_done(exchange);
    release_body();
  }

  void close() {
    layer.close();
    buffer.clear();
  }

  void cancel() {
    in_flight = false;
    ++generation;
    close();
    timer.cancel();
    release_body();
  }
};

NativeConnection::NativeConnection(TransportContext& ctx, ExchangeOwner& owner) {
  if (ctx.defaults.native.tls)
    tls_ = std::make_shared<Impl<true>>(ctx, owner);
  else
    plain_ = std::make_shared<Impl<false>>(ctx, owner);
}

NativeConnection::~NativeConnection() {
  if (plain_) {
    plain_->owner = nullptr;
    plain_->cancel();
  } else {
    tls_->owner = nullptr;
    tls_->cancel();
  }
}

void NativeConnection::send(const scenarios::RenderedRequest& request,
                            std::chrono::milliseconds timeout, BodyUse body) {
  if (plain_) plain_->start(request, timeout, body);
  else tls_->start(request, timeout, body);
}

void NativeConnection::abort() {
  if (plain_) {
    if (plain_->in_flight) plain_->cancel();
  } else if (tls_->in_flight) {
    tls_->cancel();
  }
}

}  // namespace stampede::http
