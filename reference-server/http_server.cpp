#include "reference-server/http_server.h"

#include <sys/socket.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "reference-server/rate_limit.h"
#include "reference-server/request_reader.h"

namespace stampede::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

// Runs `work` on `pool` and resumes the awaiting coroutine on its own executor.
template <class Work>
asio::awaitable<HttpResponse> offload(asio::thread_pool& pool, Work work) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(HttpResponse)>(
      [&pool, work = std::move(work)](auto handler) mutable {
        auto home = asio::get_associated_executor(handler);
        asio::post(pool, [work = std::move(work), handler = std::move(handler), home]() mutable {
          HttpResponse response = work();
          asio::post(home, [handler = std::move(handler), response = std::move(response)]() mutable {
            std::move(handler)(std::move(response));
          });
        });
      },
      asio::use_awaitable);
}

HttpResponse overloaded() {
  HttpResponse response;
  response.status = 503;
  response.body = R"({"error":"overloaded","detail":"too many requests in flight"})";
  response.retry_after = "1";
  return response;
}

}  // namespace

struct HttpServer::Impl {
  Impl(Router& r, Metrics& m, HttpServerOptions o)
      : router(r), metrics(m), options(std::move(o)),
        workers(static_cast<std::size_t>(worker_count())) {
    for (Endpoint e : options.inline_endpoints) inline_[static_cast<std::size_t>(e)] = true;
    limits.max_target_bytes = options.max_target_bytes;
    limits.max_header_bytes = options.max_header_bytes;
    limits.max_header_fields = options.max_header_fields;
    limits.max_body_bytes = options.max_body_bytes;
  }

  int loop_count() const {
    if (options.threads > 0) return options.threads;
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  }
  int worker_count() const {
    if (options.worker_threads > 0) return options.worker_threads;
    return std::max(16, 8 * loop_count());  // blocked writers queue for group commit
  }

  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<void> accept_loop(tcp::acceptor& acceptor);
  void open_acceptors();

  Router& router;
  Metrics& metrics;
  HttpServerOptions options;
  RequestLimits limits;
  asio::thread_pool workers;
  std::array<bool, kEndpointCount> inline_{};

  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::thread> threads;
  std::unique_ptr<asio::signal_set> signals;
  std::uint16_t bound_port = 0;

  std::mutex stop_mutex;
  std::condition_variable stop_cv;
  bool stop_requested = false;
  bool stopped = false;
  bool started = false;
};

