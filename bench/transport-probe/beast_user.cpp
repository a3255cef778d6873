#include "bench/transport-probe/beast_user.h"

#include <optional>
#include <string_view>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "generator/server_timing.h"
#include "scenarios/user_session.h"

namespace stampede::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

namespace {

enum class Phase { kConnect, kWrite, kRead };

std::uint64_t micros_since(BeastUser::Clock::time_point start) {
  auto d = std::chrono::duration_cast<std::chrono::microseconds>(BeastUser::Clock::now() - start);
  return d.count() < 0 ? 0 : static_cast<std::uint64_t>(d.count());
}

// The engine's failure names (generator/virtual_user.cpp, describe_transfer_error) for the
// errors this transport can meet. Only called on the failure path.
std::string describe(const error_code& ec, Phase phase, bool timed_out) {
  if (timed_out) return phase == Phase::kConnect ? "connect timeout" : "request timeout";
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == asio::error::host_unreachable || ec == asio::error::network_unreachable) {
    return "host unreachable";
  }
  if (ec == asio::error::connection_reset) return "connection reset";
  if (ec == asio::error::broken_pipe || ec == asio::error::eof) return "connection closed by server";
  if (ec == http::error::end_of_stream) return "empty reply from server";
  if (ec == http::error::partial_message) return "response body truncated";
  if (ec == http::error::body_limit) return "response body too large";
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return "invalid HTTP response";
  }
  if (phase == Phase::kConnect) return "could not connect";
  return phase == Phase::kWrite ? "send error" : "receive error";
}

std::string_view trim_front(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

}  // namespace

struct BeastUser::Impl {
  enum class State { kIdle, kInFlight, kWaiting, kDone };

  Impl(ProbeContext& c, const scenarios::UserClass& cls, std::uint64_t seed)
      : ctx(c),
        session(cls, scenarios::Rng(seed)),
        endpoint(asio::ip::make_address(c.address), c.port),
        socket(c.io),
        wait_timer(c.io),
        deadline_timer(c.io) {}

  ProbeContext& ctx;
  scenarios::UserSession session;
  scenarios::RequestRef ref;
  scenarios::RenderedRequest rendered;
  tcp::endpoint endpoint;
  tcp::socket socket;
  asio::steady_timer wait_timer;
  asio::steady_timer deadline_timer;  // only with ctx.exact_timeouts
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  std::optional<http::response_parser<http::string_body>> parser;
  std::vector<generator::ShardTiming> shards;

  State state = State::kIdle;
  Phase phase = Phase::kConnect;
  bool stopping = false;
  bool task_open = false;
  bool timed_out = false;
  Clock::time_point task_started;
  Clock::time_point sent_at;
  Clock::time_point deadline;        // of the request in flight
  Clock::time_point phase_deadline;  // min(deadline, connect deadline) while connecting

  void begin_request();
  void arm_deadline();
  void time_out();
  void build_request();
  void connect();
  void write();
  void read();
  void on_response();
  void on_error(const error_code& ec);
  void after_response();
  void close();
  void finish();
};

void BeastUser::Impl::begin_request() {
  if (stopping) {
    finish();
    return;
  }
  ref = session.next();
  if (!task_open) {
    task_started = Clock::now();
    task_open = true;
  }
  session.render(ref, rendered);
  build_request();

  state = State::kInFlight;
  timed_out = false;
  sent_at = Clock::now();
  const auto timeout = rendered.timeout.count() > 0 ? rendered.timeout : ctx.request_timeout;
  deadline = sent_at + timeout;
  if (ctx.exact_timeouts) arm_deadline();
  if (socket.is_open()) {
    write();
  } else {
    connect();
  }
}

void BeastUser::Impl::arm_deadline() {
  const auto limit = std::min(deadline, Clock::now() + ctx.connect_timeout);
  // Until connected, the connect timeout may come first; it is re-armed after the connect.
  deadline_timer.expires_at(socket.is_open() ? deadline : limit);
  deadline_timer.async_wait([this](const error_code& ec) {
    // A wait that expired just as its request completed may run after the next request
    // re-armed the timer: only the current expiry counts.
    if (!ec && Clock::now() >= deadline_timer.expiry()) time_out();
  });
}

void BeastUser::Impl::time_out() {
  if (state != State::kInFlight || timed_out) return;
  timed_out = true;
  // The pending connect/write/read completes with operation_aborted and is recorded as a
  // timeout by on_error().
  error_code ignored;
  socket.close(ignored);
}

void BeastUser::Impl::build_request() {
  // A fresh message per request, as the engine's transport would get a fresh rendered
  // request: the header fields are (re)allocated by Beast each time.
  request = {};
  request.version(11);
  request.method_string(rendered.method);
  request.target(rendered.target);
  request.set(http::field::host, ctx.host_header);
  for (const std::string& line : rendered.headers) {
    const std::string_view text = line;
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) continue;
    request.set(text.substr(0, colon), trim_front(text.substr(colon + 1)));
  }
  request.body().assign(rendered.body);
  request.prepare_payload();
}

