#include "generator/curl_transport.h"

#include <unistd.h>

#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace stampede::generator {
namespace asio = boost::asio;

struct CurlTransport::Impl {
  // One watched socket. Handlers hold a shared_ptr so a socket removed while a wait is
  // pending is still alive when the cancelled handler runs.
  struct Socket {
    explicit Socket(asio::io_context& io, int fd) : descriptor(io, fd), fd(fd) {}
    asio::posix::stream_descriptor descriptor;
    int fd;
    int want = 0;  // CURL_POLL_IN / OUT / INOUT
    bool reading = false;
    bool writing = false;
    bool removed = false;
  };

  asio::io_context& io;
  CURLM* multi = nullptr;
  asio::steady_timer timer;
  std::unordered_map<int, std::shared_ptr<Socket>> sockets;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // curl's wanted wake-up
  bool timer_armed = false;
  std::uint64_t timer_generation = 0;
  std::size_t in_flight = 0;
  std::uint64_t connections = 0;

  explicit Impl(asio::io_context& ctx) : io(ctx), timer(ctx) {
    multi = curl_multi_init();
    if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    // Keep every idle keep-alive connection: the default cache (4x the handles in flight)
    // would close connections that idle users are about to reuse.
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 1L << 20);
  }

  ~Impl() {
    timer.cancel();
    for (auto& [fd, socket] : sockets) forget(*socket);
    sockets.clear();
    curl_multi_cleanup(multi);
  }

  void forget(Socket& socket) {
    socket.removed = true;
    socket.want = 0;
    boost::system::error_code ignored;
    socket.descriptor.cancel(ignored);
    socket.descriptor.release();  // curl owns (and closes) the fd
  }

  static int on_socket(CURL*, curl_socket_t fd, int what, void* userp, void* socketp) {
    auto* self = static_cast<Impl*>(userp);
    auto* socket = static_cast<Socket*>(socketp);
    if (what == CURL_POLL_REMOVE) {
      // Curl no longer watches this socket (e.g. an idle keep-alive connection), but the
      // socket stays open: keep its descriptor registered with the reactor so reusing the
      // connection costs no epoll_ctl/ioctl. Only the close hook forgets it.
      if (socket != nullptr) self->unwatch(*socket);
      return 0;
    }
    auto it = self->sockets.find(fd);
    if (it == self->sockets.end())
      it = self->sockets.emplace(fd, std::make_shared<Socket>(self->io, fd)).first;
    if (socket == nullptr) curl_multi_assign(self->multi, fd, it->second.get());
    it->second->want = what;
    self->arm(it->second);
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
    forget(*it->second);
    sockets.erase(it);
    curl_multi_assign(multi, fd, nullptr);
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
                                      act(socket->fd, CURL_CSELECT_IN);
                                      if (!socket->removed) arm(socket);
                                    });
    }
    if ((socket->want & CURL_POLL_OUT) && !socket->writing) {
      socket->writing = true;
      socket->descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                                    [this, socket](const boost::system::error_code& ec) {
                                      socket->writing = false;
                                      if (ec || socket->removed || !(socket->want & CURL_POLL_OUT)) return;
                                      act(socket->fd, CURL_CSELECT_OUT);
                                      if (!socket->removed) arm(socket);
                                    });
    }
  }

  // Curl moves its single deadline many times per request. Re-arming the Asio timer (a
  // timerfd_settime syscall) each time would cost more than the request's own I/O, so:
  // "now" is a posted call, a later deadline keeps the armed timer (which re-checks the
  // wanted deadline when it fires), and only an earlier one re-arms.
  static int on_timer(CURLM*, long timeout_ms, void* userp) {
    auto* self = static_cast<Impl*>(userp);
    ++self->timer_generation;
    if (timeout_ms < 0) {
      self->deadline.reset();
      return 0;
    }
    if (timeout_ms == 0) {
      self->deadline.reset();
      asio::post(self->io, [self, generation = self->timer_generation] {
        if (generation == self->timer_generation) self->act(CURL_SOCKET_TIMEOUT, 0);
      });
      return 0;
    }
    auto when = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    self->deadline = when;
    if (!self->timer_armed || when < self->timer.expiry()) self->arm_timer(when);
    return 0;
  }

  void arm_timer(std::chrono::steady_clock::time_point when) {
    timer.expires_at(when);
    timer_armed = true;
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec == asio::error::operation_aborted) return;  // re-armed or shut down
      timer_armed = false;
      if (!deadline) return;
      if (std::chrono::steady_clock::now() < *deadline) {
        arm_timer(*deadline);
        return;
      }
      deadline.reset();
      act(CURL_SOCKET_TIMEOUT, 0);
    });
  }

  void act(curl_socket_t fd, int events) {
    int running = 0;
    curl_multi_socket_action(multi, fd, events, &running);
    collect_done();
  }

  void collect_done() {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      CURLcode result = msg->data.result;
      long new_connections = 0;
      curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &new_connections);
      connections += static_cast<std::uint64_t>(new_connections);
      curl_multi_remove_handle(multi, easy);
      --in_flight;
      void* owner = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
      static_cast<TransferOwner*>(owner)->on_transfer_done(result);
    }
  }
};

CurlTransport::CurlTransport(asio::io_context& io) : impl_(std::make_unique<Impl>(io)) {}
CurlTransport::~CurlTransport() = default;

void CurlTransport::adopt(CURL* easy, TransferOwner* owner) {
  curl_easy_setopt(easy, CURLOPT_PRIVATE, owner);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &Impl::on_close_socket);
  curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, impl_.get());
}

void CurlTransport::start(CURL* easy) {
  // Adding a handle arms curl's timer with 0 ms; the transfer begins from the timer
  // handler, so the owner is never called back from inside start().
  if (curl_multi_add_handle(impl_->multi, easy) == CURLM_OK) {
    ++impl_->in_flight;
    return;
  }
  // Adding only fails on misuse (handle already added); report it as a failed transfer.
  auto* owner = static_cast<TransferOwner*>(nullptr);
  curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
  asio::post(impl_->io, [owner] { owner->on_transfer_done(CURLE_FAILED_INIT); });
}

void CurlTransport::abort(CURL* easy) {
  if (curl_multi_remove_handle(impl_->multi, easy) == CURLM_OK) --impl_->in_flight;
}

std::size_t CurlTransport::in_flight() const { return impl_->in_flight; }
std::uint64_t CurlTransport::connections_opened() const { return impl_->connections; }

}  // namespace stampede::generator