asio::awaitable<void> HttpServer::Impl::session(tcp::socket socket) {
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  Deadline deadline(socket);
  // The client's address, the rate limiter's key with --rate-limit-by address.
  std::string client_address;
  if (options.rate_limiter != nullptr) {
    const auto remote = socket.remote_endpoint(ignored);
    if (!ignored) client_address = remote.address().to_string();
  }
  beast::flat_buffer buffer;
  // After a refusal, the client's late bytes are read away for this long before closing.
  const auto linger = std::min(options.read_timeout, std::chrono::milliseconds(2000));
  for (;;) {
    RequestParser parser;
    const ReadOutcome read =
        co_await read_request(socket, buffer, parser, deadline, limits, options.read_timeout);
    if (read.kind == ReadOutcome::Kind::refused) {
      metrics.record_request(Endpoint::not_found, read.refusal.status, std::chrono::nanoseconds(0));
      co_await send_refusal(socket, deadline, read.refusal, options.read_timeout, linger);
      break;
    }
    if (read.kind != ReadOutcome::Kind::request) break;  // closed, or idle past the timeout

    const auto start = std::chrono::steady_clock::now();
    auto& req = parser.get();
    const HttpRequest request{req.method_string(), req.target(), req.body(),
                              {req[http::field::host], req[http::field::origin], req[http::field::content_type],
                               req[http::field::authorization]}};
    const Endpoint endpoint = classify_path(request.target);
    HttpResponse response;
    std::optional<HttpResponse> refused;
    if (options.rate_limiter != nullptr) {
      refused = refuse_over_limit(*options.rate_limiter, metrics, endpoint, request, client_address, start);
    }
    if (refused) {
      response = std::move(*refused);
    } else if (calls_store(endpoint) && !inline_[static_cast<std::size_t>(endpoint)]) {
      auto& in_flight = metrics.in_flight();
      if (in_flight.fetch_add(1, std::memory_order_relaxed) >= options.max_in_flight) {
        in_flight.fetch_sub(1, std::memory_order_relaxed);
        metrics.record_shed();
        response = overloaded();
        response.endpoint = endpoint;
      } else {
        response = co_await offload(workers, [this, &request] { return router.handle(request); });
        in_flight.fetch_sub(1, std::memory_order_relaxed);
      }
    } else {
      response = router.handle(request);
    }
    metrics.record_request(response.endpoint, response.status,
                           std::chrono::steady_clock::now() - start);

    http::response<http::string_body> res{static_cast<http::status>(response.status), req.version()};
    res.set(http::field::server, "stampede-server");
    res.set(http::field::content_type, response.content_type);
    if (!options.server_name.empty()) {
      response.server_timing = response.server_timing.empty()
                                   ? options.server_name
                                   : response.server_timing + ", " + options.server_name;
    }
    if (!response.server_timing.empty()) res.set("Server-Timing", response.server_timing);
    if (!response.www_authenticate.empty()) res.set(http::field::www_authenticate, response.www_authenticate);
    if (!response.retry_after.empty()) res.set(http::field::retry_after, response.retry_after);
    const bool keep_alive = req.keep_alive();
    res.keep_alive(keep_alive);
    res.body() = std::move(response.body);
    res.prepare_payload();
    deadline.arm_write(options.read_timeout);
    auto [write_error, written] = co_await http::async_write(socket, res, kUseTuple);
    (void)written;
    deadline.disarm();
    if (write_error || !keep_alive) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> HttpServer::Impl::accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(kUseTuple);
    if (error == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (error) continue;  // e.g. EMFILE: keep serving the connections we have
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
  }
}

void HttpServer::Impl::open_acceptors() {
  const auto address = asio::ip::make_address(options.bind_address);
  std::uint16_t port = options.port;
  if (port != 0) {
    // SO_REUSEPORT would let a second server (same user) silently share a busy port and
    // split its traffic. Probe without it first: any listener there makes this fail.
    tcp::acceptor probe(*loops.front());
    const tcp::endpoint endpoint(address, port);
    probe.open(endpoint.protocol());
    probe.set_option(tcp::acceptor::reuse_address(true));
    probe.bind(endpoint);  // throws system_error(address_in_use)
    probe.close();
  }
  for (auto& loop : loops) {
    auto acceptor = std::make_unique<tcp::acceptor>(*loop);
    const tcp::endpoint endpoint(address, port);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(tcp::acceptor::reuse_address(true));
    acceptor->set_option(ReusePort(true));
    acceptor->bind(endpoint);
    acceptor->listen(asio::socket_base::max_listen_connections);
    port = acceptor->local_endpoint().port();  // port 0: the others join the chosen port
    acceptors.push_back(std::move(acceptor));
  }
  bound_port = port;
}

HttpServer::HttpServer(Router& router, Metrics& metrics, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(router, metrics, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  Impl& s = *impl_;
  if (s.started) return;
  const int n = s.loop_count();
  for (int i = 0; i < n; ++i) s.loops.push_back(std::make_unique<asio::io_context>(1));
  try {
    s.open_acceptors();
  } catch (const boost::system::system_error& e) {
    s.acceptors.clear();
    throw std::system_error(e.code().value(), std::generic_category(),
                            s.options.bind_address + ":" + std::to_string(s.options.port));
  }
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(*s.loops[static_cast<std::size_t>(i)],
                   s.accept_loop(*s.acceptors[static_cast<std::size_t>(i)]), asio::detached);
  }
  if (s.options.handle_signals) {
    s.signals = std::make_unique<asio::signal_set>(*s.loops[0], SIGINT, SIGTERM);
    s.signals->async_wait([this](const boost::system::error_code& error, int) {
      if (!error) request_stop();
    });
  }
  for (int i = 0; i < n; ++i) {
    s.threads.emplace_back([loop = s.loops[static_cast<std::size_t>(i)].get()] { loop->run(); });
  }
  s.started = true;
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }
int HttpServer::threads() const { return impl_->loop_count(); }

void HttpServer::request_stop() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stop_requested = true;
  }
  impl_->stop_cv.notify_all();
}

void HttpServer::wait() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.stop_mutex);
    if (!s.started || s.stopped) return;
    s.stop_cv.wait(lock, [&] { return s.stop_requested; });
    if (s.stopped) return;
    s.stopped = true;
  }
  // Stop accepting; requests already on the worker pool finish and are answered.
  for (std::size_t i = 0; i < s.loops.size(); ++i) {
    asio::post(*s.loops[i], [&s, i] {
      beast::error_code ignored;
      s.acceptors[i]->close(ignored);
      if (i == 0 && s.signals) s.signals->cancel(ignored);
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + s.options.drain_timeout;
  while (s.metrics.in_flight().load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the last responses go out
  for (auto& loop : s.loops) loop->stop();
  for (auto& thread : s.threads) thread.join();
  s.threads.clear();
  s.workers.join();
  s.acceptors.clear();
  s.signals.reset();
  s.loops.clear();  // destroys the remaining (idle keep-alive) sessions
}

void HttpServer::stop() {
  request_stop();
  wait();
}

}  // namespace stampede::server