void BeastUser::Impl::connect() {
  phase = Phase::kConnect;
  phase_deadline = std::min(deadline, Clock::now() + ctx.connect_timeout);
  buffer.clear();
  ++ctx.connections_opened;
  socket.async_connect(endpoint, [this](const error_code& ec) {
    if (state != State::kInFlight) return;  // abandoned
    if (ec) {
      on_error(ec);
      return;
    }
    socket.set_option(tcp::no_delay(true));
    if (ctx.exact_timeouts) arm_deadline();
    write();
  });
}

void BeastUser::Impl::write() {
  phase = Phase::kWrite;
  phase_deadline = deadline;
  http::async_write(socket, request, [this](const error_code& ec, std::size_t) {
    if (state != State::kInFlight) return;
    if (ec) {
      on_error(ec);
      return;
    }
    read();
  });
}

void BeastUser::Impl::read() {
  phase = Phase::kRead;
  parser.emplace();
  parser->body_limit(kBodyLimit);
  http::async_read(socket, buffer, *parser, [this](const error_code& ec, std::size_t) {
    if (state != State::kInFlight) return;
    if (ec) {
      on_error(ec);
      return;
    }
    on_response();
  });
}

void BeastUser::Impl::on_response() {
  const std::uint64_t latency_us = micros_since(sent_at);
  const std::uint32_t endpoint_id = rendered.endpoint_id;
  const auto& response = parser->get();

  shards.clear();
  for (auto [it, end] = response.equal_range("Server-Timing"); it != end; ++it) {
    const auto value = it->value();
    generator::parse_shard_timings(std::string_view(value.data(), value.size()), shards);
  }
  const std::string& body = response.body();
  std::optional<std::string> failure = session.check(ref, response.result_int(), body);
  ctx.recorder.record(endpoint_id, latency_us, body.size(), failure.has_value());
  if (failure) ctx.recorder.record_failure(endpoint_id, *failure);
  ctx.recorder.record_shards(endpoint_id, shards, latency_us);

  if (ctx.exact_timeouts) deadline_timer.cancel();
  if (!response.keep_alive()) close();
  after_response();
}

void BeastUser::Impl::on_error(const error_code& ec) {
  const std::uint64_t latency_us = micros_since(sent_at);
  const std::uint32_t endpoint_id = rendered.endpoint_id;
  ctx.recorder.record(endpoint_id, latency_us, 0, true);
  ctx.recorder.record_failure(endpoint_id, describe(ec, phase, timed_out));
  if (ctx.exact_timeouts) deadline_timer.cancel();
  close();
  after_response();
}

void BeastUser::Impl::after_response() {
  state = State::kIdle;
  if (stopping) {
    finish();
    return;
  }
  if (!session.task_finished()) {
    begin_request();
    return;
  }
  task_open = false;
  const auto wait = session.wait_after(Clock::now() - task_started);
  if (wait.count() <= 0) {
    begin_request();
    return;
  }
  state = State::kWaiting;
  wait_timer.expires_after(wait);
  wait_timer.async_wait([this](const error_code& ec) {
    if (ec || state != State::kWaiting) return;
    state = State::kIdle;
    begin_request();
  });
}

void BeastUser::Impl::close() {
  error_code ignored;
  socket.close(ignored);
  buffer.clear();
}

void BeastUser::Impl::finish() {
  if (state == State::kDone) return;
  state = State::kDone;
  deadline_timer.cancel();
  close();
  --ctx.running_users;
}

BeastUser::BeastUser(ProbeContext& ctx, const scenarios::UserClass& user_class,
                     std::uint64_t seed)
    : impl_(std::make_unique<Impl>(ctx, user_class, seed)) {}

BeastUser::~BeastUser() = default;

void BeastUser::start() {
  ++impl_->ctx.running_users;
  impl_->begin_request();
}

void BeastUser::stop() {
  Impl& u = *impl_;
  u.stopping = true;
  if (u.state == Impl::State::kWaiting) {
    u.wait_timer.cancel();
    u.finish();
  } else if (u.state == Impl::State::kIdle) {
    u.finish();
  }
}

void BeastUser::abandon() {
  Impl& u = *impl_;
  u.stopping = true;
  if (u.state == Impl::State::kInFlight) {
    u.finish();  // closes the socket: the pending operation completes as aborted, ignored
  } else {
    stop();
  }
}

void BeastUser::expire(Clock::time_point now) {
  Impl& u = *impl_;
  if (u.state != Impl::State::kInFlight || u.timed_out) return;
  const auto limit = u.phase == Phase::kConnect ? u.phase_deadline : u.deadline;
  if (now < limit) return;
  u.time_out();
}

}  // namespace stampede::bench
