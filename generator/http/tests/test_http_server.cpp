#include "generator/http/tests/test_http_server.h"

#include <charconv>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace stampede::http::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct TestHttpServer::Impl {
  asio::io_context io{1};
  asio::ip::tcp::acceptor acceptor{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, std::uint64_t> counts;
  std::map<std::string, std::string> bodies;
  std::uint64_t total = 0;
  std::uint64_t connections = 0;

  asio::awaitable<void> serve(asio::ip::tcp::socket socket) {
    beast::flat_buffer buffer;
    asio::steady_timer timer(socket.get_executor());
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(socket, buffer, req, asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      std::string target(req.target());
      std::string path = target.substr(0, target.find('?'));
      {
        std::lock_guard lock(mutex);
        std::string key = std::string(req.method_string()) + " " + path;
        ++counts[key];
        bodies[key] = req.body();
        ++total;
      }
      http::response<http::string_body> res{http::status::ok, req.version()};
      res.set(http::field::content_type, "application/json");
      res.body() = R"({"ok":true,"grab_status":1})";
      if (path.starts_with("/status/")) {
        int code = std::atoi(path.c_str() + 8);
        res.result(static_cast<unsigned>(code));
      }
      // A rate limiter's answer: 429 with Retry-After: <s>.
      if (path.starts_with("/retry-after/")) {
        res.result(http::status::too_many_requests);
        res.set(http::field::retry_after, std::to_string(std::atoi(path.c_str() + 13)));
      }
      if (path.starts_with("/delay/")) {
        int ms = std::atoi(path.c_str() + 7);
        timer.expires_after(std::chrono::milliseconds(ms));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      }
      if (path.starts_with("/shards/")) {
        std::string list = path.substr(8, path.find('/', 8) - 8);
        std::string header;
        std::size_t pos = 0;
        while (pos <= list.size()) {
          std::size_t dash = list.find('-', pos);
          if (dash == std::string::npos) dash = list.size();
          if (!header.empty()) header += ", ";
          header += "shard-" + list.substr(pos, dash - pos) + ";dur=0.5";
          pos = dash + 1;
        }
        res.set("Server-Timing", header);
      }
      // Server-Timing cache and server entries, from segments anywhere in the path.
      for (const char* cache : {"hit", "miss"})
        if (path.find(std::string("/cache-") + cache + "/") != std::string::npos)
          res.insert("Server-Timing", std::string("cache;desc=") + cache);
      if (const auto srv = path.find("/srv-"); srv != std::string::npos)
        res.insert("Server-Timing", "srv-" + std::to_string(std::atoi(path.c_str() + srv + 5)) + ";desc=upstream");
      if (path.starts_with("/big/")) res.body().assign(std::size_t(std::atoi(path.c_str() + 5)) << 20, 'x');
      if (path.starts_with("/hold/")) {
        // Announce twice the body, send half of it, then never finish (until the client closes).
        const std::size_t half = std::size_t(std::atoi(path.c_str() + 6)) << 20;
        const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(2 * half) + "\r\n\r\n";
        const std::string body(half, 'x');
        co_await asio::async_write(socket, asio::buffer(head), asio::as_tuple(asio::use_awaitable));
        co_await asio::async_write(socket, asio::buffer(body), asio::as_tuple(asio::use_awaitable));
        char byte;
        co_await socket.async_read_some(asio::buffer(&byte, 1), asio::as_tuple(asio::use_awaitable));
        co_return;
      }
      if (path.starts_with("/garbage/")) {
        static const std::string kGarbage = "NOT HTTP AT ALL\r\n\r\n";
        co_await asio::async_write(socket, asio::buffer(kGarbage), asio::as_tuple(asio::use_awaitable));
        co_return;
      }
      const bool close = path.starts_with("/close/");
      res.keep_alive(req.keep_alive() && !close);
      if (path.starts_with("/chunked/") || path.find("/chunked") != std::string::npos) {
        res.chunked(true);
      } else {
        res.prepare_payload();
      }
      auto [wec, wn] = co_await http::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
      if (wec || !req.keep_alive() || close || path.starts_with("/drop/")) co_return;
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      {
        std::lock_guard lock(mutex);
        ++connections;
      }
      asio::co_spawn(io, serve(std::move(socket)), asio::detached);
    }
  }
};

TestHttpServer::TestHttpServer() : impl_(std::make_unique<Impl>()) {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

TestHttpServer::~TestHttpServer() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t TestHttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }
std::string TestHttpServer::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

std::map<std::string, std::uint64_t> TestHttpServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counts;
}
std::uint64_t TestHttpServer::total_requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->total;
}
std::uint64_t TestHttpServer::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}
std::map<std::string, std::string> TestHttpServer::last_bodies() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->bodies;
}

}  // namespace stampede::http::testing
