#include "generator/http/curl_transport.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stampede::http {
namespace asio = boost::asio;

struct CurlTransport::Impl {
  struct Lane;

  // One watched socket. Handlers hold a shared_ptr so a socket removed while a wait is
  // pending is still alive when the cancelled handler runs.
  struct Socket {
    Socket(asio::io_context& io, int fd, Lane* lane) : descriptor(io, fd), fd(fd), lane(lane) {}
    asio::posix::stream_descriptor descriptor;
    int fd;
    Lane* lane;    // whose multi handle owns the connection
    int want = 0;  // CURL_POLL_IN / OUT / INOUT
    bool reading = false;
    bool writing = false;
    bool removed = false;
  };

  // One multi handle, its connection cache and its timer.
  struct Lane {
    Lane(Impl& impl, asio::io_context& io) : impl(impl), timer(io) {
      multi = curl_multi_init();
      if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
      curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
      curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
      curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
      curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
      // Keep an idle keep-alive connection for every handle of the lane: the default cache
      // (4x the handles in flight) would close connections that idle users are about to
      // reuse.
      curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(impl.handles_per_lane));
    }
    Lane(const Lane&) = delete;
    Lane& operator=(const Lane&) = delete;

    Impl& impl;
    CURLM* multi = nullptr;
    asio::steady_timer timer;
    std::optional<std::chrono::steady_clock::time_point> deadline;  // curl's wanted wake-up
    bool timer_armed = false;
    std::uint64_t timer_generation = 0;
    std::size_t members = 0;  // adopted handles
  };

  asio::io_context& io;
  const std::size_t handles_per_lane;
  std::vector<std::unique_ptr<Lane>> lanes;
  std::unordered_map<CURL*, Lane*> lane_of;
  std::unordered_map<int, std::shared_ptr<Socket>> sockets;
  std::size_t in_flight = 0;
  std::uint64_t connections = 0;

  Impl(asio::io_context& ctx, std::size_t per_lane) : io(ctx), handles_per_lane(std::max<std::size_t>(per_lane, 1)) {}

  ~Impl() {
    for (auto& lane : lanes) lane->timer.cancel();
    for (auto& [fd, socket] : sockets) forget(*socket);
    sockets.clear();
    // Closing the cached connections calls on_close_socket, which finds nothing to drop.
    for (auto& lane : lanes) curl_multi_cleanup(lane->multi);
  }

  Lane& lane_for_new_handle() {
    for (auto& lane : lanes)
      if (lane->members < handles_per_lane) return *lane;
    lanes.push_back(std::make_unique<Lane>(*this, io));
    return *lanes.back();
  }

  Lane* find_lane(CURL* easy) const {
    auto it = lane_of.find(easy);
    return it == lane_of.end() ? nullptr : it->second;
  }

  void forget(Socket& socket) {
    socket.removed = true;
    socket.want = 0;
    boost::system::error_code ignored;
    socket.descriptor.cancel(ignored);
    socket.descriptor.release();  // curl owns (and closes) the fd
  }

  static int on_socket(CURL*, curl_socket_t fd, int what, void* userp, void* socketp) {
    auto* lane = static_cast<Lane*>(userp);
    Impl& self = lane->impl;
    auto* socket = static_cast<Socket*>(socketp);
    if (what == CURL_POLL_REMOVE) {
      // Curl no longer watches this socket (e.g. an idle keep-alive connection), but the
      // socket stays open: keep its descriptor registered with the reactor so reusing the
      // connection costs no epoll_ctl/ioctl. Only the close hook forgets it.
      if (socket != nullptr) self.unwatch(*socket);
      return 0;
    }
    auto it = self.sockets.find(fd);
    if (it == self.sockets.end())
      it = self.sockets.emplace(fd, std::make_shared<Socket>(self.io, fd, lane)).first;
    if (socket == nullptr) curl_multi_assign(lane->multi, fd, it->second.get());
    it->second->lane = lane;
    it->second->want = what;
    self.arm(it->second);
    return 0;
  }

  void unwatch(Socket& socket) {
    socket.want = 0;
    if (socket.reading || socket.writing) {
      boost::system::error_code ignored;
      socket.descriptor.cancel(ignored);
    }
  }

  void drop(int fd) {
    auto it = sockets.find(fd);
    if (it == sockets.end()) return;
    Lane* lane = it->second->lane;
    forget(*it->second);
    sockets.erase(it);
    curl_multi_assign(lane->multi, fd, nullptr);
  }

  // Curl may close a socket it never reported as removed; release our descriptor first so
  // a recycled fd number is never registered twice with the reactor.
  static int on_close_socket(void* clientp, curl_socket_t fd) {
    static_cast<Impl*>(clientp)->drop(fd);
    return ::close(fd);
  }

  void arm(const std::shared_ptr<Socket>& socket) {
    if ((socket->want & CURL_POLL_IN) && !socket->reading) {
      socket->reading = true;
      socket->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                                    [this, socket](const boost::system::error_code& ec) {
                                      socket->reading = false;
                                      if (ec || socket->removed || !(socket->want & CURL_POLL_IN)) return;
                                      act(*socket->lane, socket->fd, CURL_CSELECT_IN);
                                      if (!socket->removed) arm(socket);
                                    });
    }
    if ((socket->want & CURL_POLL_OUT) && !socket->writing) {
      socket->writing = true;
      socket->descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                                    [this, socket](const boost::system::error_code& ec) {
                                      socket->writing = false;
                                      if (ec || socket->removed || !(socket->want & CURL_POLL_OUT)) return;
                                      act(*socket->lane, socket->fd, CURL_CSELECT_OUT);
                                      if (!socket->removed) arm(socket);
                                    });
    }
  }

  // Curl moves its single deadline many times per request. Re-arming the Asio timer (a
  // timerfd_settime syscall when it is the earliest) each time would cost more than the
  // request's own I/O, so: "now" is a posted call, a later deadline keeps the armed timer
  // (which re-checks the wanted deadline when it fires), and only an earlier one re-arms.
  static int on_timer(CURLM*, long timeout_ms, void* userp) {
    auto* lane = static_cast<Lane*>(userp);
    ++lane->timer_generation;
    if (timeout_ms < 0) {
      lane->deadline.reset();
      return 0;
    }
    if (timeout_ms == 0) {
      lane->deadline.reset();
      asio::post(lane->impl.io, [lane, generation = lane->timer_generation] {
        if (generation == lane->timer_generation) lane->impl.act(*lane, CURL_SOCKET_TIMEOUT, 0);
      });
      return 0;
    }
    auto when = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    lane->deadline = when;
    if (!lane->timer_armed || when < lane->timer.expiry()) lane->impl.arm_timer(*lane, when);
    return 0;
  }

  void arm_timer(Lane& lane, std::chrono::steady_clock::time_point when) {
    lane.timer.expires_at(when);
    lane.timer_armed = true;
    lane.timer.async_wait([this, &lane](const boost::system::error_code& ec) {
      if (ec == asio::error::operation_aborted) return;  // re-armed or shut down
      lane.timer_armed = false;
      if (!lane.deadline) return;
      if (std::chrono::steady_clock::now() < *lane.deadline) {
        arm_timer(lane, *lane.deadline);
        return;
      }
      lane.deadline.reset();
      act(lane, CURL_SOCKET_TIMEOUT, 0);
    });
  }

  void act(Lane& lane, curl_socket_t fd, int events) {
    int running = 0;
    curl_multi_socket_action(lane.multi, fd, events, &running);
    collect_done(lane);
  }

  void collect_done(Lane& lane) {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(lane.multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode result = msg->data.result;
      long new_connections = 0;
      curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
      connections += static_cast<std::uint64_t>(new_connections);
      curl_multi_remove_handle(lane.multi, easy);
      --in_flight;
      void* owner = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
      static_cast<TransferOwner*>(owner)->on_transfer_done(result);
    }
  }

  void fail_later(CURL* easy) {
    auto* owner = static_cast<TransferOwner*>(nullptr);
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
    asio::post(io, [owner] { owner->on_transfer_done(CURLE_FAILED_INIT); });
  }
};

