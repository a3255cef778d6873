#include "generator/http/native_connection.h"

#include <algorithm>
#include <future>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "generator/http/native_response.h"
#include "generator/http/transport_context.h"

namespace stampede::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using Clock = std::chrono::steady_clock;

namespace {

enum class Phase { kConnect, kWrite, kRead };

// Only on the failure path.
TransportError describe(const error_code& ec, Phase phase, bool timed_out) {
  using K = ErrorKind;
  if (timed_out) return phase == Phase::kConnect ? TransportError{K::kConnect, "connect timeout"}
                                                 : TransportError{K::kTimeout, "request timeout"};
  if (ec == asio::error::connection_refused) return {K::kConnect, "connection refused"};
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable)
    return {K::kConnect, "host unreachable"};
  if (ec == asio::error::connection_reset) return {K::kConnection, "connection reset"};
  if (ec == asio::error::broken_pipe || ec == asio::error::eof) return {K::kConnection, "connection closed by server"};
  if (ec == beast_http::error::end_of_stream) return {K::kConnection, "empty reply from server"};
  if (ec == beast_http::error::partial_message) return {K::kProtocol, "response body truncated"};
  if (ec == beast_http::error::body_limit) return {K::kProtocol, "response body too large"};
  if (ec == beast_http::error::header_limit) return {K::kProtocol, "response header too large"};
  if (ec.category() == beast_http::make_error_code(beast_http::error::bad_version).category())
    return {K::kProtocol, "invalid HTTP response"};
  if (phase == Phase::kConnect) return {K::kConnect, "could not connect"};
  return {K::kConnection, phase == Phase::kWrite ? "send error" : "receive error"};
}

// The server closed a kept-alive connection before answering (idle timeout race).
bool closed_while_idle(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == beast_http::error::end_of_stream;
}

bool is_header(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}

}  // namespace

