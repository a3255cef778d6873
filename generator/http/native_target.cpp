// resolve_native_target (declared in native_connection.h): the native transport's target,
// parsed and resolved once before the run.
#include <algorithm>
#include <future>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "generator/http/native_connection.h"
#include "generator/http/tls_client.h"
#include "generator/http/transport_context.h"

namespace stampede::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

NativeTarget resolve_native_target(const std::string& base_url, std::chrono::milliseconds timeout,
                                   const TlsOptions& tls) {
  const bool https = base_url.starts_with("https://");
  if (!https && !base_url.starts_with("http://"))
    throw std::invalid_argument("the native transport speaks http:// and https:// only, not '" + base_url + "'");
  NativeTarget target;
  target.host_header = base_url.substr(https ? 8 : 7);
  std::string_view authority = target.host_header;
  if (authority.empty() || authority.find('/') != std::string_view::npos)
    throw std::invalid_argument("expected http[s]://host[:port], got '" + base_url + "'");
  std::string_view host = authority;
  std::string_view port = https ? "443" : "80";
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
  target.host = std::string(host);
  if (https) target.tls = std::make_shared<const TlsClient>(tls);

  error_code not_numeric;
  if (const auto address = asio::ip::make_address(target.host, not_numeric); !not_numeric) {
    target.addresses.push_back(address.to_string());
    return target;
  }
  // getaddrinfo() cannot be cancelled: it runs on a thread of its own, which keeps what it
  // needs, and is waited for at most `timeout`.
  auto answer = std::make_shared<std::promise<std::vector<std::string>>>();
  std::future<std::vector<std::string>> addresses = answer->get_future();
  std::thread([answer, host = target.host, port = std::string(port)] {
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