CurlTransport::CurlTransport(asio::io_context& io, std::size_t handles_per_lane)
    : impl_(std::make_unique<Impl>(io, handles_per_lane)) {}
CurlTransport::~CurlTransport() = default;

void CurlTransport::adopt(CURL* easy, TransferOwner* owner) {
  curl_easy_setopt(easy, CURLOPT_PRIVATE, owner);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &Impl::on_close_socket);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, impl_.get());
  if (impl_->find_lane(easy) != nullptr) return;
  Impl::Lane& lane = impl_->lane_for_new_handle();
  ++lane.members;
  impl_->lane_of.emplace(easy, &lane);
}

void CurlTransport::release(CURL* easy) {
  auto it = impl_->lane_of.find(easy);
  if (it == impl_->lane_of.end()) return;
  --it->second->members;
  impl_->lane_of.erase(it);
}

void CurlTransport::start(CURL* easy) {
  // Adding a handle arms curl's timer with 0 ms; the transfer begins from the timer
  // handler, so the owner is never called back from inside start().
  Impl::Lane* lane = impl_->find_lane(easy);
  if (lane != nullptr && curl_multi_add_handle(lane->multi, easy) == CURLM_OK) {
    ++impl_->in_flight;
    return;
  }
  // Only misuse gets here (handle not adopted, or already added); report a failed transfer.
  impl_->fail_later(easy);
}

void CurlTransport::abort(CURL* easy) {
  Impl::Lane* lane = impl_->find_lane(easy);
  if (lane != nullptr && curl_multi_remove_handle(lane->multi, easy) == CURLM_OK) --impl_->in_flight;
}

std::size_t CurlTransport::in_flight() const { return impl_->in_flight; }
std::uint64_t CurlTransport::connections_opened() const { return impl_->connections; }
std::size_t CurlTransport::lane_count() const { return impl_->lanes.size(); }

}  // namespace stampede::http