struct NativeConnection::Impl : std::enable_shared_from_this<Impl> {
  Impl(TransportContext& c, ExchangeOwner& o) : ctx(c), owner(&o), socket(c.io), timer(c.io) {
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
  tcp::socket socket;
  asio::steady_timer timer;
  beast::flat_buffer buffer;
  std::string out;  // the request as sent
  std::optional<NativeResponseParser> parser;
  std::vector<ShardTiming> shards;

  // Each send() starts a new generation; completions of an older one are ignored.
  std::uint64_t generation = 0;
  bool in_flight = false;
  Phase phase = Phase::kConnect;
  bool timed_out = false;
  bool reused = false;   // the exchange started on an already open connection
  bool retried = false;  // ... and was already sent again on a new one
  bool head = false;
  BodyUse body_use = BodyUse::kKeep;
  Clock::time_point deadline;  // of the whole exchange

  bool current(std::uint64_t gen) const { return in_flight && gen == generation && owner != nullptr; }

  void serialize(const scenarios::RenderedRequest& request) {
    out.clear();
    out.append(request.method);
    out.push_back(' ');
    out.append(request.target.empty() ? std::string_view("/") : std::string_view(request.target));
    out.append(" HTTP/1.1\r\n");
    bool has_host = false;
    for (const std::string& line : request.headers) has_host = has_host || is_header(line, "host");
    if (!has_host) {
      out.append("Host: ");
      out.append(ctx.defaults.native.host_header);
      out.append("\r\n");
    }
    for (const std::string& line : request.headers) {
      out.append(line);
      out.append("\r\n");
    }
    const std::string_view method = request.method;
    if (!request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      out.append("Content-Length: ");
      out.append(std::to_string(request.body.size()));
      out.append("\r\n");
    }
    out.append("\r\n");
    out.append(request.body);
  }

  void arm_timer(Clock::time_point at) {
    timer.expires_at(at);
    timer.async_wait([self = shared_from_this(), gen = generation](const error_code& ec) {
      // An expiry moved later (after the connect) cancels this wait: ec is then set.
      if (ec || !self->current(gen)) return;
      self->timed_out = true;
      error_code ignored;
      self->socket.close(ignored);  // the pending operation completes as aborted
    });
  }

  void start(const scenarios::RenderedRequest& request, std::chrono::milliseconds timeout, BodyUse use) {
    ++generation;
    body_use = use;
    in_flight = true;
    timed_out = false;
    retried = false;
    head = request.method == "HEAD";
    serialize(request);
    deadline = Clock::now() + timeout;
    if (endpoints.empty()) {
      asio::post(ctx.io, [self = shared_from_this(), gen = generation] {
        if (self->current(gen)) self->deliver_error({ErrorKind::kConnect, "could not resolve host"});
      });
      return;
    }
    if (socket.is_open()) {
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
    const auto connect_deadline = std::min(deadline, Clock::now() + ctx.defaults.connect_timeout);
    arm_timer(connect_deadline);
    ++ctx.native_connections_opened;
    asio::async_connect(socket, endpoints,
                        [self = shared_from_this(), gen = generation, connect_deadline](
                            const error_code& ec, const tcp::endpoint&) {
                          if (!self->current(gen)) return;
                          if (ec) return self->on_error(ec);
                          error_code ignored;
                          self->socket.set_option(tcp::no_delay(true), ignored);
                          if (connect_deadline < self->deadline) self->arm_timer(self->deadline);
                          self->write();
                        });
  }

  void write() {
    phase = Phase::kWrite;
    asio::async_write(socket, asio::buffer(out),
                      [self = shared_from_this(), gen = generation](const error_code& ec, std::size_t) {
                        if (!self->current(gen)) return;
                        if (ec) return self->on_error(ec);
                        self->read();
                      });
  }

  void read() {
    phase = Phase::kRead;
    parser.emplace();
    prepare_response_parser(*parser, head, ctx.bodies, body_use);
    beast_http::async_read(socket, buffer, *parser,
                     [self = shared_from_this(), gen = generation](const error_code& ec, std::size_t) {
                       if (!self->current(gen)) return;
                       if (ec) return self->on_error(ec);
                       self->on_response();
                     });
  }

  void on_response() {
    const auto& response = parser->get();
    const Exchange exchange = exchange_of(response, shards);
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
    if (!timed_out && reused && !retried && !answered && closed_while_idle(ec)) {
      retried = true;
      reused = false;
      close();
      connect();
      return;
    }
    close();
    deliver_error(describe_failure(ec));
  }

  // A body refused by the run's limits says which limit, in the failures table too.
  TransportError describe_failure(const error_code& ec) const {
    if (phase == Phase::kRead && parser && !timed_out) {
      const ResponseBody& body = parser->get().body();
      if (body.refusal() != ResponseBody::Refusal::kNone) return body.refusal_error();
      if (ec == beast_http::error::body_limit) return body.too_large_error();
    }
    return describe(ec, phase, timed_out);
  }

  void deliver_error(TransportError error) {
    in_flight = false;
    shards.clear();
    Exchange exchange;
    exchange.error = error.text;
    exchange.error_kind = error.kind;
    exchange.shards = &shards;
    if (phase == Phase::kRead && parser) exchange.body_bytes = parser->get().body().received();
    owner->on_exchange_done(exchange);
    release_body();
  }

  void close() {
    error_code ignored;
    socket.close(ignored);
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

NativeConnection::NativeConnection(TransportContext& ctx, ExchangeOwner& owner)
    : impl_(std::make_shared<Impl>(ctx, owner)) {}

NativeConnection::~NativeConnection() {
  impl_->owner = nullptr;
  impl_->cancel();
}

void NativeConnection::send(const scenarios::RenderedRequest& request,
                            std::chrono::milliseconds timeout, BodyUse body) {
  impl_->start(request, timeout, body);
}

void NativeConnection::abort() {
  if (impl_->in_flight) impl_->cancel();
}

NativeTarget resolve_native_target(const std::string& base_url, std::chrono::milliseconds timeout) {
  constexpr std::string_view kScheme = "http://";
  if (!base_url.starts_with(kScheme))
    throw std::invalid_argument("the native transport speaks plain http:// only, not '" + base_url + "'");
  NativeTarget target;
  target.host_header = base_url.substr(kScheme.size());
  std::string_view authority = target.host_header;
  if (authority.empty() || authority.find('/') != std::string_view::npos)
    throw std::invalid_argument("expected http://host[:port], got '" + base_url + "'");
  std::string_view host = authority;
  std::string_view port = "80";
  if (authority.front() == '[') {  // [v6]:port
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos)
      throw std::invalid_argument("unclosed '[' in '" + base_url + "'");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') throw std::invalid_argument("bad port in '" + base_url + "'");
      port = authority.substr(close + 2);
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  unsigned long number = 0;
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
        return c >= '0' && c <= '9';
      }) || (number = std::stoul(std::string(port))) == 0 || number > 65535)
    throw std::invalid_argument("bad port '" + std::string(port) + "' in '" + base_url + "'");
  target.port = static_cast<std::uint16_t>(number);

  error_code not_numeric;
  if (const auto address = asio::ip::make_address(std::string(host), not_numeric); !not_numeric) {
    target.addresses.push_back(address.to_string());
    return target;
  }
  // getaddrinfo() cannot be cancelled: it runs on a thread of its own, which keeps what it
  // needs, and is waited for at most `timeout`.
  auto answer = std::make_shared<std::promise<std::vector<std::string>>>();
  std::future<std::vector<std::string>> addresses = answer->get_future();
  std::thread([answer, host = std::string(host), port = std::string(port)] {
    asio::io_context io;
    tcp::resolver resolver(io);
    error_code ec;
    const auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
    std::vector<std::string> found;
    if (!ec) {
      for (const auto& entry : results) {
        const std::string address = entry.endpoint().address().to_string();
        if (std::find(found.begin(), found.end(), address) == found.end()) found.push_back(address);
      }
    }
    answer->set_value(std::move(found));
  }).detach();
  if (addresses.wait_for(timeout) != std::future_status::ready) {
    target.resolve_timed_out = true;
    return target;
  }
  target.addresses = addresses.get();
  return target;
}

}  // namespace stampede::http
