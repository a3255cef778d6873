// A minimal blocking HTTP/1.1 client over a POSIX socket, for tests only (keeps Beast out
// of the test build): whole requests the usual way (request()), or exactly the bytes a
// test gives it (send()) and whatever comes back, interim 1xx answers included
// (read_response()). Understands Content-Length responses, which is all the server sends.
// Reads give up after 5 s: a bound, not a measurement.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

namespace stampede::server::testing {

struct ClientResponse {
  int status = 0;  // 0: the connection closed, or nothing came within the 5 s
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class HttpClient {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when nothing listens there.
  explicit HttpClient(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect failed");
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~HttpClient() { ::close(fd_); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `data` as it is; false when the connection would not take it all.
  bool send(const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
      const auto n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  // send(), throwing std::runtime_error when it fails.
  void send_raw(const std::string& data) {
    if (!send(data)) throw std::runtime_error("send failed");
  }

  ClientResponse request(const std::string& method, const std::string& target,
                         const std::string& body = "", bool keep_alive = true) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!keep_alive) req += "Connection: close\r\n";
    if (!body.empty() || method == "POST") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    send_raw(req);
    return read_response();
  }

  // The next response, a 1xx one included.
  ClientResponse read_response() {
    ClientResponse response;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return response;
    }
    const std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    if (head.size() < 12 || !head.starts_with("HTTP/1.")) return response;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      const auto next = head.find("\r\n", pos + 2);
      const auto line = head.substr(pos + 2, next == std::string::npos ? next : next - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        response.headers[name] = value;
      }
      pos = next;
    }
    const auto length = response.headers.find("content-length");
    const std::size_t body_size = length == response.headers.end() ? 0 : std::stoul(length->second);
    while (buffer_.size() < body_size) {
      if (!fill()) return response;
    }
    response.body = buffer_.substr(0, body_size);
    buffer_.erase(0, body_size);
    response.status = std::stoi(head.substr(9, 3));
    return response;
  }

  // True when the server closed the connection without sending anything more (within
  // the timeout).
  bool closed_by_peer() {
    if (!buffer_.empty()) return false;
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

  // True when something (data or a close) can be read within `timeout`.
  bool readable(std::chrono::milliseconds timeout) {
    if (!buffer_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

 private:
  bool fill() {
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace stampede::server::testing
