#include "locust/master_link.h"

#include <unistd.h>

#include <cstring>
#include <random>
#include <stdexcept>

#include <zmq.hpp>

namespace stampede::locust {

struct MasterLink::Sockets {
  zmq::context_t context{1};
  zmq::socket_t socket;
  zmq::socket_t monitor;  // PAIR: the DEALER's connect/disconnect events
  int monitors = 0;       // a fresh inproc address per socket (reconnect() makes a new one)

  void open(const std::string& id, const std::string& endpoint);
};

void MasterLink::Sockets::open(const std::string& id, const std::string& endpoint) {
  socket = zmq::socket_t(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::routing_id, id);
  socket.set(zmq::sockopt::tcp_keepalive, 1);
  socket.set(zmq::sockopt::tcp_keepalive_idle, 30);
  socket.set(zmq::sockopt::linger, 500);  // a last report still leaves on close, briefly
  // Before connect(), so the first connection's event is not missed.
  const std::string address = "inproc://stampede-master-link-" + std::to_string(++monitors);
  if (zmq_socket_monitor(socket.handle(), address.c_str(), ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED) != 0)
    throw std::runtime_error("cannot watch the connection to the Locust master: " + std::string(zmq_strerror(zmq_errno())));
  monitor = zmq::socket_t(context, zmq::socket_type::pair);
  monitor.set(zmq::sockopt::linger, 0);
  monitor.connect(address);
  try {
    socket.connect(endpoint);
  } catch (const zmq::error_t& e) {
    throw std::runtime_error("cannot connect to the Locust master at " + endpoint + ": " + e.what());
  }
}

MasterLink::MasterLink(std::string host, std::uint16_t port, std::string client_id)
    : host_(std::move(host)), port_(port), client_id_(std::move(client_id)), sockets_(std::make_unique<Sockets>()) {
  sockets_->open(client_id_, endpoint());
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

// An event is two frames: 2 bytes of event id and 4 of value, then the endpoint.
void MasterLink::read_events() {
  zmq::message_t head, address;
  while (sockets_->monitor.recv(head, zmq::recv_flags::dontwait)) {
    if (head.more()) (void)sockets_->monitor.recv(address, zmq::recv_flags::dontwait);
    if (head.size() < 2) continue;
    std::uint16_t event = 0;
    std::memcpy(&event, head.data(), sizeof event);
    if (event == ZMQ_EVENT_DISCONNECTED && !down_since_) {
      down_since_ = std::chrono::steady_clock::now();
    } else if (event == ZMQ_EVENT_CONNECTED && down_since_) {
      down_since_.reset();
      reconnected_ = true;
    }
  }
}

std::optional<MasterMessage> MasterLink::receive(std::chrono::milliseconds timeout) {
  zmq::pollitem_t items[] = {{sockets_->socket.handle(), 0, ZMQ_POLLIN, 0},
                             {sockets_->monitor.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 2, timeout) <= 0) return std::nullopt;
  if (items[1].revents & ZMQ_POLLIN) read_events();
  if ((items[0].revents & ZMQ_POLLIN) == 0) return std::nullopt;
  zmq::message_t message;
  if (!sockets_->socket.recv(message, zmq::recv_flags::dontwait)) return std::nullopt;
  return decode_master_message(message.data(), message.size());
}

void MasterLink::reconnect() {
  sockets_->monitor.close();
  sockets_->socket.close();
  down_since_.reset();
  reconnected_ = false;
  sockets_->open(client_id_, endpoint());
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
