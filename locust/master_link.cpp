#include "locust/master_link.h"

#include <unistd.h>

#include <random>
#include <stdexcept>

#include <zmq.hpp>

namespace stampede::locust {

struct MasterLink::Sockets {
  zmq::context_t context{1};
  zmq::socket_t socket;
};

namespace {

void open(zmq::context_t& context, zmq::socket_t& socket, const std::string& id, const std::string& endpoint) {
  socket = zmq::socket_t(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::routing_id, id);
  socket.set(zmq::sockopt::tcp_keepalive, 1);
  socket.set(zmq::sockopt::tcp_keepalive_idle, 30);
  socket.set(zmq::sockopt::linger, 500);  // a last report still leaves on close, briefly
  try {
    socket.connect(endpoint);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("cannot connect to the Locust master at " + endpoint + ": " + e.what());
  }
}

}  // namespace

MasterLink::MasterLink(std::string host, std::uint16_t port, std::string client_id)
    : host_(std::move(host)), port_(port), client_id_(std::move(client_id)), sockets_(std::make_unique<Sockets>()) {
  open(sockets_->context, sockets_->socket, client_id_, endpoint());
}

MasterLink::~MasterLink() = default;

std::string MasterLink::endpoint() const {
  const bool ipv6 = host_.find(':') != std::string::npos;
  return "tcp://" + (ipv6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

bool MasterLink::send(const std::string& frame) {
  try {
    return sockets_->socket.send(zmq::buffer(frame), zmq::send_flags::dontwait).has_value();
  } catch (const zmq::error_t&) {
    return false;
  }
}

std::optional<MasterMessage> MasterLink::receive(std::chrono::milliseconds timeout) {
  zmq::pollitem_t item{sockets_->socket.handle(), 0, ZMQ_POLLIN, 0};
  if (zmq::poll(&item, 1, timeout) <= 0 || (item.revents & ZMQ_POLLIN) == 0) return std::nullopt;
  zmq::message_t message;
  if (!sockets_->socket.recv(message, zmq::recv_flags::dontwait)) return std::nullopt;
  return decode_master_message(message.data(), message.size());
}

void MasterLink::reconnect() {
  sockets_->socket.close();
  open(sockets_->context, sockets_->socket, client_id_, endpoint());
}

std::string make_client_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device device;
  std::mt19937_64 rng((std::uint64_t{device()} << 32) ^ device());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = std::string(host) + "_";
  for (int i = 0; i < 32; ++i) id += kHex[rng() % 16];
  return id;
}

}  // namespace stampede::locust
