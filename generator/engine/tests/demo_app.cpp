#include "generator/engine/tests/demo_app.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

namespace stampede::engine::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> out;
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos) out[url_decode(pair.substr(0, eq))] = url_decode(pair.substr(eq + 1));
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
  }
  return out;
}

std::map<std::string, std::string> parse_cookies(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos) out[std::string(pair.substr(0, eq))] = std::string(pair.substr(eq + 1));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
  }
  return out;
}

}  // namespace

struct DemoApp::Impl {
  explicit Impl(std::map<std::string, std::string> a) : accounts(std::move(a)) {
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept_thread = std::thread([this] { accept_loop(); });
  }

  ~Impl() {
    stopping = true;
    boost::system::error_code ec;
    acceptor.close(ec);
    // Unblock the accept() with a connection of our own.
    {
      tcp::socket poke(io);
      poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    }
    accept_thread.join();
    {
      std::lock_guard lock(mu);
      for (auto& s : sockets) s->shutdown(tcp::socket::shutdown_both, ec);
    }
    for (auto& t : threads) t.join();
  }

  void accept_loop() {
    while (!stopping) {
      auto socket = std::make_shared<tcp::socket>(io);
      boost::system::error_code ec;
      acceptor.accept(*socket, ec);
      if (ec || stopping) break;
      // Every read is bounded: a client that goes quiet frees its thread.
      timeval tv{10, 0};
      ::setsockopt(socket->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      std::lock_guard lock(mu);
      sockets.push_back(socket);
      threads.emplace_back([this, socket] { serve(*socket); });
    }
  }

  void serve(tcp::socket& socket) {
    boost::beast::flat_buffer buffer;
    while (!stopping) {
      http::request<http::string_body> req;
      boost::system::error_code ec;
      http::read(socket, buffer, req, ec);
      if (ec) return;
      http::response<http::string_body> res = handle(req);
      res.version(11);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      http::write(socket, res, ec);
      if (ec || !req.keep_alive()) return;
    }
  }

  http::response<http::string_body> handle(const http::request<http::string_body>& req) {
    const std::string method(req.method_string());
    std::string target(req.target());
    target = target.substr(0, target.find('?'));
    const auto cookies = parse_cookies(std::string(req[http::field::cookie]));
    auto cookie = [&](const std::string& name) {
      auto it = cookies.find(name);
      return it == cookies.end() ? std::string() : it->second;
    };
    std::lock_guard lock(mu);
    ++counts[method + " " + target];
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "text/html");
    auto redirect = [&](http::status status, const std::string& to) {
      res.result(status);
      res.set(http::field::location, to);
    };
    const auto session = sessions.find(cookie("session"));
    const bool logged_in = session != sessions.end();

    if (method == "GET" && target == "/login") {
      const std::string pre = "p" + std::to_string(++next_id);
      const std::string token = "t" + std::to_string(next_id * 7919);
      csrf[pre] = token;
      res.set(http::field::set_cookie, "pre=" + pre + "; Path=/; HttpOnly; SameSite=Lax");
      res.body() = "<form method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"" + token +
                   "\"><input name=\"user\"><input name=\"password\"></form>";
    } else if (method == "POST" && target == "/login") {
      auto form = parse_form(req.body());
      const auto token = csrf.find(cookie("pre"));
      const auto account = accounts.find(form["user"]);
      if (token == csrf.end() || token->second != form["csrf"] || account == accounts.end() ||
          account->second != form["password"]) {
        res.result(http::status::forbidden);
        res.body() = "login refused";
      } else {
        const std::string sid = "s" + std::to_string(++next_id);
        sessions[sid] = form["user"];
        ++login_count;
        logged_in_users.insert(form["user"]);
        res.set(http::field::set_cookie, "session=" + sid + "; Path=/; HttpOnly");
        redirect(http::status::see_other, "/home");
      }
    } else if (method == "GET" && target == "/home") {
      if (logged_in) {
        res.body() = "Welcome " + session->second;
      } else {
        redirect(http::status::found, "/login");
      }
    } else if (method == "GET" && target == "/cart") {
      if (logged_in) {
        res.body() = "Cart of " + session->second;
      } else {
        ++cart_anonymous;
        res.result(http::status::unauthorized);
      }
    } else if (method == "POST" && target == "/upload") {
      const std::string type(req[http::field::content_type]);
      const std::string& body = req.body();
      if (!logged_in || type.find("multipart/form-data; boundary=") != 0 ||
          body.find("name=\"file\"; filename=\"") == std::string::npos) {
        res.result(http::status::bad_request);
      } else {
        ++upload_count;
        res.body() = "stored " + std::to_string(body.size()) + " bytes";
      }
    } else if (method == "POST" && target == "/logout") {
      if (logged_in) {
        sessions.erase(session);
        ++logout_count;
      }
      res.set(http::field::set_cookie, "session=; Max-Age=0; Path=/");
      redirect(http::status::see_other, "/login");
    } else if (method == "GET" && target == "/loop") {
      redirect(http::status::found, "/loop");
    } else if (method == "GET" && target == "/away") {
      res.result(http::status::found);
      res.set(http::field::location, "http://elsewhere.invalid/landing");
    } else if (method == "GET" && target == "/odd-cookie") {
      res.set(http::field::set_cookie, "odd=1; Max-Age=soon; Expires=someday");
      res.body() = "odd";
    } else {
      res.result(http::status::not_found);
    }
    return res;
  }

  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  std::atomic<bool> stopping{false};
  std::thread accept_thread;

  mutable std::mutex mu;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::vector<std::thread> threads;
  std::map<std::string, std::string> accounts;
  std::map<std::string, std::string> csrf;      // pre cookie -> token
  std::map<std::string, std::string> sessions;  // session id -> user
  std::set<std::string> logged_in_users;
  std::map<std::string, std::uint64_t> counts;
  std::uint64_t next_id = 0, login_count = 0, logout_count = 0, upload_count = 0, cart_anonymous = 0;
};

DemoApp::DemoApp(std::map<std::string, std::string> accounts) : impl_(std::make_unique<Impl>(std::move(accounts))) {}
DemoApp::~DemoApp() = default;

std::string DemoApp::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

std::uint64_t DemoApp::logins() const {
  std::lock_guard lock(impl_->mu);
  return impl_->login_count;
}
std::set<std::string> DemoApp::users_logged_in() const {
  std::lock_guard lock(impl_->mu);
  return impl_->logged_in_users;
}
std::uint64_t DemoApp::logouts() const {
  std::lock_guard lock(impl_->mu);
  return impl_->logout_count;
}
std::uint64_t DemoApp::uploads() const {
  std::lock_guard lock(impl_->mu);
  return impl_->upload_count;
}
std::uint64_t DemoApp::requests(const std::string& method_path) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->counts.find(method_path);
  return it == impl_->counts.end() ? 0 : it->second;
}
std::uint64_t DemoApp::cart_without_session() const {
  std::lock_guard lock(impl_->mu);
  return impl_->cart_anonymous;
}

}  // namespace stampede::engine::testing
